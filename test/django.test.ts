import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REQUIREMENTS } from '../requirements/catalogue.js';
import { expectHonest, ROOT, runCli } from './harness.js';
import { expectations, freePort, stop } from './real-stacks.js';

// Real Django accounts stacks from Debian's packages (fixtures/django). .ci/run installs them; on a
// machine without them these tests are skipped with the reason.
const PYTHON = '/usr/bin/python3';
const available = spawnSync(PYTHON, ['-c', 'import django, rest_framework, rest_framework_simplejwt, djoser'], { stdio: 'ignore' }).status === 0;
const REASON = 'needs Debian python3-django, python3-djangorestframework(-simplejwt) and python3-djoser (fixtures/django/install.sh)';

async function serve(stack: string, outbox: string, db: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const env = { ...process.env, ACCOUNTS_OUTBOX: outbox, DJANGO_DB_PATH: db };
  const child = spawn('bash', [join(ROOT, 'fixtures', 'django', 'serve.sh'), stack, String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${stack} not ready within 30 s`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${stack} exited with ${code}`)));
  });
  return { port, child };
}

/** Django's create_user, run by the suite for each user it needs: the stack's users come from an "administrator". */
function createUserCommand(stack: string, db: string): string {
  const script = [
    'import os',
    'from django.contrib.auth import get_user_model',
    'e = os.environ',
    'get_user_model().objects.create_user(e[\\"ACCOUNTS_USER_USERNAME\\"], e[\\"ACCOUNTS_USER_EMAIL\\"], e[\\"ACCOUNTS_USER_PASSWORD\\"], first_name=e[\\"ACCOUNTS_USER_FIRST_NAME\\"], last_name=e[\\"ACCOUNTS_USER_LAST_NAME\\"])',
  ].join('; ');
  return `command:cd ${join(ROOT, 'fixtures', 'django', stack)} && DJANGO_DB_PATH=${db} ${PYTHON} manage.py shell -c "${script}"`;
}

/**
 * djoser mails a reset uid and token: its outbox file is the suite's OTP source. The seed-003
 * stack also runs as an API without registration, its users provisioned through a command.
 */
const stacks = [
  { stack: 'simplejwt_accounts', basePath: '/api/accounts/', profile: 'simplejwt-accounts', outbox: false, provision: false, minPassed: 40 },
  { stack: 'djoser_accounts', basePath: '/auth/', profile: 'djoser', outbox: true, provision: false, minPassed: 50 },
  { stack: 'simplejwt_accounts', basePath: '/api/accounts/', profile: 'simplejwt-provisioned', outbox: false, provision: true, minPassed: 30 },
];

describe.concurrent('real Django accounts stacks with their profiles', () => {
  for (const { stack, basePath, profile, outbox, provision, minPassed } of stacks) {
    test.skipIf(!available)(`${profile} against ${stack}: exactly the known findings, everything else applicable passes${available ? '' : ` (skipped: ${REASON})`}`, async () => {
      const expected = expectations(profile);
      const dir = mkdtempSync(join(tmpdir(), `${stack}-`));
      const outboxFile = join(dir, 'outbox.jsonl');
      const db = join(dir, 'db.sqlite3');
      const { port, child } = await serve(stack, outboxFile, db);
      try {
        const otp = outbox ? ['--otp-source', `file:${outboxFile}`] : [];
        const users = provision ? ['--provision', createUserCommand(stack, db)] : [];
        const shipped = existsSync(join(ROOT, 'profiles', `${profile}.json`));
        // Three stacks at once, each hashing with PBKDF2 for every login (the throttling and timing
        // flows log in ~150 times): on a loaded 2-core machine a run takes well over the default bound.
        const target = ['--base-url', `http://127.0.0.1:${port}${basePath}`, '--profile', shipped ? profile : join(ROOT, 'test', 'profiles', `${profile}.json`), ...otp, ...users];
        // The shipped profile describes the stack: doctor finds every mapped operation as it says.
        const doctor = await runCli(['doctor', ...target]);
        expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
        const run = await runCli(target, { keep: `stack-${stack}-${profile}`, timeoutMs: 240_000 });
        const summary = run.summary();
        expect(summary.target.profile).toBe(profile);
        const findings = Object.fromEntries(summary.results.filter((r) => r.status === 'failed' || r.status === 'warning').map((r) => [r.id, r.status]));
        expect(findings, run.stdout).toEqual(Object.fromEntries(Object.entries(expected.findings).map(([id, f]) => [id, f.status])));
        expect(run.code).toBe(Object.values(expected.findings).some((f) => f.status === 'failed') ? 1 : 0);
        // Every skip says why; the applicable core of the contract ran and passed.
        for (const r of summary.results.filter((x) => x.status === 'skipped')) expect(r.message, r.id).toMatch(/not applicable|needs a real OTP|clock hook/);
        expect(summary.passed).toBeGreaterThan(minPassed);
        expectHonest(summary);
        expect(summary.results).toHaveLength(REQUIREMENTS.length);
      } finally {
        await stop(child);
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  }
});
