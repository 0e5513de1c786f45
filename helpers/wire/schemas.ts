/**
 * Schemas in `schemas/` are the only definition of response shapes (a team may add its own files
 * through its profile); they are compiled once, on first use, and failures name the JSON path
 * and the rule broken.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Ajv2020 from 'ajv/dist/2020.js';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import type addFormats from 'ajv-formats';
import { packageRoot } from '../package-root.js';

const ROOT = packageRoot(import.meta.url);
export const SCHEMA_DIR = join(ROOT, 'schemas');
/** Validators compiled by `npm run build` (scripts/build.mjs), each headed by its schema's hash. */
const PRECOMPILED_DIR = join(ROOT, 'dist', 'schemas');
/** ajv is loaded on first use: a command that needs no compiling (--list, --help) never loads it. */
const require = createRequire(import.meta.url);

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
  'baseline',
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
  'university-success',
  'university-error',
  'university-auth',
  'university-user',
  'university-refresh',
  'flutter-auth-error',
  'flutter-auth-user',
  'better-auth-error',
  'better-auth-user',
  'better-auth-session',
  'parse-server-error',
  'parse-server-user',
  'parse-server-login',
  'parse-server-signup',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];
/** A shipped schema's name, or the absolute path of a team's own schema file (named in its profile). */
export type SchemaRef = SchemaName | (string & {});

export function isSchemaName(value: string): value is SchemaName {
  return (SCHEMA_NAMES as readonly string[]).includes(value);
}

let ajv: Ajv2020 | null = null;
let lenient: Ajv2020 | null = null;
const compiled = new Map<string, ValidateFunction>();

/** An instance holding every shipped schema; `source` keeps each validator's code, for the build. */
function withShippedSchemas(strict: boolean, source = false): Ajv2020 {
  const Ajv = (require('ajv/dist/2020.js') as { default: typeof Ajv2020 }).default;
  const withFormats = (require('ajv-formats') as { default: typeof addFormats }).default;
  // allErrors: report every broken rule at once; allowUnionTypes: dialects type ids as ["integer", "string"].
  const instance = new Ajv({ allErrors: true, strict, allowUnionTypes: true, code: { source } });
  withFormats(instance);
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'))) {
    instance.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object);
  }
  return instance;
}

/** The suite's own schemas must be clean: strict. */
function instance(): Ajv2020 {
  ajv ??= withShippedSchemas(true);
  return ajv;
}

/** A team's schemas are theirs: not strict, but beside the shipped ones so they can `$ref` them. */
function teamInstance(): Ajv2020 {
  lenient ??= withShippedSchemas(false);
  return lenient;
}

/** Every `$ref` in a schema, without its fragment; local ones (`#/…`) left out. */
function refsOf(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  const own = Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v.split('#')[0] ?? ''] : refsOf(v)));
  return own.filter((ref) => ref !== '');
}

/**
 * Adds a team's schema file to the lenient instance without compiling it, and with it every
 * schema file beside it that it `$ref`s by a relative name, so that schemas referring to each
 * other compile whatever order the profile names them in. Returns the key it is found by: its
 * `$id`, else its file URL.
 */
function addTeamSchema(path: string, added: Set<string> = new Set()): string {
  const schema = JSON.parse(readFileSync(path, 'utf8')) as AnySchemaObject;
  const id = typeof schema.$id === 'string' ? schema.$id : pathToFileURL(path).href;
  if (added.has(path)) return id;
  added.add(path);
  const team = teamInstance();
  if (!team.schemas[id] && !team.refs[id]) team.addSchema(schema, typeof schema.$id === 'string' ? undefined : id);
  for (const ref of refsOf(schema)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || isSchemaName(ref.replace(/\.json$/, ''))) continue;
    const file = resolve(dirname(path), ref);
    if (existsSync(file)) addTeamSchema(file, added);
  }
  return id;
}

/**
 * A team's schema file joins the lenient instance, beside the shipped schemas, so it may `$ref`
 * them (`"$ref": "user.json"`) and its own files (`"$ref": "./acme-profile.json"`).
 */
function teamValidator(path: string): ValidateFunction {
  const id = addTeamSchema(path);
  const fn = teamInstance().getSchema(id);
  if (!fn) throw new Error(`schema ${path} did not compile`);
  return fn;
}

/** The line a precompiled validator is headed by: the hash of its schema file's content. */
function headOf(name: SchemaName): string {
  return `// ${createHash('sha256').update(readFileSync(join(SCHEMA_DIR, `${name}.json`), 'utf8')).digest('hex')}`;
}

/**
 * Writes every shipped schema, compiled by the strict instance the suite itself uses, as a
 * standalone validator to PRECOMPILED_DIR, headed by its schema's hash (run by the build).
 */
export function writePrecompiledValidators(): void {
  const standaloneCode = (require('ajv/dist/standalone/index.js') as { default: (ajv: Ajv2020, fn: ValidateFunction) => string }).default;
  const ajv = withShippedSchemas(true, true);
  mkdirSync(PRECOMPILED_DIR, { recursive: true });
  for (const name of SCHEMA_NAMES) {
    const fn = ajv.getSchema(`${name}.json`);
    if (!fn) throw new Error(`schema ${name}.json is missing from ${SCHEMA_DIR}`);
    writeFileSync(join(PRECOMPILED_DIR, `${name}.cjs`), `${headOf(name)}\n${standaloneCode(ajv, fn)}\n`);
  }
}

/**
 * A shipped schema's validator compiled at build time, when there is one for the schema as it
 * is now (an edited schema is compiled anew), else undefined.
 */
function precompiled(name: SchemaName): ValidateFunction | undefined {
  const file = join(PRECOMPILED_DIR, `${name}.cjs`);
  if (!existsSync(file)) return undefined;
  const head = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  if (head !== headOf(name)) return undefined;
  const loaded = require(file) as ValidateFunction | { default: ValidateFunction };
  return typeof loaded === 'function' ? loaded : loaded.default;
}

function validator(name: SchemaRef): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    if (isAbsolute(name)) fn = teamValidator(name);
    else fn = (isSchemaName(name) ? precompiled(name) : undefined) ?? instance().getSchema(`${name}.json`);
    if (!fn) throw new Error(`schema ${name}.json is missing from ${SCHEMA_DIR}`);
    compiled.set(name, fn);
  }
  return fn;
}

/** Compiles a schema now; throws with the reason (unreadable file, invalid JSON, a rule ajv refuses). */
export function compileSchema(name: SchemaRef): void {
  validator(name);
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
export function schemaViolations(name: SchemaRef, value: unknown, root = ''): string[] {
  const fn = validator(name);
  if (fn(value)) return [];
  const errors = (fn.errors ?? []).filter((e) => e.keyword !== 'anyOf' || (fn.errors ?? []).length === 1);
  return [...new Set(errors.map((e) => describe(e, root)))];
}
