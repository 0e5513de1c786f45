/**
 * Verdicts: the one vocabulary of the product. A vitest reporter collects each requirement's
 * outcome from the task meta the check wrapper wrote (helpers/harness/check.ts), as data, never
 * parsed back from messages. Requirements of the selected flows that produced no result (a spec
 * that failed to load, a run cut short) are failed as "did not run", never silently dropped.
 * Statements and levels are the profile's (requirements/statement.ts).
 */
import { basename } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import type { RequirementMeta } from '../helpers/harness/check.js';
import { UNFINISHED, type Probe, type Skip } from '../helpers/outcome.js';
import { BREAKER_MARK } from '../helpers/wire/http.js';
import { mask } from '../helpers/wire/mask.js';
import type { TargetProfile } from '../helpers/wire/profile.js';
import { REQUIREMENTS, findRequirement, type Flow, type Level, type Requirement } from '../requirements/catalogue.js';
import { adviceFor, levelFor, statementOf } from '../requirements/statement.js';

/** `error`: the suite itself crashed in this check (a harness error, JUnit `<error>`), not a finding about the target. */
export type Status = 'passed' | 'failed' | 'warning' | 'skipped' | 'error';

export interface Result {
  readonly id: string;
  readonly flow: Flow;
  /** The level for this profile (a seed-only MUST is a SHOULD for a profile of another contract). */
  readonly level: Level;
  readonly status: Status;
  /** The statement in the profile's words. */
  readonly title: string;
  readonly source: string;
  readonly message: string;
  readonly durationMs: number;
  /** For a skipped check: the kind of reason (not applicable, setup failed, inconclusive, ...). */
  readonly skip?: Skip;
  /** What the check sent: operation, neutral fields, status answered. */
  readonly probes?: readonly Probe[];
  /** For a SHOULD finding: why it is only a warning, and the usual fix. */
  readonly advice?: string;
}

type Verdict = Pick<Result, 'status' | 'message' | 'skip' | 'probes'>;

function verdictOf(test: TestCase): Verdict {
  const result = test.result();
  const meta = test.meta().requirement as RequirementMeta | undefined;
  const probes = meta?.probes.length ? meta.probes : undefined;
  const vitestErrors = result.state === 'failed' ? result.errors.map((e) => e.message).join('\n') : '';
  switch (result.state) {
    case 'passed':
      return meta?.verdict === 'warning' ? { status: 'warning', message: meta.message, probes } : { status: 'passed', message: '', probes };
    case 'skipped':
      return { status: 'skipped', message: meta?.skip?.reason ?? result.note ?? 'skipped', skip: meta?.skip, probes };
    case 'failed':
      // The wrapper decided failed or error; a vitest timeout or a crash outside it is a failure with vitest's words.
      if (meta?.verdict === 'error') return { status: 'error', message: meta.message, probes };
      if (meta?.verdict === 'failed' && meta.message !== UNFINISHED) return { status: 'failed', message: meta.message, probes };
      return { status: 'failed', message: vitestErrors || 'failed', probes };
    default:
      return { status: 'failed', message: UNFINISHED, probes };
  }
}

export class VerdictCollector implements Reporter {
  private readonly results = new Map<string, Result>();
  readonly problems: string[] = [];

  constructor(private readonly profile: TargetProfile | null = null) {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    for (const module of modules) {
      for (const error of module.errors()) this.problems.push(`${basename(module.moduleId)}: ${error.message}`);
      for (const test of module.children.allTests()) this.add(test);
    }
    for (const error of unhandled) this.problems.push(`unhandled error: ${error.message}`);
  }

  private add(test: TestCase): void {
    const id = test.name.split(' ')[0] ?? '';
    const req = findRequirement(id);
    if (!req) {
      this.problems.push(`a test outside the catalogue ran: ${test.name}`);
      return;
    }
    const verdict = verdictOf(test);
    const level = levelFor(req, this.profile);
    const finding = level === 'SHOULD' && (verdict.status === 'warning' || verdict.status === 'failed');
    const advice = finding ? `SHOULD (${req.source}): a warning, not a failure, unless --strict. ${adviceFor(req, this.profile) ?? ''}`.trim() : undefined;
    const skip = verdict.skip ? { ...verdict.skip, reason: mask(verdict.skip.reason) } : undefined;
    this.results.set(id, {
      ...base(req, this.profile),
      ...verdict,
      message: mask(verdict.message),
      ...(skip ? { skip } : {}),
      durationMs: Math.round(test.diagnostic()?.duration ?? 0),
      ...(advice ? { advice } : {}),
    });
  }

  /** Every requirement of the selected flows, in catalogue order. */
  verdicts(flows: readonly Flow[]): Result[] {
    const broken = [...this.results.values()].filter((r) => r.message.includes(BREAKER_MARK)).length;
    if (broken > 0 && !this.problems.some((p) => p.includes(BREAKER_MARK))) {
      this.problems.push(`${BREAKER_MARK}: the target stopped answering during the run; ${broken} checks failed without reaching it`);
    }
    const results = REQUIREMENTS.filter((r) => flows.includes(r.flow)).map((r) => {
      const result = this.results.get(r.id);
      if (!result) return { ...base(r, this.profile), status: 'failed', message: notRunMessage(this.problems), durationMs: 0 } satisfies Result;
      return orphanedSetupFailure(result, flows) ?? result;
    });
    return behindBrokenPrerequisites(results);
  }
}

/**
 * A check whose prerequisite failed in this run cannot be judged apart from it (the refreshed
 * token cannot be tried when refresh is broken): its own failure or warning is reported as a
 * skip naming the failed requirement at the root, which carries the finding.
 */
function behindBrokenPrerequisites(results: readonly Result[]): Result[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const roots = new Map<string, string | null>();
  /** The failed requirement at the root of a result's failure, or null when it is not broken. */
  const rootOf = (id: string, seen: ReadonlySet<string> = new Set()): string | null => {
    if (roots.has(id)) return roots.get(id) ?? null;
    const r = byId.get(id);
    let root: string | null = null;
    if (r?.status === 'failed') {
      const behind = (findRequirement(id)?.dependsOn ?? []).filter((d) => !seen.has(d)).map((d) => rootOf(d, new Set([...seen, id]))).find((x) => x !== null);
      root = behind ?? id;
    } else if (r?.status === 'skipped' && r.skip?.kind === 'setup-failed' && r.skip.prerequisite) {
      root = rootOf(r.skip.prerequisite, new Set([...seen, id])) ?? r.skip.prerequisite;
    }
    roots.set(id, root);
    return root;
  };
  return results.map((r) => {
    if (r.status !== 'failed' && r.status !== 'warning') return r;
    const root = r.status === 'failed' ? rootOf(r.id) : ((findRequirement(r.id)?.dependsOn ?? []).map((d) => rootOf(d)).find((x) => x !== null) ?? null);
    if (root === null || root === r.id) return r;
    const reason = `setup failed: ${root} failed in this run, so this check cannot be judged apart from it`;
    return { ...r, status: 'skipped', message: `${reason}\n${r.message}`, skip: { kind: 'setup-failed', prerequisite: root, reason } };
  });
}

function base(req: Requirement, profile: TargetProfile | null): Pick<Result, 'id' | 'flow' | 'level' | 'title' | 'source'> {
  return { id: req.id, flow: req.flow, level: levelFor(req, profile), title: statementOf(req, profile), source: req.source };
}

/**
 * A setup failure is reported by the requirement it names. When that requirement's flow was not
 * selected (--only), nothing else would fail for it: the dependent check fails instead, so a
 * partial run can never pass over a broken prerequisite.
 */
function orphanedSetupFailure(result: Result, flows: readonly Flow[]): Result | null {
  const prerequisite = result.skip?.kind === 'setup-failed' ? result.skip.prerequisite : undefined;
  if (result.status !== 'skipped' || !prerequisite) return null;
  const req = findRequirement(prerequisite);
  if (!req || flows.includes(req.flow)) return null;
  const { skip: _skip, ...rest } = result;
  return { ...rest, status: 'failed', message: `${result.message}\n(${prerequisite} was not selected with --only, so this check reports its failure)` };
}

function notRunMessage(problems: readonly string[]): string {
  const why = problems[0] ? `: ${mask(problems[0])}` : '';
  return `the check did not run${why}`;
}
