/**
 * Progress during a run, on stderr (stdout carries the summary and, under GitHub Actions, the
 * annotations). On a terminal: one live line, rewritten in place. Elsewhere (CI logs): a plain
 * line every few seconds, and one line per failure as it happens.
 */
import type { Reporter, TestCase } from 'vitest/node';
import { findRequirement } from '../requirements/catalogue.js';

export interface ProgressOptions {
  readonly total: number;
  readonly out: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean };
  /** How often a plain line is printed when not on a terminal. */
  readonly intervalMs?: number;
}

/** How a finished test reads so far: the verdict collector decides the final word at the end. */
function liveStatus(test: TestCase): 'passed' | 'failed' | 'warning' | 'skipped' {
  // The verdict the test wrapper leaves in the meta, when it leaves one; else the test's state.
  const meta = test.meta() as { requirement?: { verdict?: string; warning?: string } };
  const verdict = meta.requirement?.verdict ?? (meta.requirement?.warning ? 'warning' : undefined);
  if (verdict === 'failed' || verdict === 'error') return 'failed';
  if (verdict === 'warning' || verdict === 'skipped' || verdict === 'passed') return verdict;
  const state = test.result().state;
  return state === 'failed' ? 'failed' : state === 'skipped' ? 'skipped' : 'passed';
}

export class ProgressReporter implements Reporter {
  private done = 0;
  private failed = 0;
  private warnings = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly tty: boolean;

  constructor(private readonly options: ProgressOptions) {
    this.tty = options.out.isTTY === true;
  }

  /** Starts the clock: a TTY line ticks every second, a plain line every interval. */
  start(): void {
    if (this.timer) return;
    const every = this.tty ? 1000 : (this.options.intervalMs ?? 5000);
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
    if (this.tty) this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty) this.options.out.write('\r\x1b[2K');
    else this.options.out.write(`progress: ${this.line()} — done\n`);
  }

  onTestCaseResult(test: TestCase): void {
    const id = test.name.split(' ')[0] ?? '';
    if (!findRequirement(id)) return;
    this.done++;
    const status = liveStatus(test);
    if (status === 'failed') this.failed++;
    if (status === 'warning') this.warnings++;
    if (status === 'failed') {
      // The test's own name carries the statement as the check states it.
      const text = `✗ ${id} (${findRequirement(id)?.level ?? ''}) ${test.name.slice(id.length + 1)}`;
      this.options.out.write(this.tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    }
    if (this.tty) this.tick();
  }

  private line(): string {
    const seconds = Math.round((Date.now() - this.started) / 1000);
    return `${this.done}/${this.options.total} checks, ${this.failed} failed, ${this.warnings} warnings, ${seconds} s`;
  }

  private tick(): void {
    if (this.tty) this.options.out.write(`\r\x1b[2K${this.line()}`);
    else this.options.out.write(`progress: ${this.line()}\n`);
  }
}
