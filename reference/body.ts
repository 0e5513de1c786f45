/**
 * Request bodies. Seed §API Client Setup: clients send `Content-Type: application/json`;
 * §6 adds multipart/form-data for update_me. Anything else is 415, unreadable JSON 400, and
 * JSON that is not an object 400 (DRF: "Expected a dictionary"). Never a 5xx.
 */
import type { IncomingMessage } from 'node:http';
import type { Ctx } from './context.js';
import { ApiError, badRequest, crash } from './errors.js';
import { boundaryOf, MultipartError, parseMediaType, parseMultipart, type MediaType } from './multipart.js';
import { isPlainObject, typeName } from './validation.js';

/** update_me takes forms too; every other endpoint JSON only; GETs read no body. */
export type BodyKind = 'json' | 'form' | 'none';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Fault upload-unbounded: the cap of multipart bodies, as good as none. */
const UNBOUNDED_UPLOAD_BYTES = 64 * 1024 * 1024;
/** Fault large-json-500: the size past which a JSON body exhausts the server (an out-of-memory crash). */
const LARGE_JSON_BYTES = 4 * 1024 * 1024;
/** Fault deep-json-500: the nesting past which parsing overflows, as Python's json does (RecursionError). */
const MAX_NESTING = 1000;

/** Reads the whole body; past the cap it keeps draining (so the answer reaches the client) and then refuses. */
async function readRaw(ctx: Ctx, req: IncomingMessage, limit: number, crashPast?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (crashPast !== undefined && size > crashPast) crash('large-json-500');
  if (size > limit) {
    throw new ApiError(413, ctx.t.tooLarge, { detail: [ctx.t.bodyTooLarge(limit)] }, { connection: 'close' });
  }
  return Buffer.concat(chunks);
}

function isJsonType(type: MediaType): boolean {
  return type.essence === 'application/json' || (type.essence.startsWith('application/') && type.essence.endsWith('+json'));
}

function isXmlType(type: MediaType): boolean {
  return type.essence === 'text/xml' || type.essence === 'application/xml' || type.essence.endsWith('+xml');
}

/** The deepest nesting of arrays and objects in a JSON text, outside strings. */
function nestingOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return deepest;
}

function parseJson(ctx: Ctx, raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    if (ctx.fault('malformed-json-500')) crash('malformed-json-500');
    throw badRequest(ctx.t, 'detail', ctx.t.jsonParse((error as Error).message));
  }
  if (ctx.fault('deep-json-500') && nestingOf(raw.toString('utf8')) > MAX_NESTING) crash('deep-json-500');
  if (isPlainObject(value)) return value;
  if (ctx.fault('non-object-json-500')) crash('non-object-json-500');
  throw badRequest(ctx.t, 'non_field_errors', ctx.t.notDictionary(typeName(value)));
}

function unsupportedMediaType(ctx: Ctx, type: MediaType): ApiError {
  const text = ctx.t.unsupportedMediaType(type.essence || 'none');
  return new ApiError(415, text, { detail: [text] });
}

function parseForm(ctx: Ctx, raw: Buffer, type: MediaType): void {
  if (type.essence === 'application/x-www-form-urlencoded') {
    ctx.body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    return;
  }
  if (ctx.fault('update-me-rejects-multipart')) throw unsupportedMediaType(ctx, type);
  try {
    const form = parseMultipart(raw, boundaryOf(type));
    ctx.body = form.fields;
    ctx.files = form.files;
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    if (error.tooManyParts && ctx.fault('many-parts-500')) crash('many-parts-500');
    throw badRequest(ctx.t, 'detail', ctx.t.multipartParse);
  }
}

const FORM_TYPES = new Set(['multipart/form-data', 'application/x-www-form-urlencoded']);

/** Fills ctx.body (and ctx.files) from the request. An empty body is an empty object, as in DRF. */
export async function readBody(ctx: Ctx, kind: BodyKind): Promise<void> {
  if (kind === 'none') return;
  const type = parseMediaType(ctx.req.headers['content-type']);
  const unbounded = kind === 'form' && type.essence === 'multipart/form-data' && ctx.fault('upload-unbounded');
  const crashPast = ctx.fault('large-json-500') && isJsonType(type) ? LARGE_JSON_BYTES : undefined;
  const raw = await readRaw(ctx, ctx.req, unbounded ? UNBOUNDED_UPLOAD_BYTES : MAX_BODY_BYTES, crashPast);
  if (raw.length === 0) return;
  if (isJsonType(type)) ctx.body = parseJson(ctx, raw);
  else if (kind === 'form' && FORM_TYPES.has(type.essence)) parseForm(ctx, raw, type);
  // Quirk form-bodies: every endpoint also reads urlencoded forms, as DRF's default parsers do.
  else if (ctx.quirk('form-bodies') && type.essence === 'application/x-www-form-urlencoded') parseForm(ctx, raw, type);
  else if (ctx.fault('unsupported-media-type-500')) crash('unsupported-media-type-500');
  else if (ctx.fault('xml-body-500') && isXmlType(type)) crash('xml-body-500');
  else throw unsupportedMediaType(ctx, type);
}
