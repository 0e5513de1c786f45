/**
 * `accounts-conformance compare OLD/summary.json NEW/summary.json`: what is new, what was fixed,
 * what is unchanged between two runs. Exit 1 when something fails now that did not before, 2 when
 * a file cannot be read.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findRequirement } from '../requirements/catalogue.js';
import { ConfigError } from './config.js';
import type { Summary } from './reports.js';
import type { Status } from './verdicts.js';

/** Reads a summary.json, given the file or the report directory holding it. */
export function readSummary(path: string): Summary {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'summary.json') : path;
  if (!existsSync(file)) throw new ConfigError(`${file}: no such file (a report directory holds summary.json)`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const results = (data as { results?: unknown }).results;
  if (!Array.isArray(results) || results.some((r) => typeof (r as { id?: unknown }).id !== 'string' || typeof (r as { status?: unknown }).status !== 'string')) {
    throw new ConfigError(`${file}: not an accounts-conformance summary (results: each needs an id and a status)`);
  }
  return data as Summary;
}

const FINDING: readonly Status[] = ['failed', 'warning', 'error'];
const BLOCKING: readonly Status[] = ['failed', 'error'];

export interface Comparison {
  readonly new: readonly { id: string; now: Status; was: Status | 'absent' }[];
  readonly fixed: readonly { id: string; was: Status }[];
  readonly unchanged: readonly { id: string; status: Status }[];
  /** Findings of the old run that the new one did not check (skipped, or not run). */
  readonly unchecked: readonly { id: string; was: Status; now: Status | 'absent' }[];
}

export function compareSummaries(old: Summary, now: Summary): Comparison {
  const before = new Map(old.results.map((r) => [r.id, r.status]));
  const after = new Map(now.results.map((r) => [r.id, r.status]));
  const result: { new: Comparison['new'][number][]; fixed: Comparison['fixed'][number][]; unchanged: Comparison['unchanged'][number][]; unchecked: Comparison['unchecked'][number][] } = {
    new: [],
    fixed: [],
    unchanged: [],
    unchecked: [],
  };
  for (const r of now.results) {
    const was = before.get(r.id) ?? 'absent';
    if (FINDING.includes(r.status)) {
      if (was === r.status) result.unchanged.push({ id: r.id, status: r.status });
      else result.new.push({ id: r.id, now: r.status, was });
    } else if (was !== 'absent' && FINDING.includes(was)) {
      if (r.status === 'passed') result.fixed.push({ id: r.id, was });
      else result.unchecked.push({ id: r.id, was, now: r.status });
    }
  }
  for (const r of old.results) if (!after.has(r.id) && FINDING.includes(r.status)) result.unchecked.push({ id: r.id, was: r.status, now: 'absent' });
  return result;
}

function title(id: string): string {
  return findRequirement(id)?.title ?? '';
}

export function compareText(c: Comparison, oldName: string, newName: string): string {
  const out = [`compare ${oldName} → ${newName}`, ''];
  out.push(`new (${c.new.length}):`);
  for (const x of c.new) out.push(`  ${BLOCKING.includes(x.now) ? '✗' : '!'} ${x.id} ${x.now} (was ${x.was}) ${title(x.id)}`);
  out.push(`fixed (${c.fixed.length}):`);
  for (const x of c.fixed) out.push(`  ✓ ${x.id} passes (was ${x.was}) ${title(x.id)}`);
  out.push(`unchanged (${c.unchanged.length}):`);
  for (const x of c.unchanged) out.push(`  = ${x.id} ${x.status} ${title(x.id)}`);
  if (c.unchecked.length) {
    out.push(`not checked in the new run (${c.unchecked.length}):`);
    for (const x of c.unchecked) out.push(`  ? ${x.id} ${x.now} (was ${x.was}) ${title(x.id)}`);
  }
  const failing = c.new.filter((x) => BLOCKING.includes(x.now)).length;
  out.push('', failing ? `${failing} new failures — exit 1` : 'no new failure — exit 0');
  return out.join('\n');
}

export function runCompare(args: readonly string[]): number {
  if (args.length !== 2 || args.some((a) => a.startsWith('--'))) {
    throw new ConfigError('usage: accounts-conformance compare OLD/summary.json NEW/summary.json');
  }
  const [oldPath, newPath] = args as [string, string];
  const c = compareSummaries(readSummary(oldPath), readSummary(newPath));
  console.log(compareText(c, oldPath, newPath));
  return c.new.some((x) => BLOCKING.includes(x.now)) ? 1 : 0;
}
