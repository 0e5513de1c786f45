// npm run build (also `prepare`, so `npm ci` and `npm pack` run it): compiles the CLI, the
// helpers, the catalogue and the reference server to JavaScript in dist/, so that a run starts
// without a TypeScript transform in the CLI's process. The spec files stay TypeScript: vitest
// transforms them (and caches them) in its workers.
//
// dist/.built holds the time the build started. bin/accounts-conformance.js runs dist/ only when
// no source is newer than that; an edited checkout runs its sources through tsx instead.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without dev dependencies: nothing to compile with, and nothing lost.
  console.error('build: TypeScript is not installed; the CLI will run its sources through tsx');
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('build: tsc failed; the CLI will run its TypeScript sources through tsx');
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  process.exit(result.status ?? 1);
}

// The shipped JSON Schemas compiled to standalone validators, each headed by the hash of its
// schema (helpers/wire/schemas.ts uses one only while its schema is unchanged): loading a
// profile then compiles nothing and loads no ajv, and spec workers skip compiling the shapes.
const require = createRequire(import.meta.url);
const { default: Ajv2020 } = require('ajv/dist/2020.js');
const { default: standaloneCode } = require('ajv/dist/standalone/index.js');
const { default: addFormats } = require('ajv-formats');
const schemaDir = join(root, 'schemas');
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, code: { source: true } });
addFormats(ajv);
const texts = Object.fromEntries(readdirSync(schemaDir).filter((f) => f.endsWith('.json')).map((f) => [f, readFileSync(join(schemaDir, f), 'utf8')]));
for (const text of Object.values(texts)) ajv.addSchema(JSON.parse(text));
mkdirSync(join(root, 'dist', 'schemas'), { recursive: true });
for (const [file, text] of Object.entries(texts)) {
  const hash = createHash('sha256').update(text).digest('hex');
  writeFileSync(join(root, 'dist', 'schemas', file.replace(/\.json$/, '.cjs')), `// ${hash}\n${standaloneCode(ajv, ajv.getSchema(file))}\n`);
}

mkdirSync(dirname(join(root, 'dist', '.built')), { recursive: true });
writeFileSync(join(root, 'dist', '.built'), `${started}\n`);
