/**
 * report.md: the run in Markdown, for CI systems that render it (the GitHub step summary, a
 * GitLab merge-request note, a chat message). Totals, a table per flow, then each finding with
 * its id, statement and the first lines of its evidence, masked. Also the GitHub Actions
 * workflow commands: one annotation per failure and per warning.
 */
import { FLOWS } from '../requirements/catalogue.js';
import { mask } from '../helpers/wire/mask.js';
import { isKnown } from './baseline.js';
import type { Summary } from './reports.js';
import type { Result, Status } from './verdicts.js';

const EVIDENCE_LINES = 12;
const ICON: Record<Status, string> = { passed: '✅', failed: '❌', warning: '⚠️', skipped: '⏭️', error: '💥' };

const count = (rs: readonly Result[], status: Status) => rs.filter((r) => r.status === status).length;

/** Text inside a table cell: no pipe or newline may break the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Text outside code: no Markdown or HTML from the server is interpreted. */
function inline(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|!]/g, (c) => `\\${c}`);
}

/** A fenced block that no backtick run in the evidence can close early. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.length > n ? `${lines.slice(0, n).join('\n')}\n… (${lines.length - n} more lines in report.html)` : text;
}

function finding(r: Result, summary: Summary): string {
  const known = isKnown(summary.baseline, r.id);
  const tag = known ? ` — known${known.reason ? `: ${inline(known.reason)}` : ''}` : '';
  const lines = [`#### ${ICON[r.status]} \`${r.id}\` (${r.level}) ${inline(r.title)}${tag}`, '', `<sub>${inline(r.source)}</sub>`, ''];
  if (r.message) lines.push(fenced(mask(firstLines(r.message, EVIDENCE_LINES))), '');
  if (r.advice) lines.push(`> ${inline(mask(r.advice))}`, '');
  return lines.join('\n');
}

export function markdownReport(summary: Summary): string {
  const rs = summary.results;
  const verdict = summary.exitCode === 0 ? '✅ passed' : '❌ failed';
  const known = summary.baseline?.known.length ?? 0;
  const out = [
    `## accounts-conformance: ${verdict} (exit ${summary.exitCode})`,
    '',
    `Target \`${cell(summary.target.baseUrl)}\`${summary.target.embedded ? ' (embedded reference server)' : ''} · profile \`${cell(summary.target.profile)}\` · seed \`${summary.seed}\`${summary.strict ? ' · strict' : ''} · ${(summary.durationMs / 1000).toFixed(1)} s`,
    '',
    '| passed | failed | warnings | skipped | errors | known |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${summary.passed} | ${summary.failed} | ${summary.warnings} | ${summary.skipped} | ${count(rs, 'error')} | ${known} |`,
    '',
    '| flow | passed | failed | warnings | skipped |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const flow of FLOWS) {
    const fr = rs.filter((r) => r.flow === flow);
    if (fr.length === 0) continue;
    out.push(`| ${flow} | ${count(fr, 'passed')} | ${count(fr, 'failed')} | ${count(fr, 'warning')} | ${count(fr, 'skipped')} |`);
  }
  out.push('');
  const sections: [string, (r: Result) => boolean][] = [
    ['Suite errors', (r) => r.status === 'error'],
    ['Failures', (r) => r.status === 'failed' && !isKnown(summary.baseline, r.id)],
    ['Warnings', (r) => r.status === 'warning' && !isKnown(summary.baseline, r.id)],
    ['Known findings (baseline)', (r) => isKnown(summary.baseline, r.id) !== undefined],
  ];
  for (const [title, select] of sections) {
    const chosen = rs.filter(select);
    if (chosen.length === 0) continue;
    out.push(`### ${title} (${chosen.length})`, '');
    const [open, close] = title.startsWith('Known') ? ['<details><summary>show</summary>\n', '</details>\n'] : ['', ''];
    if (open) out.push(open);
    for (const r of chosen) out.push(finding(r, summary));
    if (close) out.push(close);
  }
  if (summary.baseline?.fixed.length) {
    out.push(`### Fixed: remove from the baseline (${summary.baseline.fixed.length})`, '');
    for (const id of summary.baseline.fixed) out.push(`- \`${id}\` now passes${summary.baseline.strict ? ' (--strict-baseline: this fails the run)' : ''}`);
    out.push('');
  }
  if (summary.problems.length) {
    out.push('### Problems', '', fenced(mask(summary.problems.join('\n'))), '');
  }
  return `${out.join('\n')}\n`;
}

/** A workflow command's data: GitHub reads %, CR and LF as escapes. */
function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also : and , are escaped. */
function commandProperty(text: string): string {
  return commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions annotations: `::error` per failure and per suite error, `::warning` per warning, `::notice` per known one. */
export function githubAnnotations(summary: Summary): string[] {
  const lines: string[] = [];
  for (const r of summary.results) {
    if (r.status !== 'failed' && r.status !== 'warning' && r.status !== 'error') continue;
    const known = isKnown(summary.baseline, r.id);
    const command = known ? 'notice' : r.status === 'warning' ? 'warning' : 'error';
    const title = `${r.id} (${r.level})${known ? ' known' : r.status === 'error' ? ' suite error' : ''}`;
    const body = `${r.title}\n${firstLines(mask(r.message), EVIDENCE_LINES)}`;
    lines.push(`::${command} title=${commandProperty(title)}::${commandData(body)}`);
  }
  for (const id of summary.baseline?.fixed ?? []) {
    lines.push(`::${summary.baseline?.strict ? 'error' : 'notice'} title=${commandProperty(`${id} fixed`)}::${commandData(`${id} now passes: remove it from the baseline`)}`);
  }
  return lines;
}
