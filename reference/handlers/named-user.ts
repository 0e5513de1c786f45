/**
 * Faults of object-level authorization (OWASP API1:2023): a modifier around a handler that lets
 * the request name the user it acts for, as a view does that looks the user up from a
 * client-sent `user_id` instead of taking the authenticated one.
 */
import type { Ctx } from '../context.js';
import type { Success } from '../envelope.js';
import type { FaultName } from '../faults.js';

type Handle = (ctx: Ctx) => Promise<Success>;

/** With the fault on, a `user_id` in the query string (or the body) that names a user replaces the caller. */
export function honoursNamedUser(fault: FaultName, where: 'query' | 'body', handle: Handle): Handle {
  return (ctx) => {
    if (ctx.fault(fault)) {
      const named = where === 'query' ? ctx.query.get('user_id') : ctx.body.user_id;
      const user = typeof named === 'string' || typeof named === 'number' ? ctx.store.user(String(named)) : undefined;
      if (user) ctx.user = user;
    }
    return handle(ctx);
  };
}
