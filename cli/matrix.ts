/**
 * `accounts-conformance matrix [--out FILE] DIR…`: one HTML table of requirements × targets from
 * several report directories, like the cross-implementation reports of h2spec and Autobahn.
 * Self-contained, strict CSP, no scripts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { ConfigError } from './config.js';
import { readSummary } from './compare.js';
import { escapeXml as escapeHtml, type Summary } from './reports.js';
import type { Result } from './verdicts.js';

export interface MatrixColumn {
  readonly name: string;
  readonly summary: Summary;
}

const SHORT: Record<string, string> = { passed: 'pass', failed: 'FAIL', warning: 'warn', skipped: 'skip', error: 'ERR' };

function cell(r: Result | undefined): string {
  if (!r) return '<td class="absent">–</td>';
  const why = r.status === 'passed' ? '' : (r.skip?.reason ?? r.message.split('\n')[0] ?? '');
  return `<td class="${r.status}" title="${escapeHtml(why.slice(0, 300))}">${SHORT[r.status] ?? r.status}</td>`;
}

export function matrixHtml(columns: readonly MatrixColumn[]): string {
  const byColumn = columns.map((c) => new Map(c.summary.results.map((r) => [r.id, r])));
  const listed = new Set(columns.flatMap((c) => c.summary.results.map((r) => r.id)));
  const ids = [...REQUIREMENTS.map((r) => r.id).filter((id) => listed.has(id)), ...[...listed].filter((id) => !REQUIREMENTS.some((r) => r.id === id))];
  const head = columns
    .map((c) => `<th><div>${escapeHtml(c.name)}</div><small>${escapeHtml(c.summary.target.profile)} · ${c.summary.passed} passed · ${c.summary.failed} failed · ${c.summary.warnings} warn · ${c.summary.skipped} skip</small></th>`)
    .join('');
  const rows = ids
    .map((id) => {
      const req = REQUIREMENTS.find((r) => r.id === id);
      const first = byColumn.map((m) => m.get(id)).find(Boolean);
      const statement = req?.title ?? first?.title ?? '';
      return `<tr><th scope="row"><code>${escapeHtml(id)}</code> <span class="lvl">${req?.level ?? first?.level ?? ''}</span><div class="stmt">${escapeHtml(statement)}</div></th>${byColumn.map((m) => cell(m.get(id))).join('')}</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>accounts-conformance matrix</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="color-scheme" content="light dark">
<style>
:root{--fg:#1f2328;--muted:#656d76;--bg:#fff;--line:#d0d7de;--pass:#dafbe1;--fail:#ffebe9;--warn:#fff8c5;--skip:#f6f8fa;--err:#fbefff}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--bg:#0d1117;--line:#30363d;--pass:#12361f;--fail:#4c1a1d;--warn:#3b2e0a;--skip:#161b22;--err:#2d1b48}}
body{font:13px/1.4 system-ui,sans-serif;margin:1.5rem;color:var(--fg);background:var(--bg)}
table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:.25rem .45rem;vertical-align:top}
thead th{position:sticky;top:0;background:var(--bg);text-align:left}thead small{color:var(--muted);font-weight:normal}
tbody th{text-align:left;font-weight:normal;max-width:34rem}.stmt{color:var(--muted);font-size:12px}.lvl{font-size:11px;color:var(--muted)}
td{text-align:center;vertical-align:middle;font-weight:600;min-width:4.5rem}
td.passed{background:var(--pass)}td.failed{background:var(--fail)}td.warning{background:var(--warn)}td.skipped{background:var(--skip);color:var(--muted);font-weight:normal}td.error{background:var(--err)}td.absent{color:var(--muted)}
@media print{thead th{position:static}}
</style></head><body>
<h1>accounts-conformance: requirements × targets</h1>
<p>${columns.length} targets, ${ids.length} requirements. Hover a cell for the reason.</p>
<table><thead><tr><th>Requirement</th>${head}</tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}

export function runMatrix(args: readonly string[], cwd: string): number {
  let out = resolve(cwd, 'reports', 'matrix.html');
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--out') {
      const next = args[++i];
      if (!next) throw new ConfigError('matrix: --out needs a file path');
      out = resolve(cwd, next);
    } else if (arg.startsWith('--out=')) out = resolve(cwd, arg.slice(6));
    else if (arg.startsWith('--')) throw new ConfigError(`matrix: unknown option ${arg} (usage: accounts-conformance matrix [--out FILE] DIR…)`);
    else dirs.push(arg);
  }
  if (dirs.length === 0) throw new ConfigError('usage: accounts-conformance matrix [--out FILE] DIR…');
  const columns = dirs.map((d) => ({ name: basename(resolve(cwd, d)), summary: readSummary(resolve(cwd, d)) }));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, matrixHtml(columns));
  console.log(`matrix of ${columns.length} targets written to ${out}`);
  return 0;
}
