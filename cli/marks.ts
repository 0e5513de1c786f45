/**
 * Timing marks for `npm run bench`: with ACCOUNTS_BENCH_MARKS=path set, the CLI appends one line
 * per phase boundary (`name epoch-ms`) to that file. Unset (every ordinary run), nothing is
 * written and nothing else changes.
 */
import { appendFileSync } from 'node:fs';

const path = process.env.ACCOUNTS_BENCH_MARKS;

export function mark(name: string): void {
  if (!path) return;
  try {
    appendFileSync(path, `${name} ${Date.now()}\n`);
  } catch {
    // A bench's file that cannot be written never costs the run.
  }
}
