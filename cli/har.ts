/**
 * exchanges.har: every exchange of the run as HAR 1.2, masked, each entry tagged with the
 * requirement whose check made it (`_requirement`, and `comment` for tools that show only that).
 * Workers leave their entries in the report directory (helpers/harness/exchange-log.ts); the CLI
 * assembles them in time order and removes what the workers left.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MASK_TEXT, mask } from '../helpers/wire/mask.js';

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

interface Header {
  name: string;
  value: string;
}

interface HarEntry {
  request: { url: string; headers: Header[]; queryString: Header[]; postData?: { text: string } };
  response: { headers: Header[]; content: { text?: string }; redirectURL: string; _error?: string };
}

/** Masks headers as the reports render them, one `name: value` line each, in one pass. */
function maskHeaders(headers: Header[]): Header[] {
  const lines = mask(headers.map((h) => `${h.name}: ${h.value}`).join('\n')).split('\n');
  return headers.map((h, i) => {
    const line = lines[i] ?? '';
    return { name: h.name, value: line.startsWith(`${h.name}: `) ? line.slice(h.name.length + 2) : MASK_TEXT };
  });
}

/**
 * Masks the parts of an entry that can carry a secret (URL, query, headers, bodies, errors) with
 * the secrets known now. Only those: masking runs over every exchange of the run.
 */
export function maskEntry(value: Json): Json {
  const entry = structuredClone(value) as unknown as HarEntry;
  const { request, response } = entry;
  request.url = mask(request.url);
  request.headers = maskHeaders(request.headers);
  request.queryString = request.queryString.map((q) => ({ name: q.name, value: mask(q.value) }));
  if (request.postData) request.postData.text = mask(request.postData.text);
  response.headers = maskHeaders(response.headers);
  if (response.content.text !== undefined) response.content.text = mask(response.content.text);
  response.redirectURL = mask(response.redirectURL);
  if (response._error !== undefined) response._error = mask(response._error);
  return entry as unknown as Json;
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
          entries.push(maskEntry(JSON.parse(line) as Json) as unknown as Entry);
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
