/**
 * The one ajv instance. Schemas in `schemas/` are the only definition of response shapes; they
 * are compiled once, on first use, and failures name the JSON path and the rule broken.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');

export const SCHEMA_NAMES = [
  'envelope',
  'error-envelope',
  'paginated-envelope',
  'user',
  'profile',
  'wallet',
  'tokens',
  'auth-response',
  'refresh-response',
  'target-profile',
  'drf-error',
  'json-object',
  'seed-003-user',
  'seed-003-auth',
  'djoser-user',
  'message-data-success',
  'message-data-error',
  'message-data-user',
  'message-data-auth',
  'message-data-refresh',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

let ajv: Ajv2020 | null = null;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv2020 {
  if (ajv) return ajv;
  // strict: the schemas themselves must be clean; allErrors: report every broken rule at once.
  // allowUnionTypes: dialects type ids as ["integer", "string"].
  ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object);
  }
  return ajv;
}

function validator(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    fn = instance().getSchema(`${name}.json`);
    if (!fn) throw new Error(`schema ${name}.json is missing from ${SCHEMA_DIR}`);
    compiled.set(name, fn);
  }
  return fn;
}

function describe(error: ErrorObject, root: string): string {
  const path = `${root}${error.instancePath.replaceAll('/', '.').replace(/^\./, root ? '.' : '')}` || '(root)';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${path || '(root)'}: required property '${String(params.missingProperty)}' is missing`;
    case 'type':
      return `${path}: must be ${String(params.type)}`;
    case 'enum':
      return `${path}: must be one of ${JSON.stringify(params.allowedValues)}`;
    case 'const':
      return `${path}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'format':
      return `${path}: must be a ${String(params.format)}`;
    case 'additionalProperties':
      return `${path || '(root)'}: unknown key '${String(params.additionalProperty)}'`;
    case 'propertyNames':
      return `${path || '(root)'}: unknown key '${String(params.propertyName)}'`;
    case 'pattern':
      return `${path}: must match ${String(params.pattern)}`;
    default:
      return `${path}: ${error.message ?? error.keyword} (${error.keyword})`;
  }
}

/**
 * Validates a value against a schema. Returns the list of violations, empty when it conforms.
 * `root` names the value in messages (for example `data.user`).
 */
export function schemaViolations(name: SchemaName, value: unknown, root = ''): string[] {
  const fn = validator(name);
  if (fn(value)) return [];
  const errors = (fn.errors ?? []).filter((e) => e.keyword !== 'anyOf' || (fn.errors ?? []).length === 1);
  return [...new Set(errors.map((e) => describe(e, root)))];
}
