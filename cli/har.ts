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
        // Masked in the worker; masked again here, where the secrets of the CLI process are known.
        if (!line.trim()) continue;
        let entry: Entry;
        try {
          entry = JSON.parse(mask(line)) as Entry;
        } catch {
          entry = JSON.parse(line) as Entry;
        }
        entries.push(entry);
      }
    }
  }
  entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
  const har = { log: { version: '1.2', creator: { name: 'accounts-conformance', version }, pages: [], entries } };
  writeFileSync(path, `${JSON.stringify(har, null, 1)}\n`);
  clearExchanges(reportDir);
  return entries.length;
}
