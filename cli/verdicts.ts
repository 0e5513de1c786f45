/**
 * Verdicts: the one vocabulary of the product. A vitest reporter collects each requirement's
 * outcome from the test run; requirements of the selected flows that produced no result (a spec
 * that failed to load, a run cut short) are failed as "did not run", never silently dropped.
 */
import { basename } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import { REQUIREMENTS, findRequirement, type Flow, type Level, type Requirement } from '../requirements/catalogue.js';
import { BREAKER_MARK } from '../helpers/wire/http.js';
import { mask } from '../helpers/wire/mask.js';
import type { Skip } from '../helpers/outcome.js';

/** `error`: the suite itself crashed in this check (a harness error, JUnit `<error>`), not a finding about the target. */
export type Status = 'passed' | 'failed' | 'warning' | 'skipped' | 'error';

export interface Result {
  readonly id: string;
  readonly flow: Flow;
  readonly level: Level;
  readonly status: Status;
  readonly title: string;
  readonly source: string;
  readonly message: string;
  readonly durationMs: number;
  /** For a skipped check: the kind of reason (not applicable, setup failed, inconclusive, ...). */
  readonly skip?: Skip;
  /** For a SHOULD finding: why it is only a warning, and the usual fix. */
  readonly advice?: string;
}

interface Meta {
  requirement?: { warning?: string };
}

function verdictOf(test: TestCase): Pick<Result, 'status' | 'message'> {
  const result = test.result();
  const meta = test.meta() as Meta;
  switch (result.state) {
    case 'passed':
      return meta.requirement?.warning ? { status: 'warning', message: meta.requirement.warning } : { status: 'passed', message: '' };
    case 'skipped':
      return { status: 'skipped', message: result.note ?? 'skipped' };
    case 'failed':
      return { status: 'failed', message: result.errors.map((e) => e.message).join('\n') || 'failed' };
    default:
      return { status: 'failed', message: 'the check did not finish' };
  }
}

export class VerdictCollector implements Reporter {
  private readonly results = new Map<string, Result>();
  readonly problems: string[] = [];

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
    const finding = req.level === 'SHOULD' && (verdict.status === 'warning' || verdict.status === 'failed');
    const advice = finding ? `SHOULD (${req.source}): a warning, not a failure, unless --strict. ${req.advice ?? ''}`.trim() : undefined;
    this.results.set(id, { ...base(req), ...verdict, message: mask(verdict.message), durationMs: Math.round(test.diagnostic()?.duration ?? 0), ...(advice ? { advice } : {}) });
  }

  /** Every requirement of the selected flows, in catalogue order. */
  verdicts(flows: readonly Flow[]): Result[] {
    const broken = [...this.results.values()].filter((r) => r.message.includes(BREAKER_MARK)).length;
    if (broken > 0 && !this.problems.some((p) => p.includes(BREAKER_MARK))) {
      this.problems.push(`${BREAKER_MARK}: the target stopped answering during the run; ${broken} checks failed without reaching it`);
    }
    return REQUIREMENTS.filter((r) => flows.includes(r.flow)).map((r) => {
      const result = this.results.get(r.id);
      if (!result) return { ...base(r), status: 'failed', message: notRunMessage(this.problems), durationMs: 0 };
      return orphanedSetupFailure(result, flows) ?? result;
    });
  }
}

function base(req: Requirement): Pick<Result, 'id' | 'flow' | 'level' | 'title' | 'source'> {
  return { id: req.id, flow: req.flow, level: req.level, title: req.title, source: req.source };
}

/**
 * A setup failure is reported by the requirement it names. When that requirement's flow was not
 * selected (--only), nothing else would fail for it: the dependent check fails instead, so a
 * partial run can never pass over a broken prerequisite.
 */
function orphanedSetupFailure(result: Result, flows: readonly Flow[]): Result | null {
  const prerequisite = /^setup failed: (ACC-[A-Z]+-\d+)/.exec(result.message)?.[1];
  if (result.status !== 'skipped' || !prerequisite) return null;
  const req = findRequirement(prerequisite);
  if (!req || flows.includes(req.flow)) return null;
  return { ...result, status: 'failed', message: `${result.message}\n(${prerequisite} was not selected with --only, so this check reports its failure)` };
}

function notRunMessage(problems: readonly string[]): string {
  const why = problems[0] ? `: ${mask(problems[0])}` : '';
  return `the check did not run${why}`;
}
