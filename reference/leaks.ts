/**
 * The information-leak faults, as modifiers of an answer the dialect already made: an error
 * answer that carries the exception's stack trace (a debug mode left on), one that echoes the
 * refused request body back (passwords included), and successful answers, tokens and all, sent
 * without Cache-Control: no-store.
 */
import type { Ctx } from './context.js';
import type { Outgoing } from './http.js';
import { isPlainObject } from './validation.js';

function jsonObjectOf(out: Outgoing): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(out.body.toString('utf8'));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Faults error-stack-trace and echoes-refused-input, on an error answer. */
export function leakyError(ctx: Ctx, out: Outgoing, error: unknown): Outgoing {
  const trace = ctx.fault('error-stack-trace') && error instanceof Error ? { stack: error.stack } : {};
  const echo = ctx.fault('echoes-refused-input') ? { input: ctx.body } : {};
  const body = jsonObjectOf(out);
  if (!body || (!('stack' in trace) && !('input' in echo))) return out;
  return { ...out, body: Buffer.from(JSON.stringify({ ...body, ...trace, ...echo })) };
}

/** Fault token-answers-cacheable, on a successful answer. */
export function cacheableSuccess(ctx: Ctx, out: Outgoing): Outgoing {
  if (!ctx.fault('token-answers-cacheable') || out.status >= 300) return out;
  const headers = Object.fromEntries(Object.entries(out.headers).filter(([name]) => name !== 'cache-control'));
  return { ...out, headers };
}
