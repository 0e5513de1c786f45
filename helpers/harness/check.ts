/**
 * `check(id, body)`: one test for one requirement. The title comes from the catalogue so it
 * cannot drift; the level decides what a failure means (MUST fails, SHOULD warns unless
 * --strict); setup failures and missing OTPs end as skipped with the reason; every message
 * leaving the worker is masked.
 */
import { ClockUnavailable, NotApplicable, OtpUnavailable, SetupFailure } from '../outcome.js';
import { Faker, en } from '@faker-js/faker';
import { test } from 'vitest';
import { notApplicable } from '../../requirements/applicability.js';
import { requirement, titleOf, type Level, type RequirementId } from '../../requirements/catalogue.js';

import { mask } from '../wire/mask.js';
import { type OtpRequest } from '../flows/otp.js';
import { runtime, type Runtime } from './runtime.js';
import { loginAs, registerUser, type Account, type NewUser, type Tokens } from '../flows/users.js';

export interface RequirementMeta {
  readonly id: string;
  readonly level: Level;
  readonly source: string;
  warning?: string;
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
  const faker = new Faker({ locale: [en] });
  faker.seed((rt.settings.seed ^ hash(id)) >>> 0);
  return {
    ...rt,
    faker,
    registerUser: (overrides) => registerUser(rt.api, rt.checks, faker, overrides, rt.provision),
    loginAs: (username, password) => loginAs(rt.api, rt.checks, username, password),
    readOtp: (req) => rt.otp.read(req),
  };
}

export function check(id: RequirementId, body: (t: CheckContext) => Promise<void>): void {
  const req = requirement(id);
  test(titleOf(id), async (ctx) => {
    const rt = runtime();
    const meta: RequirementMeta = { id, level: req.level, source: req.source };
    ctx.task.meta.requirement = meta;
    const inapplicable = notApplicable(req, rt.profile, { provisioning: rt.provision !== null });
    if (inapplicable) ctx.skip(`not applicable: ${inapplicable}`);
    if (req.needsOtp && !rt.otp.available) ctx.skip(`needs a real OTP: ${rt.otp.description}`);
    if (req.needsClock && !rt.clock.available) ctx.skip("needs the target's clock hook: none configured (--clock-hook)");
    try {
      await body(contextFor(rt, id));
    } catch (error) {
      // A setup step that is this check's own subject (logging in, for the login check) fails it.
      if (error instanceof SetupFailure && error.requirementId !== id) ctx.skip(mask(`setup failed: ${error.requirementId} — ${error.message}`));
      if (error instanceof OtpUnavailable) ctx.skip(mask(`needs a real OTP: ${error.message}`));
      if (error instanceof ClockUnavailable) ctx.skip(mask(`needs the target's clock hook: ${error.message}`));
      if (error instanceof NotApplicable) ctx.skip(mask(`not applicable: ${error.message}`));
      const message = mask(error instanceof Error ? error.message : String(error));
      if (req.level === 'SHOULD' && !rt.settings.strict) {
        meta.warning = message;
        await ctx.annotate(message, 'warning');
        return;
      }
      const failure = new Error(message);
      failure.stack = error instanceof Error && error.name !== 'CheckFailure' ? mask(error.stack ?? message) : message;
      throw failure;
    }
  });
}
