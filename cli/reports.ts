/**
 * Report writers: summary.json (machines), junit.xml (CI), report.html (people; one file that
 * opens anywhere, from disk) and the console summary. Everything here is already masked by the
 * collector; server-supplied text is escaped for XML and HTML.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOWS, type Flow } from '../requirements/catalogue.js';
import { mask } from '../helpers/wire/mask.js';
import type { Result, Status } from './verdicts.js';
import { isKnown, type BaselineOutcome } from './baseline.js';
import { htmlReport } from './html.js';
import { markdownReport } from './markdown.js';

export interface RunInfo {
  readonly version: string;
  readonly baseUrl: string;
  readonly embedded: boolean;
  readonly profile: string;
  readonly otpSource: string;
  readonly seed: number;
  readonly strict: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly reportDir: string;
  readonly problems: readonly string[];
}

export interface Summary {
  readonly tool: { readonly name: 'accounts-conformance'; readonly version: string };
  readonly target: { readonly baseUrl: string; readonly embedded: boolean; readonly profile: string; readonly otpSource: string };
  readonly seed: number;
  readonly strict: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly warnings: number;
  readonly skipped: number;
  /** Checks in which the suite itself crashed (harness errors): not findings, but the run is not conforming either. */
  readonly errors: number;
  readonly exitCode: 0 | 1;
  /** Present when the run was made against a baseline of known findings. */
  readonly baseline?: BaselineOutcome;
  readonly problems: readonly string[];
  readonly results: readonly Result[];
}

const count = (results: readonly Result[], status: Status) => results.filter((r) => r.status === status).length;

export function summarize(info: RunInfo, results: readonly Result[], baseline?: BaselineOutcome): Summary {
  const failed = count(results, 'failed');
  const warnings = count(results, 'warning');
  // A known finding fails nothing; a suite crash is never known, and fails the run like a failure.
  const blocking = results.filter((r) => !isKnown(baseline, r.id) && (r.status === 'failed' || r.status === 'error' || (info.strict && r.status === 'warning')));
  const unshrunk = baseline?.strict === true && baseline.fixed.length > 0;
  return {
    tool: { name: 'accounts-conformance', version: info.version },
    target: { baseUrl: info.baseUrl, embedded: info.embedded, profile: info.profile, otpSource: info.otpSource },
    seed: info.seed,
    strict: info.strict,
    startedAt: info.startedAt,
    durationMs: info.durationMs,
    passed: count(results, 'passed'),
    failed,
    warnings,
    skipped: count(results, 'skipped'),
    errors: count(results, 'error'),
    exitCode: blocking.length > 0 || unshrunk ? 1 : 0,
    problems: info.problems.map(mask),
    results,
    ...(baseline ? { baseline } : {}),
  };
}

// XML 1.0 forbids most control characters; a hostile server may send them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_INVALID = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD').replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

export const escapeHtml = escapeXml;

function junitCase(r: Result, baseline: BaselineOutcome | undefined): string {
  const props = [['requirement', r.id], ['level', r.level], ['source', r.source], ['verdict', r.status]]
    .map(([k, v]) => `        <property name="${k}" value="${escapeXml(v as string)}"/>`)
    .join('\n');
  const open = `    <testcase name="${escapeXml(`${r.id} ${r.title}`)}" classname="accounts-conformance.${r.flow}" time="${(r.durationMs / 1000).toFixed(3)}">\n      <properties>\n${props}\n      </properties>`;
  const first = escapeXml(r.message.split('\n')[0] ?? '');
  const known = isKnown(baseline, r.id);
  if (known) {
    const why = known.reason ? `known: ${known.reason}` : `known: listed in the baseline (${r.status})`;
    return `${open}\n      <skipped message="${escapeXml(why)}"/>\n      <system-out>${escapeXml(`${r.status}: ${r.message}`)}</system-out>\n    </testcase>`;
  }
  switch (r.status) {
    case 'error':
      return `${open}\n      <error message="${first}" type="harness">${escapeXml(r.message)}</error>\n    </testcase>`;
    case 'failed':
      return `${open}\n      <failure message="${first}" type="${r.level}">${escapeXml(r.message)}</failure>\n    </testcase>`;
    case 'skipped':
      return `${open}\n      <skipped message="${first}"/>\n    </testcase>`;
    case 'warning':
      return `${open}\n      <system-out>${escapeXml(`warning: ${r.message}\n${r.advice ?? ''}`)}</system-out>\n    </testcase>`;
    default:
      return `${open}\n    </testcase>`;
  }
}

export function junitXml(summary: Summary): string {
  const suites = FLOWS.map((flow) => summary.results.filter((r) => r.flow === flow))
    .filter((rs) => rs.length > 0)
    .map((rs) => {
      const flow = (rs[0] as Result).flow;
      const time = rs.reduce((s, r) => s + r.durationMs, 0) / 1000;
      const known = rs.filter((r) => isKnown(summary.baseline, r.id));
      const failures = count(rs, 'failed') - count(known, 'failed');
      const skipped = count(rs, 'skipped') + known.length;
      return `  <testsuite name="${flow}" tests="${rs.length}" failures="${failures}" errors="${count(rs, 'error')}" skipped="${skipped}" time="${time.toFixed(3)}">\n${rs.map((r) => junitCase(r, summary.baseline)).join('\n')}\n  </testsuite>`;
    });
  const r = summary.results;
  const known = r.filter((x) => isKnown(summary.baseline, x.id));
  const failures = summary.failed - count(known, 'failed');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="accounts-conformance" tests="${r.length}" failures="${failures}" errors="${count(r, 'error')}" skipped="${summary.skipped + known.length}" time="${(summary.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export { htmlReport };

export interface ReportPaths {
  readonly summary: string;
  readonly junit: string;
  readonly html: string;
  readonly markdown: string;
  readonly har: string;
  /** vitest's own HTML report; none for a run made in a batch (one vitest run for many runs). */
  readonly vitestHtml?: string;
}

export function reportPaths(dir: string): ReportPaths {
  return { summary: join(dir, 'summary.json'), junit: join(dir, 'junit.xml'), html: join(dir, 'report.html'), markdown: join(dir, 'report.md'), har: join(dir, 'exchanges.har'), vitestHtml: join(dir, 'html', 'index.html') };
}

export function writeReports(summary: Summary, dir: string): ReportPaths {
  const paths = reportPaths(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(paths.junit, junitXml(summary));
  writeFileSync(paths.html, htmlReport(summary));
  writeFileSync(paths.markdown, markdownReport(summary));
  return paths;
}

function indent(text: string, prefix: string, maxLines = 14): string {
  const lines = text.split('\n');
  const shown = lines.slice(0, maxLines).map((l) => `${prefix}${l}`);
  if (lines.length > maxLines) shown.push(`${prefix}… (${lines.length - maxLines} more lines in the reports)`);
  return shown.join('\n');
}

export function consoleSummary(summary: Summary, paths: ReportPaths, flows: readonly Flow[]): string {
  const out: string[] = [];
  const marks: Partial<Record<Status, string>> = { failed: '✗ FAILED ', warning: '! WARNING', error: '‼ ERROR  ' };
  for (const r of summary.results.filter((x) => marks[x.status])) {
    out.push(`${marks[r.status]} ${r.id} (${r.level}) ${r.title}`, indent(r.message, '    '));
    if (r.advice) out.push(indent(r.advice, '    ↳ '));
    out.push('');
  }
  // As wide as the longest flow name ('enumeration'), so the columns line up.
  const width = Math.max(...FLOWS.map((f) => f.length), 'total'.length);
  const header = `${'flow'.padEnd(width)} ${'passed'.padStart(6)} ${'failed'.padStart(6)} ${'warnings'.padStart(8)} ${'skipped'.padStart(7)}`;
  out.push(header, '-'.repeat(header.length));
  for (const flow of flows) {
    const rs = summary.results.filter((r) => r.flow === flow);
    out.push(`${flow.padEnd(width)} ${String(count(rs, 'passed')).padStart(6)} ${String(count(rs, 'failed')).padStart(6)} ${String(count(rs, 'warning')).padStart(8)} ${String(count(rs, 'skipped')).padStart(7)}`);
  }
  out.push('-'.repeat(header.length));
  out.push(`${'total'.padEnd(width)} ${String(summary.passed).padStart(6)} ${String(summary.failed).padStart(6)} ${String(summary.warnings).padStart(8)} ${String(summary.skipped).padStart(7)}`, '');
  // Every distinct reason, with how many checks it skipped: a hidden reason hides a cause.
  const reasons = new Map<string, number>();
  for (const r of summary.results.filter((x) => x.status === 'skipped')) reasons.set(r.message, (reasons.get(r.message) ?? 0) + 1);
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) out.push(`skipped ${String(n).padStart(3)} × ${reason.split('\n')[0]}`);
  for (const p of summary.problems) out.push(`problem: ${p}`);
  out.push(
    `target ${summary.target.baseUrl}${summary.target.embedded ? ' (embedded reference server)' : ''}, profile ${summary.target.profile}, OTP source: ${summary.target.otpSource}`,
    `seed ${summary.seed} (replay with --seed ${summary.seed}), ${(summary.durationMs / 1000).toFixed(1)} s`,
    `reports: ${[paths.summary, paths.junit, paths.html, paths.markdown, paths.har, paths.vitestHtml].filter((p) => p !== undefined).join(', ')}`,
    `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped, ${summary.warnings} warnings${summary.errors ? `, ${summary.errors} harness errors` : ''} — exit ${summary.exitCode}`,
  );
  return out.join('\n');
}
