#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../cli/main.ts');
const code = await run(process.argv.slice(2));
process.exit(code);
