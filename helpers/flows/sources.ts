/**
 * What the out-of-band sources share (OTP sources, provisioning, the clock hook): the
 * `kind:rest` option syntax, hook URLs given as a path on the target, and the environment a
 * `command:` source runs in.
 */

/** A source option that cannot be used; the CLI turns it into a configuration error (exit 2). */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

/** A source option's kind and the rest: `http:/__conformance__/users` → http, /__conformance__/users. */
export function splitSource(value: string): { kind: string; rest: string } {
  const colon = value.indexOf(':');
  return colon === -1 ? { kind: value, rest: '' } : { kind: value.slice(0, colon), rest: value.slice(colon + 1) };
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An http(s) URL, or a path that resolves against the target's origin. */
export function isUrlOrTargetPath(value: string): boolean {
  return value.startsWith('/') || isHttpUrl(value);
}

/**
 * A hook given as a path (`/__conformance__/otp?identifier={identifier}`) is on the target's
 * origin; an absolute URL stays as given. Every hook URL is resolved here, once, before the
 * workers start. A template's `{placeholders}` survive the resolution.
 */
export function onTarget(urlOrPath: string, baseUrl: string): string {
  if (!urlOrPath.startsWith('/')) return urlOrPath;
  return new URL(urlOrPath, baseUrl).toString().replace(/%7B(\w+)%7D/g, '{$1}');
}

/**
 * The environment handed to a `command:` source (OTP, provisioning): the suite's own (PATH, the
 * team's variables: the command runs as if from the same shell) plus the source's variables.
 */
export function childEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, ...extra };
}
