/** Outgoing answers on the wire: bytes, headers, the latency option and the gzip quirk. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ServerState } from './context.js';

const gzipAsync = promisify(gzip);

export interface Outgoing {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** JSON answers may be compressed by the gzip quirk; files and hook answers are not. */
  readonly compressible: boolean;
}

const COMMON = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

export function jsonOut(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}, compressible = true): Outgoing {
  return { status, headers: { ...COMMON, ...headers, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value)), compressible };
}

export function textOut(status: number, contentType: string, text: string, headers: Readonly<Record<string, string>> = {}): Outgoing {
  return { status, headers: { ...COMMON, ...headers, 'content-type': contentType }, body: Buffer.from(text), compressible: false };
}

/** 204 No Content: no body, no content type. */
export function noContentOut(): Outgoing {
  return { status: 204, headers: { ...COMMON }, body: Buffer.alloc(0), compressible: false };
}

export function fileOut(contentType: string, bytes: Buffer): Outgoing {
  return { status: 200, headers: { 'x-content-type-options': 'nosniff', 'content-type': contentType }, body: bytes, compressible: false };
}

/** Accept-Encoding names gzip (or *) without q=0 (RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((entry) => {
    const [coding = '', ...params] = entry.split(';');
    const refused = params.some((p) => /^\s*q\s*=\s*0(?:\.0{0,3})?\s*$/i.test(p));
    return ['gzip', 'x-gzip', '*'].includes(coding.trim().toLowerCase()) && !refused;
  });
}

async function encode(state: ServerState, req: IncomingMessage, out: Outgoing): Promise<{ headers: Record<string, string>; body: Buffer }> {
  const headers = { ...out.headers };
  if (!out.compressible || !state.quirks.has('gzip')) return { headers, body: out.body };
  headers.vary = 'Accept-Encoding';
  if (!acceptsGzip(req.headers['accept-encoding'])) return { headers, body: out.body };
  headers['content-encoding'] = 'gzip';
  return { headers, body: await gzipAsync(out.body) };
}

export async function writeOutgoing(state: ServerState, req: IncomingMessage, res: ServerResponse, out: Outgoing): Promise<void> {
  if (state.latencyMs > 0) await sleep(state.latencyMs);
  const { headers, body } = await encode(state, req, out);
  if (res.headersSent || res.destroyed) return;
  res.writeHead(out.status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}
