/**
 * Standalone entry:
 *   node --import tsx reference/main.ts [--dialect tasklink|message-data|university|flutter-auth] [--host H] [--port N]
 *     [--base-path P] [--fault NAME]... [--quirk NAME]... [--hooks] [--latency MS]
 * Environment: REFERENCE_DIALECT, REFERENCE_HOST, REFERENCE_PORT, REFERENCE_BASE_PATH,
 * REFERENCE_FAULTS and REFERENCE_QUIRKS (comma lists), REFERENCE_HOOKS=1, REFERENCE_LATENCY_MS;
 * flags win. The base path defaults to the dialect's (/api/v1/ for tasklink, /api/ for message-data).
 */
import { parseArgs } from 'node:util';
import { isFaultName, isQuirkName, type FaultName, type QuirkName } from './faults.js';
import { DIALECTS, isDialectName, startReferenceServer, type DialectName, type ReferenceOptions } from './server.js';

class UsageError extends Error {}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function whole(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UsageError(`${name} must be a whole number from 0 to ${max}, not '${value}'`);
  return Number(value);
}

function names<T extends string>(given: string[], known: (name: string) => name is T, kind: string): T[] {
  const unknown = given.find((n) => !known(n));
  if (unknown !== undefined) throw new UsageError(`unknown ${kind} '${unknown}'`);
  return given as T[];
}

function dialect(value: string | undefined): DialectName | undefined {
  if (value === undefined || value === '' || isDialectName(value)) return value || undefined;
  throw new UsageError(`unknown dialect '${value}' (${Object.keys(DIALECTS).join(', ')})`);
}

function readOptions(argv: string[], env: NodeJS.ProcessEnv): ReferenceOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      dialect: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'base-path': { type: 'string' },
      fault: { type: 'string', multiple: true },
      quirk: { type: 'string', multiple: true },
      hooks: { type: 'boolean' },
      latency: { type: 'string' },
    },
  });
  return {
    dialect: dialect(values.dialect ?? env.REFERENCE_DIALECT),
    host: values.host ?? env.REFERENCE_HOST ?? '127.0.0.1',
    port: whole('port', values.port ?? env.REFERENCE_PORT, 65535) ?? 0,
    basePath: values['base-path'] ?? env.REFERENCE_BASE_PATH,
    faults: names<FaultName>([...list(env.REFERENCE_FAULTS), ...(values.fault ?? [])], isFaultName, 'fault'),
    quirks: names<QuirkName>([...list(env.REFERENCE_QUIRKS), ...(values.quirk ?? [])], isQuirkName, 'quirk'),
    hooks: values.hooks ?? /^(1|true|yes|on)$/i.test(env.REFERENCE_HOOKS ?? ''),
    latencyMs: whole('latency', values.latency ?? env.REFERENCE_LATENCY_MS, 60_000) ?? 0,
  };
}

async function main(): Promise<void> {
  let options: ReferenceOptions;
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`reference server: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const server = await startReferenceServer(options);
  process.stdout.write(`reference server listening on ${server.baseUrl}\n`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`reference server: ${(error as Error).message}\n`);
  process.exit(1);
});
