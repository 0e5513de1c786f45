import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, runCli } from './harness.js';
import { expectPinnedRun, freePort, stop } from './real-stacks.js';

// A real Parse Server 9.x stack (fixtures/parse-server: express, ParseServer at /parse, a private
// PostgreSQL 15 cluster started here, mails to a test outbox). .ci/run installs it; where it is
// not installed this test is skipped with the reason.
const FIXTURE = join(ROOT, 'fixtures', 'parse-server');
const PG_BIN = '/usr/lib/postgresql/15/bin';
const available = existsSync(join(FIXTURE, 'node_modules', 'parse-server', 'package.json')) && existsSync(join(PG_BIN, 'pg_ctl'));
const REASON = 'needs the Parse Server fixture installed (fixtures/parse-server/install.sh: Debian\'s postgresql-15 and npm ci)';

/** fixtures/parse-server/cluster.sh: start prints the database URI; stop waits for the shutdown. */
function cluster(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(FIXTURE, 'cluster.sh'), ...args], { timeout: 90_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`cluster.sh ${args[0]} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

async function serve(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(FIXTURE, 'server.mjs'), String(port)], { cwd: FIXTURE, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  // Its console is read to the end (an unread pipe would block the server once full); the tail says why it stopped.
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Parse Server not ready within 60 s')), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      const ready = /READY (\S+)/.exec(d.toString());
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`Parse Server exited with ${code}: ${tail}`)));
  });
  return { url, child };
}

/** Every file of a report directory, as text. */
function reportText(dir: string): string {
  const files = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
  return files(dir).map((f) => readFileSync(f, 'utf8')).join('\n');
}

describe('a real Parse Server stack with its profile', () => {
  // The cluster's data and socket; as root, cluster.sh hands the directory to the postgres user.
  let dir = '';
  let databaseUri = '';

  beforeAll(async () => {
    if (!available) return;
    dir = mkdtempSync(join(tmpdir(), 'parse-pg-'));
    databaseUri = await cluster(['start', dir, String(await freePort())]);
  }, 120_000);

  afterAll(async () => {
    if (!dir) return;
    await cluster(['stop', dir]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test.skipIf(!available)(`Parse Server: exactly the known findings, everything else applicable passes${available ? '' : ` (skipped: ${REASON})`}`, async () => {
    const outbox = join(dir, 'outbox.jsonl');
    // The profile reads the application id from the environment, as a team's would.
    const appId = randomBytes(12).toString('hex');
    const { url, child } = await serve({ PARSE_DATABASE_URI: databaseUri, PARSE_APP_ID: appId, ACCOUNTS_OUTBOX: outbox });
    try {
      // Parse's mails go to the outbox (the suite's OTP source): the reset link holds the reset's token.
      const target = ['--base-url', url, '--profile', 'parse-server', '--otp-source', `file:${outbox}`, '--timeout', '60000'];
      const env = { PARSE_APP_ID: appId };
      // The shipped profile describes the stack: doctor finds every mapped operation as it says.
      const doctor = await runCli(['doctor', ...target], { env });
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      const run = await runCli(target, { env, keep: 'stack-parse-server', timeoutMs: 420_000 });
      expectPinnedRun(run, 'parse-server');
      // Live session tokens (r: and 32 hex digits, sent as X-Parse-Session-Token) and the
      // application id from the environment show in no report and no console line.
      const everything = `${reportText(run.reportDir)}\n${run.stdout}\n${run.stderr}\n${doctor.stdout}`;
      expect(everything).not.toMatch(/\br:[0-9a-f]{32}\b/);
      expect(everything).not.toContain(appId);
    } finally {
      await stop(child);
    }
  }, 600_000);
});

