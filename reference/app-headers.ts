/**
 * Quirk `app-headers`: like Parse Server's X-Parse-Application-Id, every request to the API must
 * carry an application id header, and the login must also say X-Requested-With, as some
 * CSRF-guarded stacks ask. Without them the answer is 403, before any rule of the contract is
 * looked at. A profile reaches such an API with its `headers` and an operation's `headers`.
 */
import type { Ctx } from './context.js';
import { ApiError } from './errors.js';

export const APP_ID_HEADER = 'x-application-id';
export const APP_ID = 'conformance-app';

export function appHeadersRefusal(ctx: Ctx, routePath: string | undefined): ApiError | null {
  if (!ctx.quirk('app-headers')) return null;
  if (ctx.req.headers[APP_ID_HEADER] !== APP_ID) return new ApiError(403, 'unauthorized', { detail: ['The application id header is missing or wrong.'] });
  if (routePath === 'auth/login/' && ctx.req.headers['x-requested-with'] !== 'XMLHttpRequest') {
    return new ApiError(403, 'unauthorized', { detail: ['The login needs X-Requested-With: XMLHttpRequest.'] });
  }
  return null;
}
