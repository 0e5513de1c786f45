/**
 * Small named checks. Each throws a CheckFailure whose message states the rule broken and
 * renders the evidence (masked, with a curl line). Checks never decide severity: the
 * requirement that calls them does.
 */
import type { SetupStep } from '../requirements/model.js';
import { CheckFailure, Inconclusive, NotApplicable, SetupFailure } from './outcome.js';
import { renderExchange, type Exchange } from './wire/http.js';
import { mask } from './wire/mask.js';
import { OPERATION_IDS, pointer, refusalStatuses, successStatuses, type OperationId, type Refusal, type TargetProfile } from './wire/profile.js';
import { schemaViolations, type SchemaRef } from './wire/schemas.js';

/** Why a throttled answer says nothing about the rule: the check is inconclusive, not failed. */
export function throttledReason(ex: Exchange): string {
  const { status, retries, retryAfterS } = ex.throttled ?? { status: ex.status, retries: 0 };
  const why = retryAfterS === undefined ? `after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : `it asked to wait ${retryAfterS} s`;
  return mask(`the target throttled this check: ${status} (${why}) to ${ex.request.method} ${new URL(ex.request.url).pathname}`);
}

/**
 * Every assertion ends here. Evidence the target throttled (a 429 or 503 still refused after the
 * retries) is no verdict about the rule under test: the check is inconclusive.
 */
export function fail(reason: string, ...evidence: Exchange[]): never {
  const throttled = evidence.find((ex) => ex.throttled);
  if (throttled) throw new Inconclusive(throttledReason(throttled));
  throw new CheckFailure(mask([reason, ...evidence.map(renderExchange)].join('\n')));
}

function statusProblem(ex: Exchange, expected: readonly number[]): string | null {
  const problem = statusMismatch(ex, expected);
  // A body that claims JSON but is not is worth saying first-hand, whatever the status.
  return problem && ex.jsonError && isJsonType(ex.contentType) ? `${problem}; and the ${ex.jsonError}` : problem;
}

function statusMismatch(ex: Exchange, expected: readonly number[]): string | null {
  const want = expected.join(' or ');
  if (ex.status === null) return `expected ${want}, but no response arrived: ${ex.failure ?? 'unknown failure'}`;
  if (ex.failure) return `expected ${want}, got ${ex.status} with a broken body: ${ex.failure}`;
  if (expected.includes(ex.status)) return null;
  if (ex.status >= 300 && ex.status < 400) {
    return `expected ${want}, got redirect ${ex.status} to ${ex.headers.location ?? '(no Location)'} (the suite does not follow redirects)`;
  }
  if (ex.status >= 500) return `expected ${want}, got server error ${ex.status} (no request of the suite may produce a 5xx)`;
  return `expected status ${want}, got ${ex.status}`;
}

export function expectStatus(ex: Exchange, ...expected: number[]): void {
  const problem = statusProblem(ex, expected);
  if (problem) fail(problem, ex);
}

function isJsonType(contentType: string): boolean {
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || (essence.startsWith('application/') && essence.endsWith('+json'));
}

export function expectJson(ex: Exchange): void {
  if (!isJsonType(ex.contentType)) fail(`expected an application/json answer, got ${ex.contentType || 'no content-type'}`, ex);
  if (ex.json === undefined) fail(`expected a JSON body: ${ex.jsonError ?? 'not JSON'}`, ex);
}

/** A profile that names no schema for an answer (its `schemas` leave it out) cannot have that answer's shape judged. */
export function expectSchema(ex: Exchange, value: unknown, schema: SchemaRef | undefined, root: string): void {
  if (schema === undefined) throw new NotApplicable(`the profile names no schema for the answer of ${ex.operation ?? 'this request'} (its schemas)`);
  const violations = schemaViolations(schema, value, root);
  if (violations.length) fail(`${root || 'the answer'} does not match ${schema}.json:\n  - ${violations.join('\n  - ')}`, ex);
}

export function expectEqual(ex: Exchange, actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`, ex);
  }
}

export function expectThat(ex: Exchange, condition: boolean, reason: string): void {
  if (!condition) fail(reason, ex);
}

/** Checks bound to a profile: they know its envelope and where it keeps errors. */
export class Checks {
  constructor(private readonly profile: TargetProfile) {}

  /** A body is expected only where the operation answers with one (204 answers carry none). */
  expectSuccessEnvelope(ex: Exchange): void {
    if (ex.status === 204) return;
    expectJson(ex);
    const schema = this.profile.envelope.success;
    if (schema) expectSchema(ex, ex.json, schema, '');
  }

  expectErrorEnvelope(ex: Exchange): void {
    expectJson(ex);
    const schema = this.profile.envelope.error;
    if (schema) expectSchema(ex, ex.json, schema, '');
  }

  /** The operation an exchange called, when it is one of the profile's (a raw request is not). */
  private operationOf(ex: Exchange): OperationId | undefined {
    return OPERATION_IDS.find((op) => op === ex.operation);
  }

  /** The operation's success status (from the profile) and the success envelope. */
  expectOk(ex: Exchange): void {
    expectStatus(ex, ...successStatuses(this.profile, this.operationOf(ex)));
    this.expectSuccessEnvelope(ex);
  }

  /**
   * A success that is this check's means as well as its subject (the envelope of a registration,
   * the password absent from it). Another 2xx than the profile's success status is the finding
   * of the step's own requirement (ACC-REG-001 for a registration), reported there: this check is
   * skipped behind it rather than failed for a rule that is not its own. Anything else is judged
   * as by expectOk.
   */
  expectStepOk(ex: Exchange, step: SetupStep): void {
    const expected = successStatuses(this.profile, this.operationOf(ex));
    if (ex.status !== null && ex.status >= 200 && ex.status < 300 && !expected.includes(ex.status)) {
      throw new SetupFailure(step, `expected status ${expected.join(' or ')}, got ${ex.status}`);
    }
    this.expectOk(ex);
  }

  /**
   * Whether an answer is the operation's own way of saying "not signed in" where that is no
   * refusal status (the profile's `unauthenticated` answer: better-auth's get-session, 200 null).
   */
  private isUnauthenticatedAnswer(ex: Exchange, kind: Refusal): boolean {
    const op = this.operationOf(ex);
    const answer = kind === 'unauthorized' && op ? this.profile.operations[op]?.unauthenticated : undefined;
    return answer !== undefined && !ex.failure && ex.status === answer.status && JSON.stringify(ex.json ?? null) === JSON.stringify(answer.body ?? null);
  }

  /** The status of a kind of refusal, as the profile's dialect answers it for this operation. */
  expectRefusalStatus(ex: Exchange, kind: Refusal): void {
    if (this.isUnauthenticatedAnswer(ex, kind)) return;
    expectStatus(ex, ...refusalStatuses(this.profile, kind, this.operationOf(ex)));
  }

  /** The status of a kind of refusal and the error envelope (an operation's own unauthenticated answer has none). */
  expectRefused(ex: Exchange, kind: Refusal): void {
    if (this.isUnauthenticatedAnswer(ex, kind)) return;
    this.expectRefusalStatus(ex, kind);
    this.expectErrorEnvelope(ex);
  }

  /** Whether an answer is a refusal of this kind, as the profile's dialect answers it for this operation. */
  isRefusal(ex: Exchange, kind: Refusal): boolean {
    if (this.isUnauthenticatedAnswer(ex, kind)) return true;
    return ex.status !== null && refusalStatuses(this.profile, kind, this.operationOf(ex)).includes(ex.status);
  }

  /**
   * Whether an answer is a refusal that a check accepts in place of compliance (refusing
   * privileged fields outright is as good as ignoring them). It counts only as a refusal of its
   * subject: invalid input in the error envelope, and the same request without the subject is
   * accepted. Otherwise the refusal was about something else (a missing header, a broken
   * operation) and says nothing of the rule: the check fails.
   */
  async refusedForSubject(refused: Exchange, withoutSubject: () => Promise<Exchange>, subject: string): Promise<boolean> {
    if (!this.isRefusal(refused, 'invalid')) return false;
    this.expectErrorEnvelope(refused);
    const control = await withoutSubject();
    if (control.status === null || control.status >= 300) {
      fail(`the request with ${subject} was refused (${refused.status}), but so is the same request without them (${control.status ?? control.failure}): the refusal is not about ${subject}`, refused, control);
    }
    return true;
  }

  /**
   * The errors object names the field. DRF may key a nested field as `profile.full_name`,
   * nest it (`profile: { full_name }`) or flatten it (`full_name`); all three name it.
   */
  expectFieldError(ex: Exchange, wireName: string): void {
    // A dialect without field-level errors ({message, error_code}) is held to status and envelope only.
    if (this.profile.response.errors === undefined) return;
    const errors = pointer(ex.json, this.profile.response.errors);
    const keys = wireName.split('.');
    if (Array.isArray(errors)) {
      // Errors as a list of objects, each naming its field (a string, or a path array).
      const at = this.profile.response.errorField ?? '/field';
      const named = errors.map((item) => pointer(item, at)).map((f) => (Array.isArray(f) ? f.map(String) : typeof f === 'string' ? f.split('.') : []));
      if (!named.some((path) => path.join('.') === wireName || path[path.length - 1] === keys[keys.length - 1])) {
        fail(`expected an error naming the field '${wireName}' at ${at} of an item of ${this.profile.response.errors} (fields named: ${named.map((p) => p.join('.')).join(', ') || 'none'})`, ex);
      }
      return;
    }
    const candidates = [pointer(errors, `/${wireName}`), pointer(errors, `/${keys.join('/')}`), pointer(errors, `/${keys[keys.length - 1]}`)];
    if (!candidates.some((c) => c !== undefined)) {
      const present = errors && typeof errors === 'object' ? Object.keys(errors).join(', ') || 'none' : 'no errors object';
      fail(`expected errors to name the field '${wireName}' (errors present: ${present})`, ex);
    }
  }
}
