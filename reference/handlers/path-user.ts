/**
 * Quirk `user-path-ids`: the current user is also reached at `users/{id}/`, as REST stacks that
 * route by the user's id do (GET reads it, PUT/PATCH update it, Parse Server's `users/:objectId`).
 * The id in the path must be the caller's own; another user's is 404, as a queryset filtered by
 * owner answers. Fault `user-path-id-unchecked` acts for whichever user the path names (OWASP
 * API1:2023, BOLA).
 */
import type { Ctx } from '../context.js';
import type { Success } from '../envelope.js';
import { notFound } from '../errors.js';
import { me, updateMe } from './profile.js';

const USER_PATH = /^users\/([^/]+)\/$/;

/** The id a path under the base path names, or null when it is not a user path. */
export function pathUserId(relative: string): string | null {
  const match = USER_PATH.exec(relative);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

export function forPathUser(id: string): (ctx: Ctx) => Promise<Success> {
  return (ctx) => {
    if (ctx.user?.id !== id) {
      const named = ctx.fault('user-path-id-unchecked') ? ctx.store.user(id) : undefined;
      if (!named) throw notFound(ctx.t);
      ctx.user = named;
    }
    return ctx.req.method === 'GET' ? me(ctx) : updateMe(ctx);
  };
}
