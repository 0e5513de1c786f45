/**
 * `check(id, body)`: one test for one requirement. The title comes from the catalogue so it
 * cannot drift. The outcome is recorded as data in the task's meta (helpers/outcome.ts):
 * - the requirement's needs decide first whether it applies (requirements/applicability.ts);
 * - a thrown CheckFailure fails a MUST, warns a SHOULD (unless --strict);
 * - a failed setup step skips it, naming the prerequisite requirement; when the step is the
 *   check's own subject (logging in, for the login check), it fails instead;
 * - a throttled target, a missing code or clock hook, or a capability found missing at run time
 *   skip it, with the kind of reason;
 * - anything else is a crash of the suite itself: a harness error, not a finding.
 * A check that passed must have sent its subject: the fields its needs name, as the profile
 * maps them. One that did not is a harness error, never a hollow pass.
 * Every message leaving the worker is masked.
 */
import type { Faker } from '@faker-js/faker';
// Only the English locale: the package's main entry loads every locale.
import { faker as english } from '@faker-js/faker/locale/en';
import { describe, test } from 'vitest';
import { notApplicable, runUnmet, unsentSubject, type RunFacts } from '../../requirements/applicability.js';
import { requirement, setupRequirement, type RequirementId } from '../../requirements/catalogue.js';
import type { Level } from '../../requirements/model.js';
import { levelFor, statementOf } from '../../requirements/statement.js';
import type { OtpRequest } from '../flows/otp.js';
import { loginAs, registerUser, type Account, type NewUser, type Tokens } from '../flows/users.js';
import { UNFINISHED, CheckFailure, ClockUnavailable, Inconclusive, NotApplicable, OtpUnavailable, SetupFailure, type Probe, type Skip, type Verdict } from '../outcome.js';
import { mask } from '../wire/mask.js';
import { inScope } from '../wire/scope.js';
import { boundRun, runtime, type Runtime } from './runtime.js';

/** What a check leaves in its task's meta for the CLI: the outcome as data, and what it probed. */
export interface RequirementMeta {
  readonly id: string;
  readonly level: Level;
  readonly source: string;
  verdict: Verdict;
  message: string;
  skip?: Skip;
  readonly probes: Probe[];
}

declare module 'vitest' {
  interface TaskMeta {
    requirement?: RequirementMeta;
  }
}

export interface CheckContext extends Runtime {
  readonly faker: Faker;
  registerUser(overrides?: Partial<NewUser>): Promise<Account>;
  loginAs(username: string, password: string): Promise<Tokens>;
  readOtp(req: OtpRequest): Promise<string>;
}

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

function contextFor(rt: Runtime, id: string): CheckContext {
  const faker = new (english.constructor as typeof Faker)({ locale: english.rawDefinitions });
  faker.seed((rt.settings.seed ^ hash(id)) >>> 0);
  return {
    ...rt,
    faker,
    registerUser: (overrides) => registerUser(rt.api, rt.checks, faker, overrides, rt.provision),
    loginAs: (username, password) => loginAs(rt.api, rt.checks, username, password),
    readOtp: (req) => rt.otp.read(req),
  };
}

export function runFacts(rt: Runtime): RunFacts {
  const kind = rt.settings.otpSource?.kind;
  return { provisioning: rt.provision !== null, codes: kind === undefined ? 'none' : kind === 'fixed' ? 'fixed' : 'real', clock: rt.clock.available };
}

/** The skip an outcome exception stands for, or null when it is not one. */
function skipOf(error: unknown, id: string, rt: Runtime): Skip | null {
  if (error instanceof SetupFailure) {
    const prerequisite = setupRequirement(error.step, rt.profile.loginWith);
    // A setup step that is this check's own subject (logging in, for the login check) fails it.
    if (prerequisite === id) return null;
    return { kind: 'setup-failed', prerequisite, reason: `setup failed: ${prerequisite} — ${error.message}` };
  }
  if (error instanceof Inconclusive) return { kind: 'inconclusive', reason: `inconclusive: ${error.message}` };
  if (error instanceof OtpUnavailable) return { kind: 'no-code-source', reason: `needs a real OTP: ${error.message}` };
  if (error instanceof ClockUnavailable) return { kind: 'no-clock', reason: `needs the target's clock hook: ${error.message}` };
  if (error instanceof NotApplicable) return { kind: 'not-applicable', reason: `not applicable: ${error.message}` };
  return null;
}

/** How many sequentialChecks suites are being collected around the check being declared. */
let sequentialDepth = 0;

/**
 * A suite of checks that run one after the other (they move the target's clock, or time its
 * answers). Every other check runs concurrently with the checks of its spec file.
 */
export function sequentialChecks(name: string, body: () => void): void {
  describe.sequential(name, () => {
    sequentialDepth += 1;
    try {
      body();
    } finally {
      sequentialDepth -= 1;
    }
  });
}

export function check(id: RequirementId, body: (t: CheckContext) => Promise<void>): void {
  const req = requirement(id);
  // The run this check belongs to is known when it is declared (a batch loads one spec per run).
  const run = boundRun();
  test(`${id} ${statementOf(req)}`, { concurrent: sequentialDepth === 0 }, async (ctx) => {
    const rt = runtime(run);
    const level = levelFor(req, rt.profile);
    const meta: RequirementMeta = { id, level, source: req.source, verdict: 'failed', message: UNFINISHED, probes: [] };
    ctx.task.meta.requirement = meta;
    const skip = (s: Skip): never => {
      const reason = mask(s.reason);
      Object.assign(meta, { verdict: 'skipped', message: reason, skip: { ...s, reason } });
      return ctx.skip(reason) as never;
    };
    const facts = runFacts(rt);
    const inapplicable = notApplicable(req, rt.profile, facts);
    if (inapplicable) skip({ kind: 'not-applicable', reason: `not applicable: ${inapplicable}` });
    const unmet = runUnmet(req, facts);
    if (unmet) skip(unmet);
    try {
      await inScope({ requirementId: id, probes: meta.probes }, () => body(contextFor(rt, id)));
    } catch (error) {
      const skipped = skipOf(error, id, rt);
      if (skipped) skip(skipped);
      const message = mask(error instanceof Error ? error.message : String(error));
      if (error instanceof CheckFailure || error instanceof SetupFailure) {
        if (level === 'SHOULD' && !rt.settings.strict) {
          Object.assign(meta, { verdict: 'warning', message });
          await ctx.annotate(message, 'warning');
          return;
        }
        Object.assign(meta, { verdict: 'failed', message });
        const failure = new Error(message);
        failure.stack = message;
        throw failure;
      }
      // Not a finding about the target: the suite itself went wrong.
      const crash = `harness error: ${mask(error instanceof Error ? (error.stack ?? message) : message)}`;
      Object.assign(meta, { verdict: 'error', message: crash });
      throw new Error(crash);
    }
    const unsent = unsentSubject(req.needs, meta.probes);
    if (unsent.length) {
      const crash = `harness error: the check passed without sending its subject (${unsent.join(', ')})`;
      Object.assign(meta, { verdict: 'error', message: crash });
      throw new Error(crash);
    }
    Object.assign(meta, { verdict: 'passed', message: '' });
  });
}
