/**
 * The provisioning source's option (`--provision http:<url or path> | command:<shell command>`),
 * apart from the provisioning itself so that reading the configuration loads no HTTP body code.
 */
import { isUrlOrTargetPath, onTarget, SourceError, splitSource } from './sources.js';

/** How the suite makes users on an API without registration (seed 001): an admin hook or a command. */
export type ProvisionSource = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'command'; readonly command: string };

/** `--provision http:<url or path>` or `command:<shell command>`. */
export function parseProvision(value: string): ProvisionSource {
  const { kind, rest } = splitSource(value);
  if (kind === 'command') {
    if (!rest.trim()) throw new SourceError('--provision command:<shell command> needs a command');
    return { kind, command: rest };
  }
  if (kind === 'http') {
    if (!isUrlOrTargetPath(rest)) throw new SourceError(`--provision http:<url> needs an http(s) URL or a path on the target, not '${rest}'`);
    return { kind, url: rest };
  }
  throw new SourceError(`--provision must start with http: or command:, not '${value}'`);
}

/** The source with an admin hook given as a path resolved against the target (see onTarget). */
export function resolveProvision(source: ProvisionSource, baseUrl: string): ProvisionSource {
  return source.kind === 'http' ? { kind: 'http', url: onTarget(source.url, baseUrl) } : source;
}
