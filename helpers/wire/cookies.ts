/**
 * Tokens that travel in cookies: a profile names a cookie where it would name a wire field or an
 * answer pointer, as `cookie:<name>` (`"tokenRefresh": "cookie:refresh_token"`). The suite then
 * reads that token from the answer's Set-Cookie and sends it back in a Cookie header.
 */

const PREFIX = 'cookie:';

/** The cookie a profile value names (`cookie:refresh_token` → `refresh_token`), or undefined for a wire name or a JSON Pointer. */
export function cookieNamed(value: string | undefined): string | undefined {
  return value?.startsWith(PREFIX) ? value.slice(PREFIX.length) : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The value an answer's Set-Cookie gives a cookie (the last one, when it is set twice), or
 * undefined when it sets none, or clears it (an empty value). The client joins several
 * Set-Cookie headers with ", "; a cookie value holds no comma (RFC 6265 §4.1.1), so a cookie
 * starts at the beginning or after a comma, never after an attribute's "; ".
 */
export function setCookieValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const header = headers['set-cookie'];
  if (header === undefined) return undefined;
  const found = [...header.matchAll(new RegExp(`(?:^|,)\\s*${escapeRegExp(name)}=("?)([^";,\\s]*)\\1`, 'g'))].at(-1);
  const value = found?.[2];
  return value ? value : undefined;
}

/** A Cookie header value for these cookies; a value that is not a cookie-octet string is percent-encoded, as cookie libraries do. */
export function cookieHeader(cookies: Readonly<Record<string, string>>): string {
  const safe = (value: string) => (/^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/.test(value) ? value : encodeURIComponent(value));
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${safe(value)}`)
    .join('; ');
}
