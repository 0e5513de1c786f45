/**
 * What the reference server needs of an API dialect: how it answers requests, where it lives by
 * default, and which fault switches and quirks it implements. Every dialect runs on the same
 * per-server state (store, passwords, tokens, throttling, clock, hooks); only the wire differs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerState } from '../context.js';
import type { FaultName, QuirkName } from '../faults.js';

export interface Dialect {
  /** The API's base path when none is given. */
  readonly basePath: string;
  /** The store hands out numeric ids whatever the quirks say (the dialect's users have integer ids). */
  readonly numericIds: boolean;
  readonly handleRequest: (state: ServerState, req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The JSON answer to a request Node cannot parse (a 400, 408 or 431, with its reason phrase). */
  readonly clientErrorBody: (status: number, reason: string) => unknown;
  /** The fault switches the dialect implements; absent: every one. */
  readonly faults?: readonly FaultName[];
  /** The quirks the dialect implements; absent: every one. */
  readonly quirks?: readonly QuirkName[];
}
