import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runCli } from './harness.js';
import { expectPinnedRun, freePort, stop } from './real-stacks.js';

// A real better-auth 1.x stack (fixtures/better-auth: node:http, SQLite, the bearer, jwt, emailOTP
// and phoneNumber plugins). .ci/run installs its packages; where they are not installed this test
// is skipped with the reason.
const FIXTURE = join(ROOT, 'fixtures', 'better-auth');
// better-sqlite3's native module is built (or fetched prebuilt) last: a failed install leaves none.
const available = ['better-auth/package.json', 'better-sqlite3/build/Release/better_sqlite3.node'].every((p) => existsSync(join(FIXTURE, 'node_modules', p)));
const REASON = 'needs the better-auth fixture installed (fixtures/better-auth/install.sh: npm ci, better-sqlite3 built with python3, make and g++)';

async function serve(outbox: string, db: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env = { ...process.env, ACCOUNTS_OUTBOX: outbox, BETTER_AUTH_DB: db };
  const child = spawn(process.execPath, [join(FIXTURE, 'server.mjs'), String(port)], { cwd: FIXTURE, stdio: ['ignore', 'pipe', 'pipe'], env });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('better-auth not ready within 30 s')), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      const ready = /READY (\S+)/.exec(d.toString());
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`better-auth exited with ${code}`)));
  });
  return { url, child };
}

describe('a real better-auth stack with its profile', () => {
  test.skipIf(!available)(`better-auth: exactly the known findings, everything else applicable passes${available ? '' : ` (skipped: ${REASON})`}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'better-auth-'));
    const outbox = join(dir, 'outbox.jsonl');
    const { url, child } = await serve(outbox, join(dir, 'auth.sqlite3'));
    try {
      // The emailOTP and phoneNumber plugins write their codes to the outbox: the suite's OTP source.
      // better-auth hashes each password with scrypt (32 MiB, on libuv's four threads): under the
      // suite's concurrent registrations on a loaded machine an answer can take over 10 s.
      const target = ['--base-url', url, '--profile', 'better-auth', '--otp-source', `file:${outbox}`, '--timeout', '60000'];
      // The shipped profile describes the stack: doctor finds every mapped operation as it says.
      const doctor = await runCli(['doctor', ...target]);
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      // A run takes minutes on a loaded machine.
      const run = await runCli(target, { keep: 'stack-better-auth', timeoutMs: 420_000 });
      expectPinnedRun(run, 'better-auth');
    } finally {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
