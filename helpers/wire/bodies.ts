/** Request bodies: what goes on the wire, how a report shows it, and how curl sends it. */
import FormData from 'form-data';
import type { OutgoingBody } from './http.js';

export interface Upload {
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** Nests dotted wire names for JSON: `profile.full_name` → `{ profile: { full_name } }`. */
export function nest(flat: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [dotted, value] of Object.entries(flat)) {
    const keys = dotted.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1] as string] = value;
  }
  return out;
}

export function jsonBody(value: unknown): OutgoingBody {
  const text = JSON.stringify(value);
  return { bytes: Buffer.from(text), contentType: 'application/json', display: text, curlArgs: ['--data-raw', text] };
}

/** application/x-www-form-urlencoded, with the wire names as given (dotted names stay literal). */
export function formBody(fields: Readonly<Record<string, unknown>>): OutgoingBody {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  const text = form.toString();
  return { bytes: Buffer.from(text), contentType: 'application/x-www-form-urlencoded', display: text, curlArgs: ['--data-raw', text] };
}

export function rawBody(text: string, contentType: string): OutgoingBody {
  return { bytes: Buffer.from(text), contentType, display: text, curlArgs: ['--data-raw', text] };
}

/** multipart/form-data with the wire names as given (dotted names stay literal, as DRF expects). */
export function multipartBody(fields: Readonly<Record<string, unknown>>, files: Readonly<Record<string, Upload>> = {}): OutgoingBody {
  const form = new FormData();
  const shown: string[] = [];
  const curlArgs: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    form.append(name, text);
    shown.push(`${name}=${text}`);
    curlArgs.push('-F', `${name}=${text}`);
  }
  for (const [name, file] of Object.entries(files)) {
    // filepath, not filename: form-data keeps only the last path part of a filename, and the
    // path-traversal check must send the name exactly as given.
    form.append(name, file.bytes, { filepath: file.filename, contentType: file.contentType });
    shown.push(`${name}=<${file.filename}, ${file.contentType}, ${file.bytes.length} bytes>`);
    curlArgs.push('-F', `${name}=@${file.filename};type=${file.contentType}`);
  }
  return { bytes: form.getBuffer(), contentType: form.getHeaders()['content-type'] as string, display: shown.join('; '), curlArgs };
}
