import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findRequirement } from '../requirements/catalogue.js';
import { startReferenceServer } from '../reference/server.js';
import { githubAnnotations } from '../cli/markdown.js';
import { htmlReport } from '../cli/html.js';
import { junitXml, type Summary } from '../cli/reports.js';
import type { Result } from '../cli/verdicts.js';
import { BIN, cleanEnvironment, HOOK_OTP_SOURCE } from './harness.js';

/** Forwards to the target and counts the requests that reached it: the HAR must hold each. */
async function countingProxy(target: string): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  const origin = new URL(target);
  let n = 0;
  const server: Server = createServer((req, res) => {
    n++;
    const upstream = request({ host: origin.hostname, port: origin.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${origin.pathname}`,
    count: () => n,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Line {
  readonly at: number;
  readonly text: string;
}

interface HarEntry {
  _requirement: string | null;
  comment: string;
  time: number;
  startedDateTime: string;
  request: { method: string; url: string; headers: { name: string; value: string }[]; postData?: { mimeType: string; text: string } };
  response: { status: number; headers: { name: string; value: string }[]; content: { size: number; mimeType: string; text?: string } };
  timings: { wait: number };
}

describe('during and after a run against a slow target', () => {
  test('progress lines appear during the run, and exchanges.har holds every exchange, tagged and masked', async () => {
    // 2 s per answer: a run of well over ten seconds even on an idle machine (a slow staging
    // server's), so that progress lines come while it runs, not only at its end.
    const latencyMs = 2000;
    const server = await startReferenceServer({ hooks: true, latencyMs, faults: ['accepts-wrong-password'] });
    const proxy = await countingProxy(server.baseUrl);
    const reportDir = mkdtempSync(join(tmpdir(), 'acc-progress-'));
    const started = Date.now();
    const stderr: Line[] = [];
    let stdout = '';
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        const args = [BIN, '--base-url', proxy.url, '--otp-source', HOOK_OTP_SOURCE, '--only', 'register,login', '--report-dir', reportDir];
        const child = spawn(process.execPath, args, { env: cleanEnvironment({}), stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => {
          for (const text of d.toString().split('\n').filter(Boolean)) stderr.push({ at: Date.now() - started, text });
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
        child.on('error', reject);
        child.on('close', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      const ended = Date.now() - started;
      expect(code, stdout).toBe(1);

      // Progress on stderr, while the run goes on: a plain line every 5 s, one line per failure.
      const during = stderr.filter((l) => l.at < ended - 500);
      expect(during.map((l) => l.text).join('\n'), stderr.map((l) => `${l.at} ${l.text}`).join('\n')).toMatch(/^progress: \d+\/22 checks, \d+ failed, \d+ warnings, \d+ s$/m);
      expect(stderr.map((l) => l.text).join('\n')).toMatch(/^✗ ACC-LOG-003 \(MUST\) a wrong password is \S+/m);
      expect(stderr.at(-1)?.text).toMatch(/^progress: 22\/22 checks, 1 failed, 0 warnings, \d+ s — done$/);
      expect(stdout).not.toMatch(/^progress:/m);

      // exchanges.har: HAR 1.2, one entry per request the target received.
      const har = JSON.parse(readFileSync(join(reportDir, 'exchanges.har'), 'utf8')) as { log: { version: string; creator: { name: string }; entries: HarEntry[] } };
      expect(har.log.version).toBe('1.2');
      expect(har.log.creator.name).toBe('accounts-conformance');
      expect(har.log.entries.length).toBeGreaterThan(20);
      expect(har.log.entries).toHaveLength(proxy.count());
      for (const e of har.log.entries) {
        expect(e.request.url.startsWith(proxy.url.replace(/\/api\/v1\/$/, ''))).toBe(true);
        expect(e.response.status).toBeGreaterThan(0);
        expect(e.time).toBeGreaterThanOrEqual(latencyMs);
        expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
        expect(e).toHaveProperty('_requirement');
        if (e._requirement !== null) expect(findRequirement(e._requirement), e._requirement).toBeDefined();
      }
      const tagged = new Set(har.log.entries.map((e) => e._requirement).filter(Boolean));
      expect(tagged.size).toBeGreaterThan(15);
      // The wrong-password exchange, for the failing check, replayable: method, body (password masked), answer.
      const wrong = har.log.entries.filter((e) => e._requirement === 'ACC-LOG-003' && e.request.method === 'POST' && e.request.postData?.text.includes('«masked»'));
      expect(wrong.length).toBeGreaterThan(0);
      expect(wrong.some((e) => e.response.status === 200 && e.response.content.mimeType.includes('json') && e.response.content.text?.includes('"tokens"'))).toBe(true);
      // Temporary files of the workers are gone.
      expect(() => readFileSync(join(reportDir, '.exchanges'))).toThrow();
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});

function result(over: Partial<Result>): Result {
  return { id: 'ACC-LOG-003', flow: 'login', level: 'MUST', status: 'passed', title: 'a wrong password is refused', source: 'seed-000 §2. Login', message: '', durationMs: 12, ...over };
}

function summaryOf(results: Result[], extra: Partial<Summary> = {}): Summary {
  const n = (s: string) => results.filter((r) => r.status === s).length;
  return {
    tool: { name: 'accounts-conformance', version: '0.0.0' },
    target: { baseUrl: 'http://127.0.0.1:1/api/v1/', embedded: false, profile: 'tasklink', otpSource: 'none' },
    seed: 1,
    strict: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    passed: n('passed'),
    failed: n('failed'),
    warnings: n('warning'),
    skipped: n('skipped'),
    errors: n('error'),
    exitCode: 1,
    problems: [],
    results,
    ...extra,
  };
}

describe('report formats', () => {
  const results = [
    result({ id: 'ACC-LOG-001', status: 'error', message: 'TypeError: boom\n    at check' }),
    result({ id: 'ACC-LOG-002', status: 'failed', message: 'expected 401, got 200\n→ POST /login 100% <b>' }),
    result({ id: 'ACC-LOG-003', status: 'failed', message: 'expected 401, got 200' }),
    result({ id: 'ACC-LOG-004', status: 'skipped', message: 'not applicable: no logout', skip: { kind: 'not-applicable', reason: 'no logout' } }),
    result({ id: 'ACC-LOG-005', status: 'skipped', message: 'not applicable: no logout' }),
    result({ id: 'ACC-LOG-006', status: 'warning', level: 'SHOULD', message: 'no header' }),
  ];
  const summary = summaryOf(results, { baseline: { path: 'b.json', strict: false, known: [{ id: 'ACC-LOG-003', reason: 'tracked in #42' }], fixed: [] } });

  test('JUnit: a suite crash is <error>, a known failure is <skipped message="known: …">', () => {
    const xml = junitXml(summary);
    expect(xml).toMatch(/<testcase name="ACC-LOG-001[^>]*>[\s\S]*?<error message="TypeError: boom" type="harness">/);
    expect(xml).toMatch(/<testcase name="ACC-LOG-002[^>]*>[\s\S]*?<failure message="expected 401, got 200" type="MUST">/);
    expect(xml).toMatch(/<testcase name="ACC-LOG-003[^>]*>[\s\S]*?<skipped message="known: tracked in #42"\/>/);
    expect(xml).toMatch(/<testsuites name="accounts-conformance" tests="6" failures="1" errors="1" skipped="3"/);
  });

  test('GitHub annotations: one per failure, suite error and warning; newlines and % escaped', () => {
    const lines = githubAnnotations(summary);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('::error title=ACC-LOG-001 (MUST) suite error::a wrong password is refused%0ATypeError: boom%0A    at check');
    expect(lines[1]).toBe('::error title=ACC-LOG-002 (MUST)::a wrong password is refused%0Aexpected 401, got 200%0A→ POST /login 100%25 <b>');
    expect(lines[2]).toMatch(/^::notice title=ACC-LOG-003 \(MUST\) known::/);
    expect(lines[3]).toMatch(/^::warning title=ACC-LOG-006 \(SHOULD\)::/);
  });

  test('report.html: no script, strict CSP, what needs attention first, skipped grouped by reason, a CSS filter', () => {
    const html = htmlReport(summary);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    const attention = html.indexOf('Needs attention');
    expect(attention).toBeGreaterThan(0);
    expect(attention).toBeLessThan(html.indexOf('By flow'));
    expect(html.slice(attention, html.indexOf('By flow'))).toMatch(/<details class="evidence" open><summary>expected 401, got 200<\/summary>/);
    expect(html).toContain('&lt;b&gt;');
    // Both skipped checks, one with a skip kind and one with only a message, fall in one group.
    expect(html).toMatch(/<span class="count">2<\/span> <strong>Not applicable<\/strong>: no logout/i);
    expect(html).toMatch(/<input class="f" type="radio" name="filter" id="f-failed">/);
    expect(html).toMatch(/#f-failed:checked~main \.check:not\(\.failed\)/);
    expect(html).toMatch(/@media \(prefers-color-scheme:dark\)/);
    expect(html).toMatch(/@media print/);
  });
});
