/**
 * Account enumeration by timing (ASVS 5.0 6.3.8): whether an account exists must not show in how
 * long a failed login or a reset request takes. The test, robust on a loaded machine and against
 * a remote target:
 * - samples come in pairs, a known account's and an unknown one's side by side (in alternating
 *   order), so a load that comes and goes weighs on both sides alike;
 * - a round shows a difference only when the medians differ both relatively (the slower at least
 *   1.5 times the faster) and absolutely (by 20 ms or more: a production password hash costs tens
 *   to hundreds of ms, so skipping it shows; a database lookup or two does not), and when at least
 *   9 of the 10 pairs lean the same way (a load spike moves one pair, not nine);
 * - a round that shows a difference is measured again with fresh accounts, and only two rounds
 *   that show it the same way warn;
 * - each account is tried twice per round and each unknown name once, so no per-account throttle
 *   (3 or more attempts) is reached; a throttled answer makes the check inconclusive, never a finding.
 * The checks run alone, one after the other, after every other flow.
 */
import { check, sequentialChecks, type CheckContext } from '../helpers/harness/check.js';
import { fail, throttledReason } from '../helpers/checks.js';
import { Inconclusive } from '../helpers/outcome.js';
import type { Exchange } from '../helpers/wire/http.js';
import { THROTTLE_STATUSES } from '../helpers/wire/http.js';
import { attemptLogin, loginId, newPassword, newUserInput, uniqueEmail, type Account } from '../helpers/flows/users.js';

/** Pairs of samples per round; each known account gives two. */
const PAIRS = 10;
const ATTEMPTS_PER_ACCOUNT = 2;
const MIN_RATIO = 1.5;
const MIN_GAP_MS = 20;
/** Pairs that must lean the way the medians do: by chance alone, 9 of 10 happens about once in 100 rounds. */
const MIN_AGREEING_PAIRS = 9;

interface Sample {
  readonly ex: Exchange;
  readonly ms: number;
}

interface Round {
  readonly known: number;
  readonly unknown: number;
  /** How many pairs had the known account's answer slower. */
  readonly knownSlower: number;
  /** Which side is slower, when the round shows a difference. */
  readonly leaks: 'known' | 'unknown' | null;
  readonly evidence: readonly Exchange[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The time to the whole answer, measured here at sub-millisecond resolution; a throttled answer ends the check. */
async function timed(send: () => Promise<Exchange>): Promise<Sample> {
  const started = performance.now();
  const ex = await send();
  const ms = performance.now() - started;
  if (ex.status !== null && THROTTLE_STATUSES.includes(ex.status)) throw new Inconclusive(throttledReason(ex));
  if (ex.status === null) fail(`a timed request got no answer: ${ex.failure ?? 'unknown failure'}`, ex);
  return { ex, ms };
}

/** The two kinds of request a round compares. */
interface Probes {
  /** A request about one of the round's known accounts. */
  known(account: Account): Promise<Exchange>;
  /** A request about an account that does not exist, fresh each time. */
  unknown(): Promise<Exchange>;
}

async function measure(t: CheckContext, probes: Probes): Promise<Round> {
  const accounts = await Promise.all(Array.from({ length: PAIRS / ATTEMPTS_PER_ACCOUNT }, () => t.registerUser()));
  // Warm the connection and the server's unknown-account path; not counted.
  await timed(probes.unknown);
  const known: Sample[] = [];
  const unknown: Sample[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const account = accounts[i % accounts.length] as Account;
    const knownFirst = i % 2 === 0;
    if (knownFirst) known.push(await timed(() => probes.known(account)));
    unknown.push(await timed(probes.unknown));
    if (!knownFirst) known.push(await timed(() => probes.known(account)));
  }
  const [k, u] = [median(known.map((s) => s.ms)), median(unknown.map((s) => s.ms))];
  const knownSlower = known.filter((s, i) => s.ms > (unknown[i] as Sample).ms).length;
  const [slow, fast, agreeing] = k > u ? [k, u, knownSlower] : [u, k, PAIRS - knownSlower];
  const shows = slow >= MIN_RATIO * fast && slow - fast >= MIN_GAP_MS && agreeing >= MIN_AGREEING_PAIRS;
  const evidence = [known[0]?.ex, unknown[0]?.ex].filter((ex) => ex !== undefined);
  return { known: k, unknown: u, knownSlower, leaks: shows ? (k > u ? 'known' : 'unknown') : null, evidence };
}

function describeRound(r: Round): string {
  return `known ${r.known.toFixed(1)} ms, unknown ${r.unknown.toFixed(1)} ms (medians of ${PAIRS}; the known account slower in ${r.knownSlower} of ${PAIRS} pairs)`;
}

async function expectSameTime(t: CheckContext, what: string, probes: Probes): Promise<void> {
  const first = await measure(t, probes);
  if (!first.leaks) return;
  const second = await measure(t, probes);
  if (second.leaks !== first.leaks) return;
  fail(
    `${what} tells whether an account exists by its answer time, in two rounds with fresh accounts: ${describeRound(first)}; then ${describeRound(second)} (a warning takes, twice, a ratio of medians of at least ${MIN_RATIO}, a gap of at least ${MIN_GAP_MS} ms and ${MIN_AGREEING_PAIRS} of ${PAIRS} pairs agreeing)`,
    ...second.evidence,
  );
}

/** An identifier of the kind the profile logs in with, that no account has. */
function unknownLoginId(t: CheckContext): string {
  return loginId(t.profile, newUserInput(t.faker, t.profile));
}

// One after the other: the two would disturb each other's timing.
sequentialChecks('timing', () => {
  check('ACC-ENUM-003', async (t) => {
    const wrong = newPassword(t.faker);
    await expectSameTime(t, 'a failed login', {
      known: (account) => attemptLogin(t.api, loginId(t.profile, account), wrong, false),
      unknown: () => attemptLogin(t.api, unknownLoginId(t), wrong, false),
    });
  });

  check('ACC-ENUM-004', async (t) => {
    await expectSameTime(t, 'a reset request', {
      known: (account) => t.api.call('resetRequest', { fields: { identifier: account.email }, retryOnRateLimit: false }),
      unknown: () => t.api.call('resetRequest', { fields: { identifier: uniqueEmail(t.faker) }, retryOnRateLimit: false }),
    });
  });
});
