/**
 * Outcomes: what a check can end in, as data. The test wrapper (`harness/check.ts`) turns each
 * thrown outcome into a verdict in the task's meta; the CLI reads that meta, never message text.
 *
 * - passed: the check sent its subject and judged the answer to it;
 * - failed: the target broke the rule (a MUST, or a SHOULD under --strict);
 * - warning: the target broke a SHOULD;
 * - skipped: the check could not tell, with the kind of reason;
 * - error: the suite itself crashed (a harness error, JUnit `<error>`), not a finding.
 */
import type { SetupStep } from '../requirements/model.js';

export type Verdict = 'passed' | 'failed' | 'warning' | 'skipped' | 'error';

export const SKIP_KINDS = ['not-applicable', 'setup-failed', 'no-code-source', 'no-clock', 'inconclusive'] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

export interface Skip {
  readonly kind: SkipKind;
  readonly reason: string;
  /** For setup-failed: the requirement whose step failed. */
  readonly prerequisite?: string;
}

/** What a check sent: the operation and the neutral fields it put on the wire. */
export interface Probe {
  readonly operation: string;
  readonly fields: readonly string[];
  /** The status the target answered, or null when no answer arrived. */
  readonly status: number | null;
}

/** A check's message until it ends: still there when vitest cut it short (a timeout), so the CLI tells that apart. */
export const UNFINISHED = 'the check did not finish';

export interface Outcome {
  readonly verdict: Verdict;
  /** The finding, the skip reason or the crash: masked. */
  readonly message: string;
  readonly skip?: Skip;
}

/** The target broke the rule under test. */
export class CheckFailure extends Error {
  override readonly name: string = 'CheckFailure';
}

/**
 * A setup step failed (registering or logging in a user of the check's own): the requirement
 * under test was not reached. The catalogue says which requirement the step is; the harness
 * reports the failure there, and skips this check with that prerequisite.
 */
export class SetupFailure extends Error {
  override readonly name = 'SetupFailure';
  constructor(
    readonly step: SetupStep,
    message: string,
  ) {
    super(message);
  }
}

/** The requirement does not apply to this target (a capability or field it does not have). */
export class NotApplicable extends Error {
  override readonly name = 'NotApplicable';
}

/** The target throttled or was unavailable for the request under test: no verdict about the rule. */
export class Inconclusive extends Error {
  override readonly name = 'Inconclusive';
}

/** No real OTP could be read: checks that need one are skipped. */
export class OtpUnavailable extends Error {
  override readonly name = 'OtpUnavailable';
}

/** The target's clock hook is missing or did not answer: checks that need it are skipped. */
export class ClockUnavailable extends Error {
  override readonly name = 'ClockUnavailable';
}
