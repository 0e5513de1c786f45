/**
 * Generates the TypeScript types of a target profile from schemas/target-profile.json, so the
 * schema stays the only definition of a profile (`npm run gen:types`; a self-test fails while
 * the committed file is stale). It covers the JSON Schema the profile schema uses: objects with
 * properties or with named keys (`propertyNames` → `$defs` enum), arrays, enums, unions, `$ref`.
 * Each `$defs` entry becomes a named type; an enum also becomes a const list (`OPERATION_IDS`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly items?: Schema;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Schema | boolean;
  readonly propertyNames?: Schema;
  readonly description?: string;
  readonly $defs?: Readonly<Record<string, Schema>>;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROFILE_SCHEMA_FILE = join(ROOT, 'schemas', 'target-profile.json');
export const PROFILE_TYPES_FILE = join(ROOT, 'helpers', 'wire', 'profile-document.ts');
/** The type of a whole profile file. */
const ROOT_TYPE = 'ProfileDocument';

const pascal = (name: string): string => name[0]?.toUpperCase() + name.slice(1);
/** `operationId` → `OPERATION_IDS`: the list of an enum's values. */
const listName = (name: string): string => `${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}S`;

function refName(ref: string): string {
  const match = /^#\/\$defs\/(\w+)$/.exec(ref);
  if (!match?.[1]) throw new Error(`gen-types: only local $defs references are supported, not ${ref}`);
  return pascal(match[1]);
}

/**
 * Keywords that would change the type but that the generator does not read: a schema using one
 * fails the generation rather than yield a type that says less than the schema.
 */
const UNSUPPORTED = ['allOf', 'not', 'if', 'then', 'else', 'patternProperties', 'prefixItems', 'dependentSchemas', 'dependentRequired', 'unevaluatedProperties', 'unevaluatedItems', '$dynamicRef'];

const PRIMITIVES: Readonly<Record<string, string>> = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', null: 'null' };

/** A JSON value as a TypeScript literal, in the codebase's single quotes. */
function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'` : JSON.stringify(value);
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name);
}

function doc(schema: Schema, indent: string): string[] {
  return schema.description ? [`${indent}/** ${schema.description} */`] : [];
}

function objectType(schema: Schema, indent: string): string {
  const extra = schema.additionalProperties;
  if (schema.properties) {
    if (typeof extra === 'object' || schema.propertyNames) throw new Error('gen-types: an object with both named properties and other keys is not supported');
    const required = new Set(schema.required ?? []);
    const inner = `${indent}  `;
    const members = Object.entries(schema.properties).flatMap(([name, member]) => [
      ...doc(member, inner),
      `${inner}readonly ${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(member, inner)};`,
    ]);
    return ['{', ...members, `${indent}}`].join('\n');
  }
  const value = typeof extra === 'object' ? typeOf(extra, indent) : 'unknown';
  if (schema.propertyNames) return `Readonly<Partial<Record<${typeOf(schema.propertyNames, indent)}, ${value}>>>`;
  return `Readonly<Record<string, ${value}>>`;
}

function typeOf(schema: Schema, indent = ''): string {
  const unsupported = UNSUPPORTED.filter((keyword) => keyword in schema);
  if (unsupported.length) throw new Error(`gen-types: ${unsupported.join(', ')} is not supported`);
  if (schema.$ref) return refName(schema.$ref);
  if ('const' in schema) return literal(schema.const);
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return union.map((s) => typeOf(s, indent)).join(' | ');
  const types = schema.type === undefined ? [] : [schema.type].flat();
  if (types.length === 0) return 'unknown';
  return types
    .map((type) => {
      if (type === 'object') return objectType(schema, indent);
      if (type === 'array') {
        const item = schema.items ? typeOf(schema.items, indent) : 'unknown';
        return `readonly ${item.includes(' | ') ? `(${item})` : item}[]`;
      }
      const primitive = PRIMITIVES[type];
      if (!primitive) throw new Error(`gen-types: unsupported type ${type}`);
      return primitive;
    })
    .join(' | ');
}

function definition(name: string, schema: Schema): string[] {
  const type = pascal(name);
  if (schema.enum) {
    return [...doc(schema, ''), `export const ${listName(name)} = [${schema.enum.map(literal).join(', ')}] as const;`, `export type ${type} = (typeof ${listName(name)})[number];`];
  }
  const body = typeOf(schema);
  return [...doc(schema, ''), body.startsWith('{') ? `export interface ${type} ${body}` : `export type ${type} = ${body};`];
}

/** The TypeScript source generated from the profile schema. */
export function generatedProfileTypes(schema: Schema = JSON.parse(readFileSync(PROFILE_SCHEMA_FILE, 'utf8')) as Schema): string {
  const header = [
    '/**',
    ' * Generated from schemas/target-profile.json by `npm run gen:types` (scripts/gen-types.ts):',
    ' * edit the schema, not this file.',
    ' */',
  ];
  const definitions = Object.entries(schema.$defs ?? {}).map(([name, def]) => definition(name, def).join('\n'));
  const root = [...doc(schema, ''), `export interface ${ROOT_TYPE} ${typeOf(schema)}`].join('\n');
  return `${[header.join('\n'), ...definitions, root].join('\n\n')}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(PROFILE_TYPES_FILE, generatedProfileTypes());
  console.log(`wrote ${PROFILE_TYPES_FILE}`);
}
