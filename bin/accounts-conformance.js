#!/usr/bin/env node
// Runs the CLI compiled to dist/ by `npm run build` (run by `prepare`, so by `npm ci` and
// `npm pack`) when that build is newer than every source; otherwise (an edited checkout, or no
// build) runs the TypeScript sources through tsx, so a checkout needs no build step.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAndFresh() {
  const stamp = join(root, 'dist', '.built');
  if (!existsSync(stamp)) return false;
  const built = Number(readFileSync(stamp, 'utf8'));
  return ['cli', 'helpers', 'requirements', 'reference'].every((dir) => newestSource(join(root, dir)) < built);
}

let main;
if (builtAndFresh()) {
  main = await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import('../cli/main.ts');
}
process.exit(await main.run(process.argv.slice(2)));
