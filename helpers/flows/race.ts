/**
 * Fires N requests at once. The connections are opened first (one warm-up request per slot,
 * all in flight together, so the pool holds N open keep-alive sockets), then every request is
 * launched in the same tick: the server sees them as close together as one client can send.
 */
import type { Api } from '../wire/api.js';
import type { Exchange } from '../wire/http.js';

export const RACE_WIDTH = 8;

export async function fireTogether(api: Api, n: number, request: (i: number) => Promise<Exchange>): Promise<Exchange[]> {
  await Promise.all(Array.from({ length: n }, () => api.unknownEndpoint()));
  return Promise.all(Array.from({ length: n }, (_, i) => request(i)));
}

/** Counts the answers by status, for a verdict message: `201×1, 400×7`. */
export function tally(answers: readonly Exchange[]): string {
  const counts = new Map<string, number>();
  for (const ex of answers) {
    const key = ex.status === null ? `no answer (${ex.failure ?? '?'})` : String(ex.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, v]) => `${k}×${v}`).join(', ');
}
