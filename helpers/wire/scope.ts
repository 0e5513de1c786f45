/**
 * The check in progress, for code far below it: the Api records what each request sent
 * (probes) and the recorder tags exchanges with the requirement id. Checks run concurrently in
 * a worker, so the scope travels with the async context, not in a global.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Probe } from '../outcome.js';

export interface CheckScope {
  readonly requirementId: string;
  /** What the check sent, in order: operation, neutral fields on the wire, status answered. */
  readonly probes: Probe[];
}

const storage = new AsyncLocalStorage<CheckScope>();

/** Runs a check's body inside its scope. */
export function inScope<T>(scope: CheckScope, body: () => Promise<T>): Promise<T> {
  return storage.run(scope, body);
}

/** The check in progress, or undefined outside any check (setup hooks, self-tests). */
export function currentScope(): CheckScope | undefined {
  return storage.getStore();
}
