/**
 * A baseline of known findings, like the expected-failure lists of the OpenID Foundation's suite:
 * a team adopts the gate on day one with the findings it has, and from then on only a new failure
 * fails the run. A listed finding that now passes is reported as fixed, so that the list shrinks
 * (and with --strict-baseline, must shrink).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { findRequirement } from '../requirements/catalogue.js';
import { schemaViolations } from '../helpers/wire/schemas.js';
import { ConfigError } from './config.js';
import type { Result } from './verdicts.js';

export interface BaselineEntry {
  readonly id: string;
  readonly verdict: 'failed' | 'warning';
  readonly profile: string;
  readonly reason: string;
  readonly title?: string;
}

export interface Baseline {
  readonly path: string;
  readonly findings: readonly BaselineEntry[];
}

/** What a baseline made of a run: the findings it excused and the entries that now pass. */
export interface BaselineOutcome {
  readonly path: string;
  readonly strict: boolean;
  /** Failures and warnings of this run that the baseline lists. */
  readonly known: readonly { readonly id: string; readonly reason: string }[];
  /** Entries whose requirement now passes: to be removed from the baseline. */
  readonly fixed: readonly string[];
}

const PLACEHOLDER_REASON = '';

/** Reads and validates a baseline file; anything wrong is a ConfigError naming the key (exit 2). */
export function readBaseline(path: string): Baseline {
  if (!existsSync(path)) throw new ConfigError(`--baseline ${path}: no such file (write one with --write-baseline)`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--baseline ${path}: not valid JSON (${(error as Error).message})`);
  }
  const problems = schemaViolations('baseline', data);
  if (problems.length) throw new ConfigError(`--baseline ${path}: ${problems.slice(0, 3).join('; ')}`);
  const findings = (data as { findings: BaselineEntry[] }).findings;
  const seen = new Set<string>();
  findings.forEach((entry, i) => {
    if (!findRequirement(entry.id)) throw new ConfigError(`--baseline ${path}: findings.${i}.id: ${entry.id} is not a requirement of the catalogue`);
    const key = `${entry.id} ${entry.profile}`;
    if (seen.has(key)) throw new ConfigError(`--baseline ${path}: findings.${i}.id: ${entry.id} is listed twice for profile ${entry.profile}`);
    seen.add(key);
  });
  return { path, findings };
}

/** Matches a run's results against a baseline; only entries for the run's profile apply. */
export function applyBaseline(baseline: Baseline, results: readonly Result[], profile: string, strict: boolean): BaselineOutcome {
  const entries = new Map(baseline.findings.filter((e) => e.profile === profile).map((e) => [e.id, e]));
  const known: { id: string; reason: string }[] = [];
  const fixed: string[] = [];
  for (const r of results) {
    const entry = entries.get(r.id);
    if (!entry) continue;
    if (r.status === 'failed' || r.status === 'warning') known.push({ id: r.id, reason: entry.reason });
    else if (r.status === 'passed') fixed.push(r.id);
  }
  return { path: baseline.path, strict, known, fixed };
}

/**
 * Writes the failures and warnings of a run as a baseline. Entries of other profiles already in
 * the file are kept, so that one file can serve several targets; reasons already given are kept.
 */
export function writeBaseline(path: string, results: readonly Result[], run: { profile: string; version: string; target: string }): number {
  let previous: readonly BaselineEntry[] = [];
  if (existsSync(path)) {
    try {
      previous = readBaseline(path).findings;
    } catch {
      previous = [];
    }
  }
  const reasons = new Map(previous.filter((e) => e.profile === run.profile).map((e) => [e.id, e.reason]));
  const mine: BaselineEntry[] = results
    .filter((r) => r.status === 'failed' || r.status === 'warning')
    .map((r) => ({ id: r.id, verdict: r.status as 'failed' | 'warning', profile: run.profile, title: r.title, reason: reasons.get(r.id) ?? PLACEHOLDER_REASON }));
  const findings = [...previous.filter((e) => e.profile !== run.profile), ...mine];
  const file = { tool: 'accounts-conformance', version: run.version, written: new Date().toISOString(), target: run.target, findings };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return mine.length;
}

export function isKnown(outcome: BaselineOutcome | undefined, id: string): { reason: string } | undefined {
  return outcome?.known.find((k) => k.id === id);
}

/** Console lines about the baseline, printed after the summary. */
export function baselineLines(outcome: BaselineOutcome): string[] {
  const lines = [`baseline ${outcome.path}: ${outcome.known.length} known findings did not fail the run`];
  for (const id of outcome.fixed) lines.push(`fixed: ${id} now passes: remove it from the baseline${outcome.strict ? ' (--strict-baseline: this fails the run)' : ''}`);
  return lines;
}
