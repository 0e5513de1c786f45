/**
 * Provisioning: how the suite makes its own users on an API without registration (seed 001's
 * accounts are made by an administrator). A team points `--provision` at a test-only admin hook
 * or at a command (`python manage.py shell -c ...`); the suite then logs the user in as its app
 * would. The user is described in neutral names, the same for every dialect.
 */
import { CheckFailure } from '../outcome.js';
import { execFile } from 'node:child_process';
import { jsonBody } from '../wire/bodies.js';
import { throttledReason } from '../checks.js';
import { Inconclusive } from '../outcome.js';
import type { HttpClient } from '../wire/http.js';
import type { ProvisionSource } from './provision-source.js';
import { childEnvironment } from './sources.js';
import type { NewUser } from './users.js';

export type Provisioner = (user: NewUser) => Promise<void>;

/** A provisioning source that could not make a user: the checks that needed one fail with this. */
export class ProvisioningFailed extends CheckFailure {
  override readonly name = 'ProvisioningFailed';
}

/** The user as the hook receives it (JSON) and the command its ACCOUNTS_USER_* variables. */
export function provisionedFields(user: NewUser): Record<string, string> {
  return {
    username: user.username,
    email: user.email,
    password: user.password,
    first_name: user.firstName,
    last_name: user.lastName,
    full_name: user.fullName,
    phone: user.phone,
  };
}

async function viaHttp(url: string, user: NewUser, client: HttpClient): Promise<void> {
  const ex = await client.send('POST', url, { body: jsonBody(provisionedFields(user)), retryOnRateLimit: true });
  if (ex.throttled) throw new Inconclusive(throttledReason(ex));
  if (ex.status === null || ex.status < 200 || ex.status >= 300) {
    throw new ProvisioningFailed(`provisioning a user through POST ${url} failed: ${ex.status === null ? (ex.failure ?? 'no answer') : `HTTP ${ex.status}`}`);
  }
}

/** A command starts a runtime (Python, Django) per user: it gets far longer than one request. */
const COMMAND_TIMEOUT_FACTOR = 6;

function viaCommand(command: string, user: NewUser, timeoutMs: number): Promise<void> {
  const vars = Object.fromEntries(Object.entries(provisionedFields(user)).map(([k, v]) => [`ACCOUNTS_USER_${k.toUpperCase()}`, v]));
  return new Promise((resolve, reject) => {
    const timeout = Math.max(timeoutMs * COMMAND_TIMEOUT_FACTOR, 60_000);
    execFile('/bin/sh', ['-c', command], { env: childEnvironment(vars), timeout, maxBuffer: 256 * 1024 }, (error) => {
      // The command's own output may echo the password: only its exit status is reported.
      if (error?.killed) reject(new ProvisioningFailed(`the provisioning command did not finish within ${timeout / 1000} s`));
      else if (error) reject(new ProvisioningFailed(`the provisioning command failed (exit ${error.code ?? error.signal ?? '?'})`));
      else resolve();
    });
  });
}

/** `source` comes resolved against the target (resolveProvision): a hook URL is absolute. */
export function provisioner(source: ProvisionSource | null, client: HttpClient, timeoutMs: number): Provisioner | null {
  if (!source) return null;
  if (source.kind === 'http') return (user) => viaHttp(source.url, user, client);
  return (user) => viaCommand(source.command, user, timeoutMs);
}
