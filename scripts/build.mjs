// npm run build (also `prepare`, so `npm ci` and `npm pack` run it): compiles the CLI, the
// helpers, the catalogue and the reference server to JavaScript in dist/, so that a run starts
// without a TypeScript transform in the CLI's process. The spec files stay TypeScript: vitest
// transforms them (and caches them) in its workers.
//
// dist/.built holds the time the build started. bin/accounts-conformance.js runs dist/ only when
// no source is newer than that; an edited checkout runs its sources through tsx instead.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

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
const { writePrecompiledValidators } = await import(pathToFileURL(join(root, 'dist', 'helpers', 'wire', 'schemas.js')).href);
writePrecompiledValidators();

mkdirSync(dirname(join(root, 'dist', '.built')), { recursive: true });
writeFileSync(join(root, 'dist', '.built'), `${started}\n`);
