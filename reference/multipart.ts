/**
 * multipart/form-data (RFC 7578) and media-type parameters, on Buffers: parts may hold binary
 * images, so bodies are never decoded as text before the part boundaries are found.
 */
import type { FilePart } from './context.js';

export class MultipartError extends Error {
  override readonly name = 'MultipartError';

  constructor(
    message: string,
    /** The body has more parts than the parser takes. */
    readonly tooManyParts = false,
  ) {
    super(message);
  }
}

export interface MediaType {
  /** type/subtype, lower-cased; '' when the header is absent. */
  readonly essence: string;
  readonly params: ReadonlyMap<string, string>;
}

export interface FormData {
  readonly fields: Record<string, string>;
  readonly files: Map<string, FilePart>;
}

const PARAMETER = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
const MAX_PARTS = 200;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** Parses `type/subtype; name=value; name="quoted \"value\""` (RFC 9110 §5.6.6). */
export function parseMediaType(header: string | undefined): MediaType {
  if (!header) return { essence: '', params: new Map() };
  const semi = header.indexOf(';');
  const essence = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  const params = new Map<string, string>();
  for (const m of header.slice(semi < 0 ? header.length : semi).matchAll(PARAMETER)) {
    params.set((m[1] as string).toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return { essence, params };
}

interface RawPart {
  readonly headers: ReadonlyMap<string, string>;
  readonly data: Buffer;
}

function readHeaders(body: Buffer, start: number): { headers: Map<string, string>; dataStart: number } {
  const headers = new Map<string, string>();
  if (body.subarray(start, start + 2).equals(CRLF)) return { headers, dataStart: start + 2 };
  const end = body.indexOf(HEADER_END, start);
  if (end < 0) throw new MultipartError('part headers are not terminated');
  for (const line of body.toString('utf8', start, end).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, dataStart: end + 4 };
}

/** After a delimiter: optional transport padding (spaces, tabs), then CRLF. */
function skipLineEnd(body: Buffer, start: number): number {
  let pos = start;
  while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
  if (!body.subarray(pos, pos + 2).equals(CRLF)) throw new MultipartError('delimiter is not followed by CRLF');
  return pos + 2;
}

function splitParts(body: Buffer, boundary: string): RawPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  const first = body.indexOf(delimiter);
  if (first < 0) throw new MultipartError('no boundary found');
  const parts: RawPart[] = [];
  let pos = first + delimiter.length;
  while (body.toString('latin1', pos, pos + 2) !== '--') {
    if (parts.length >= MAX_PARTS) throw new MultipartError('too many parts', true);
    const { headers, dataStart } = readHeaders(body, skipLineEnd(body, pos));
    const end = body.indexOf(separator, dataStart);
    if (end < 0) throw new MultipartError('part is not terminated');
    parts.push({ headers, data: body.subarray(dataStart, end) });
    pos = end + separator.length;
  }
  return parts;
}

/** Boundary of a multipart Content-Type (RFC 2046 §5.1.1: 1 to 70 characters). */
export function boundaryOf(type: MediaType): string {
  const boundary = type.params.get('boundary') ?? '';
  if (boundary.length < 1 || boundary.length > 70) throw new MultipartError('missing or invalid boundary');
  return boundary;
}

export function parseMultipart(body: Buffer, boundary: string): FormData {
  // No prototype: a part named "__proto__" must stay an ordinary field.
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const files = new Map<string, FilePart>();
  for (const part of splitParts(body, boundary)) {
    const disposition = parseMediaType(part.headers.get('content-disposition'));
    const name = disposition.params.get('name');
    if (disposition.essence !== 'form-data' || !name) continue;
    const filename = disposition.params.get('filename');
    if (filename === undefined) fields[name] = part.data.toString('utf8');
    // A file input left empty arrives as filename="" with no bytes: no file was chosen.
    else if (filename !== '' || part.data.length > 0) {
      files.set(name, { filename, contentType: part.headers.get('content-type') ?? 'application/octet-stream', data: part.data });
    }
  }
  return { fields, files };
}
