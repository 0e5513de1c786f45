/**
 * Quirk `session-logout`: a logout for session-token APIs (better-auth's sign-out, Parse Server's
 * logout), at `auth/logout/`: it ends the session of the token it is called with, so that token
 * no longer opens anything (ASVS 5.0 7.4.1). The reference ends every access token of the user
 * issued until now. Fault `logout-keeps-session`: it answers success and ends nothing.
 */
import type { Ctx } from '../context.js';
import { ok, type Success } from '../envelope.js';
import { requireUser } from './common.js';

export async function sessionLogout(ctx: Ctx): Promise<Success> {
  const user = requireUser(ctx);
  // A token issued in this very millisecond is ended too.
  if (!ctx.fault('logout-keeps-session')) user.tokens_valid_after.access = ctx.now() + 1;
  return Promise.resolve(ok('Logged out', {}));
}
