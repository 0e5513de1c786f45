/**
 * exchanges.har: every exchange of the run as HAR 1.2, masked, each entry tagged with the
 * requirement whose check made it (`_requirement`, and `comment` for tools that show only that).
 * Workers leave their entries in the report directory (helpers/harness/exchange-log.ts); the CLI
 * assembles them in time order and removes what the workers left.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mask } from '../helpers/wire/mask.js';

/** Where workers leave their entries, inside the report directory. */
export const EXCHANGE_DIR = '.exchanges';

export function exchangeDir(reportDir: string): string {
  return join(reportDir, EXCHANGE_DIR);
}

/** Removes what a previous, interrupted run left, so it cannot join this run's HAR. */
export function clearExchanges(reportDir: string): void {
  rmSync(exchangeDir(reportDir), { recursive: true, force: true });
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Every string of an entry through the mask, with the secrets known now. */
export function maskDeep(value: Json): Json {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]));
  return value;
}

interface Entry {
  readonly startedDateTime: string;
}

/** Writes the HAR and returns the number of entries. */
export function writeHar(reportDir: string, path: string, version: string): number {
  const dir = exchangeDir(reportDir);
  const entries: Entry[] = [];
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        // Masked in the worker; masked again here, where the secrets of the CLI process are known.
        try {
          entries.push(maskDeep(JSON.parse(line) as Json) as unknown as Entry);
        } catch {
          // A line cut short (a worker stopped mid-write) is left out, not a reason to lose the rest.
        }
      }
    }
  }
  entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
  const har = { log: { version: '1.2', creator: { name: 'accounts-conformance', version }, pages: [], entries } };
  writeFileSync(path, `${JSON.stringify(har, null, 1)}\n`);
  clearExchanges(reportDir);
  return entries.length;
}
