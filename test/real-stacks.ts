/** What the self-tests against real stacks (Django, better-auth) share: ports, stopping, pinned findings. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './harness.js';

/** A stack's known findings (test/expectations/NAME.json), each with the real behaviour behind it. */
export interface Expectations {
  readonly profile: string;
  readonly findings: Readonly<Record<string, { readonly status: string; readonly why: string }>>;
}

export function expectations(name: string): Expectations {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'expectations', `${name}.json`), 'utf8')) as Expectations;
}

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Stops a stack's process and waits for it to exit. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
