/**
 * report.html: one self-contained file that opens from disk, under a strict CSP and without
 * scripts. What needs a person's attention comes first (failures, suite errors, warnings, with
 * their evidence open); then one collapsible section per flow with a verdict bar; skipped checks
 * are grouped by reason. The verdict filter is radio inputs and `:checked` selectors; dark mode
 * follows the system; print shows everything, expanded, without the controls.
 */
import { FLOWS, type Flow } from '../requirements/catalogue.js';
import { isKnown } from './baseline.js';
import { escapeXml as escapeHtml, type Summary } from './reports.js';
import type { Result, Status } from './verdicts.js';

const count = (rs: readonly Result[], status: Status) => rs.filter((r) => r.status === status).length;
const FILTERS = [
  ['all', 'All'],
  ['failed', 'Failed'],
  ['warning', 'Warnings'],
  ['skipped', 'Skipped'],
  ['passed', 'Passed'],
] as const;

const SKIP_LABEL: Record<string, string> = {
  'not-applicable': 'Not applicable',
  'setup-failed': 'Setup failed',
  'no-code-source': 'No OTP source',
  'no-clock': 'No clock hook',
  inconclusive: 'Inconclusive',
};

/** The message prefixes of results written before skips carried their kind. */
const SKIP_PREFIXES: readonly [string, string][] = [
  ['not applicable', 'not-applicable'],
  ['needs a real OTP', 'no-code-source'],
  ["needs the target's clock hook", 'no-clock'],
  ['inconclusive', 'inconclusive'],
];

/** A reason without the words its label already says ("not applicable: …" under "Not applicable"). */
function withoutPrefix(reason: string): string {
  const prefix = SKIP_PREFIXES.find(([words]) => reason.startsWith(`${words}: `));
  return prefix ? reason.slice(prefix[0].length + 2) : reason;
}

/** The group a skipped check falls in: its kind and reason, or (older results) what its message says. */
function skipGroup(r: Result): { key: string; label: string; detail: string } {
  const setup = r.skip?.kind === 'setup-failed' ? (r.skip.prerequisite ?? null) : (/^setup failed: (ACC-[A-Z]+-\d+)/.exec(r.message)?.[1] ?? null);
  if (setup) return { key: `setup ${setup}`, label: 'Setup failed', detail: `a step of ${setup} failed` };
  if (r.skip) return { key: `${r.skip.kind} ${r.skip.reason}`, label: SKIP_LABEL[r.skip.kind] ?? r.skip.kind, detail: withoutPrefix(r.skip.reason) };
  const first = r.message.split('\n')[0] ?? '';
  for (const [prefix, kind] of SKIP_PREFIXES) {
    if (first.startsWith(`${prefix}: `)) {
      const reason = first.slice(prefix.length + 2);
      return { key: `${kind} ${reason}`, label: SKIP_LABEL[kind] ?? kind, detail: reason };
    }
  }
  return { key: `other ${first}`, label: 'Skipped', detail: first };
}

function verdictClass(r: Result, summary: Summary): string {
  return isKnown(summary.baseline, r.id) ? `${r.status} known` : r.status;
}

function badge(r: Result, summary: Summary): string {
  const known = isKnown(summary.baseline, r.id) ? ' <span class="badge known">known</span>' : '';
  return `<span class="badge ${r.status}">${r.status === 'warning' ? 'warning' : r.status}</span>${known}`;
}

function evidence(r: Result, open: boolean): string {
  if (!r.message) return '';
  const advice = r.advice ? `<p class="advice">${escapeHtml(r.advice)}</p>` : '';
  const first = escapeHtml(r.message.split('\n')[0] ?? '');
  return `<details class="evidence"${open ? ' open' : ''}><summary>${first}</summary>${advice}<pre>${escapeHtml(r.message)}</pre></details>`;
}

function checkRow(r: Result, summary: Summary, open: boolean): string {
  const known = isKnown(summary.baseline, r.id);
  const reason = known?.reason ? `<p class="advice">known: ${escapeHtml(known.reason)}</p>` : '';
  return `<article class="check ${verdictClass(r, summary)}">
<div class="head">${badge(r, summary)} <code class="id">${escapeHtml(r.id)}</code> <span class="level">${r.level}</span> <span class="title">${escapeHtml(r.title)}</span></div>
<div class="src">${escapeHtml(r.flow)} · ${escapeHtml(r.source)}${r.durationMs ? ` · ${r.durationMs} ms` : ''}</div>${reason}${evidence(r, open)}
</article>`;
}

function bar(rs: readonly Result[]): string {
  const parts = (['passed', 'failed', 'error', 'warning', 'skipped'] as const)
    .map((s) => [s, count(rs, s)] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `<span class="seg ${s}" style="flex-grow:${n}" title="${n} ${s}"></span>`)
    .join('');
  return `<span class="bar" aria-hidden="true">${parts}</span>`;
}

function tally(rs: readonly Result[]): string {
  return (['passed', 'failed', 'error', 'warning', 'skipped'] as const)
    .filter((s) => count(rs, s) > 0)
    .map((s) => `<span class="n ${s}">${count(rs, s)} ${s === 'warning' ? 'warned' : s}</span>`)
    .join(' ');
}

function flowSection(flow: Flow, rs: readonly Result[], summary: Summary): string {
  const attention = rs.some((r) => (r.status === 'failed' || r.status === 'error') && !isKnown(summary.baseline, r.id));
  const classes = ['flow', ...(['passed', 'failed', 'warning', 'skipped', 'error'] as const).filter((s) => count(rs, s) > 0).map((s) => `has-${s}`)].join(' ');
  return `<details class="${classes}"${attention ? ' open' : ''}>
<summary><span class="flowname">${escapeHtml(flow)}</span> ${bar(rs)} <span class="tally">${tally(rs)}</span></summary>
${rs.map((r) => checkRow(r, summary, false)).join('\n')}
</details>`;
}

function skippedSection(summary: Summary): string {
  const skipped = summary.results.filter((r) => r.status === 'skipped');
  if (skipped.length === 0) return '';
  const groups = new Map<string, { label: string; detail: string; results: Result[] }>();
  for (const r of skipped) {
    const g = skipGroup(r);
    const group = groups.get(g.key) ?? { label: g.label, detail: g.detail, results: [] };
    group.results.push(r);
    groups.set(g.key, group);
  }
  const items = [...groups.values()]
    .sort((a, b) => b.results.length - a.results.length)
    .map(
      (g) => `<details class="group"><summary><span class="count">${g.results.length}</span> <strong>${escapeHtml(g.label)}</strong>: ${escapeHtml(g.detail)}</summary>
<ul>${g.results.map((r) => `<li><code>${escapeHtml(r.id)}</code> ${escapeHtml(r.title)}</li>`).join('')}</ul></details>`,
    )
    .join('\n');
  return `<section class="skipped-groups"><h2>Skipped, by reason <span class="muted">(${skipped.length})</span></h2>\n${items}\n</section>`;
}

function attentionSection(summary: Summary): string {
  const order: Status[] = ['error', 'failed', 'warning'];
  const chosen = summary.results
    .filter((r) => order.includes(r.status) && !isKnown(summary.baseline, r.id))
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  if (chosen.length === 0) {
    return `<section class="attention clean"><h2>Needs attention</h2><p>No failure and no warning${summary.baseline?.known.length ? ' outside the baseline' : ''}.</p></section>`;
  }
  return `<section class="attention"><h2>Needs attention <span class="muted">(${chosen.length})</span></h2>\n${chosen.map((r) => checkRow(r, summary, true)).join('\n')}\n</section>`;
}

function baselineSection(summary: Summary): string {
  const b = summary.baseline;
  if (!b) return '';
  const known = summary.results.filter((r) => isKnown(b, r.id));
  const fixed = b.fixed.length
    ? `<div class="fixed"><strong>Fixed: remove from the baseline${b.strict ? ' (--strict-baseline: this fails the run)' : ''}</strong><ul>${b.fixed.map((id) => `<li><code>${escapeHtml(id)}</code></li>`).join('')}</ul></div>`
    : '';
  const list = known.length ? `<details class="group"><summary><span class="count">${known.length}</span> known findings listed in <code>${escapeHtml(b.path)}</code></summary>${known.map((r) => checkRow(r, summary, false)).join('\n')}</details>` : '';
  return `<section class="baseline"><h2>Baseline</h2>${fixed}${list}</section>`;
}

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--passed:#1a7f37;--failed:#cf222e;--warning:#9a6700;--skipped:#6e7781;--error:#8250df;--advice:#fff8c5;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--bg:#0d1117;--panel:#161b22;--line:#30363d;--passed:#3fb950;--failed:#f85149;--warning:#d29922;--skipped:#8b949e;--error:#a371f7;--advice:#3b2e0a;--accent:#4493f8}}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg)}
main,header.top{max-width:1100px;margin:0 auto;padding:0 1.5rem}
header.top{padding-top:1.5rem}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.05rem;margin:1.6rem 0 .6rem}
.muted,.src{color:var(--muted)}.src{font-size:12px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.verdict{display:inline-block;font-weight:600;padding:.15rem .7rem;border-radius:1rem;color:#fff}
.verdict.ok{background:var(--passed)}.verdict.ko{background:var(--failed)}
.meta{color:var(--muted);margin:.3rem 0 1rem}
.totals{display:flex;gap:.6rem;flex-wrap:wrap;margin:.5rem 0}
.total{border:1px solid var(--line);border-radius:8px;padding:.35rem .8rem;min-width:6.5rem;background:var(--panel)}
.total b{display:block;font-size:1.3rem}
.total.failed b{color:var(--failed)}.total.warning b{color:var(--warning)}.total.passed b{color:var(--passed)}.total.skipped b{color:var(--skipped)}.total.error b{color:var(--error)}
.badge{display:inline-block;color:#fff;border-radius:1rem;padding:0 .55rem;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.02em}
.badge.passed{background:var(--passed)}.badge.failed{background:var(--failed)}.badge.warning{background:var(--warning)}.badge.skipped{background:var(--skipped)}.badge.error{background:var(--error)}.badge.known{background:transparent;color:var(--muted);border:1px solid var(--line)}
.check{border:1px solid var(--line);border-left:4px solid var(--skipped);border-radius:6px;padding:.5rem .75rem;margin:.45rem 0;background:var(--bg);break-inside:avoid}
.check.failed{border-left-color:var(--failed)}.check.warning{border-left-color:var(--warning)}.check.passed{border-left-color:var(--passed)}.check.error{border-left-color:var(--error)}.check.known{opacity:.85}
.check .level{font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 .3rem}
.check .title{font-weight:500}
pre{white-space:pre-wrap;word-break:break-word;background:var(--panel);border:1px solid var(--line);padding:.6rem;border-radius:6px;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;margin:.4rem 0 0}
summary{cursor:pointer}.evidence>summary{color:var(--muted);font-size:12.5px;margin-top:.25rem}
.advice{background:var(--advice);padding:.35rem .6rem;border-radius:6px;margin:.4rem 0 0;font-size:13px}
details.flow{border:1px solid var(--line);border-radius:8px;margin:.5rem 0;background:var(--panel)}
details.flow>summary{padding:.55rem .8rem;display:flex;align-items:center;gap:.8rem;list-style-position:inside}
details.flow>summary::before{content:'▸';color:var(--muted);width:.8rem}details.flow[open]>summary::before{content:'▾'}
details.flow[open]>summary{border-bottom:1px solid var(--line)}
details.flow>.check{margin:.45rem .7rem}
.flowname{font-weight:600;min-width:8.5rem}
.bar{display:inline-flex;width:180px;height:10px;border-radius:5px;overflow:hidden;background:var(--line);flex-shrink:0}
.seg{display:block;height:100%}.seg.passed{background:var(--passed)}.seg.failed{background:var(--failed)}.seg.warning{background:var(--warning)}.seg.skipped{background:var(--skipped)}.seg.error{background:var(--error)}
.tally{font-size:12px;color:var(--muted)}.n.failed{color:var(--failed);font-weight:600}.n.warning{color:var(--warning);font-weight:600}.n.error{color:var(--error);font-weight:600}
.attention.clean p{border:1px solid var(--line);border-left:4px solid var(--passed);border-radius:6px;padding:.6rem .8rem}
details.group{border:1px solid var(--line);border-radius:6px;margin:.35rem 0;padding:.4rem .7rem}
details.group ul{margin:.4rem 0;padding-left:1.2rem}
.count{display:inline-block;min-width:1.8rem;text-align:center;background:var(--panel);border:1px solid var(--line);border-radius:1rem;font-size:12px}
.fixed{border-left:4px solid var(--passed);padding:.3rem .8rem;margin:.5rem 0}
.filter{position:sticky;top:0;z-index:1;background:var(--bg);border-bottom:1px solid var(--line);padding:.5rem 1.5rem;margin:0 auto;max-width:1100px;display:flex;gap:.4rem;align-items:center}
.filter label{border:1px solid var(--line);border-radius:1rem;padding:.1rem .75rem;cursor:pointer;font-size:13px;user-select:none}
input.f{position:absolute;opacity:0;pointer-events:none}
#f-all:checked~.filter label[for=f-all],#f-failed:checked~.filter label[for=f-failed],#f-warning:checked~.filter label[for=f-warning],#f-skipped:checked~.filter label[for=f-skipped],#f-passed:checked~.filter label[for=f-passed]{background:var(--accent);border-color:var(--accent);color:#fff}
input.f:focus-visible~.filter{outline:2px solid var(--accent)}
#f-failed:checked~main .check:not(.failed):not(.error),#f-warning:checked~main .check:not(.warning),#f-skipped:checked~main .check:not(.skipped),#f-passed:checked~main .check:not(.passed){display:none}
#f-failed:checked~main details.flow:not(.has-failed):not(.has-error),#f-warning:checked~main details.flow:not(.has-warning),#f-skipped:checked~main details.flow:not(.has-skipped),#f-passed:checked~main details.flow:not(.has-passed){display:none}
#f-failed:checked~main .skipped-groups,#f-warning:checked~main .skipped-groups,#f-passed:checked~main .skipped-groups,#f-skipped:checked~main .attention,#f-passed:checked~main .attention{display:none}
footer{max-width:1100px;margin:2rem auto;padding:0 1.5rem;color:var(--muted);font-size:12px}
@media print{
:root{--fg:#000;--muted:#444;--bg:#fff;--panel:#fff;--line:#bbb}
.filter,input.f{display:none}
body{font-size:11px}main,header.top{max-width:none;padding:0}
details::details-content{content-visibility:visible;display:block}
details>summary{list-style:none}
/* Long evidence may break across pages; a check's heading stays with it. */
.check{break-inside:auto}.check .head,.check .src{break-after:avoid}.group{break-inside:avoid}pre{break-inside:auto}
.badge{color:#000;border:1px solid #000;background:none!important}
#f-failed:checked~main .check,#f-warning:checked~main .check,#f-skipped:checked~main .check,#f-passed:checked~main .check,#f-failed:checked~main details.flow,#f-warning:checked~main details.flow,#f-skipped:checked~main details.flow,#f-passed:checked~main details.flow{display:block}
}
`;

export function htmlReport(summary: Summary): string {
  const rs = summary.results;
  const ok = summary.exitCode === 0;
  const totals = (
    [
      ['passed', 'passed'],
      ['failed', 'failed'],
      ['warning', 'warnings'],
      ['skipped', 'skipped'],
      ['error', 'suite errors'],
    ] as const
  )
    .filter(([s]) => s !== 'error' || count(rs, 'error') > 0)
    .map(([s, label]) => `<div class="total ${s}"><b>${count(rs, s)}</b>${label}</div>`)
    .join('');
  const known = summary.baseline?.known.length ? `<div class="total"><b>${summary.baseline.known.length}</b>known (baseline)</div>` : '';
  const flows = FLOWS.map((flow) => [flow, rs.filter((r) => r.flow === flow)] as const)
    .filter(([, frs]) => frs.length > 0)
    .map(([flow, frs]) => flowSection(flow, frs, summary))
    .join('\n');
  const radios = FILTERS.map(([id], i) => `<input class="f" type="radio" name="filter" id="f-${id}"${i === 0 ? ' checked' : ''}>`).join('');
  const labels = FILTERS.map(([id, label]) => `<label for="f-${id}">${label}</label>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>accounts-conformance: ${ok ? 'passed' : 'failed'} · ${escapeHtml(summary.target.profile)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<style>${CSS}</style></head><body>
<header class="top">
<h1>accounts-conformance <span class="verdict ${ok ? 'ok' : 'ko'}">${ok ? 'passed' : 'failed'} · exit ${summary.exitCode}</span></h1>
<p class="meta">Target <code>${escapeHtml(summary.target.baseUrl)}</code>${summary.target.embedded ? ' (embedded reference server)' : ''} · profile <code>${escapeHtml(summary.target.profile)}</code> · OTP source: ${escapeHtml(summary.target.otpSource)} · seed <code>${summary.seed}</code>${summary.strict ? ' · strict' : ''} · ${escapeHtml(summary.startedAt)} · ${(summary.durationMs / 1000).toFixed(1)} s · version ${escapeHtml(summary.tool.version)}</p>
<div class="totals">${totals}${known}</div>
${summary.problems.length ? `<h2>Problems</h2><pre>${escapeHtml(summary.problems.join('\n'))}</pre>` : ''}
</header>
${radios}
<nav class="filter"><span class="muted">Show</span> ${labels}</nav>
<main>
${attentionSection(summary)}
${baselineSection(summary)}
<h2>By flow</h2>
${flows}
${skippedSection(summary)}
</main>
<footer>MUST failures fail the run; SHOULD failures are warnings (failures under --strict); skipped checks say why. Generated by accounts-conformance ${escapeHtml(summary.tool.version)}.</footer>
</body></html>
`;
}
