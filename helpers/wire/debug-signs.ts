/**
 * What a debug mode, an unhandled exception or a framework's default error page leaves in an
 * answer (ASVS 5.0 16.5.1, CWE-209): stack frames of the usual runtimes, debug pages, trace
 * members, a profiler's headers, database errors. Each sign is specific to a trace or a debug
 * page: a message that merely names a field, a time or a line number does not match.
 */
import type { Exchange } from './http.js';

const DEBUG_SIGNS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'a Python traceback', pattern: /Traceback \(most recent call last\)|File "[^"\n]+\.py", line \d+/ },
  { what: "Django's debug page", pattern: /DEBUG\s*=\s*True|Using the URLconf defined in|Django Version:/ },
  { what: "Werkzeug's debugger", pattern: /Werkzeug Debugger|The debugger caught an exception/ },
  // Node and browsers: `at fn (/app/x.js:10:5)`, `at /app/x.js:10:5`, `at node:internal/x:1:2`, `at JSON.parse (<anonymous>)`.
  { what: 'JavaScript stack frames', pattern: /\bat (?:async )?(?:new )?(?:[\w$.<>[\]]+(?: \[as [\w$]+\])? \()?(?:file:\/\/\/?|node:)?(?:[\w$@.~-]*[/\\][\w$@./\\~-]*|[\w$@.~-]+\.[cm]?[jt]sx?):\d+:\d+\)?|\bat [\w$.]+ \(<anonymous>\)/ },
  { what: 'Java stack frames', pattern: /\bat (?:[\w$]+\.)+[\w$<>]+\((?:[\w$]+\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)/ },
  { what: '.NET stack frames or error page', pattern: /\bat [\w.`<>]+\([^)\n]*\) in [^\n]+:line \d+|Server Error in '[^'\n]*' Application/ },
  { what: 'Ruby stack frames or Rails internals', pattern: /\.rb:\d+:in [`']|\b(?:ActionController|ActionDispatch|ActiveRecord|ActiveSupport|ActionView)::[A-Z]\w+|Action Controller: Exception caught/ },
  { what: 'a PHP error or stack trace', pattern: /(?:Fatal error|Parse error|Warning|Notice)(?:<\/b>)?:.{0,300}? in (?:<b>)?[^\s<]+\.php(?:<\/b>)? on line|Stack trace:(?:\s|\\n|<br\s*\/?>)*#0 |Whoops\\{1,2}(?:Run|Handler|Exception)|(?:facade|spatie)\/(?:laravel-)?ignition/s },
  { what: 'a Go panic', pattern: /goroutine \d+ \[running\]/ },
  { what: 'a database error', pattern: /SQLSTATE\[|You have an error in your SQL syntax|\b(?:sqlite3|psycopg2?|pymysql|MySQLdb|django\.db\.utils)\.\w*(?:Error|Exception)\b|\bORA-\d{5}\b|\bPG::\w+Error|SequelizeDatabaseError|PrismaClient\w*Error/ },
];

/** Members that hold a trace (Express's `stack`, Laravel's `trace`), when they do hold one. */
const TRACE_MEMBER = /^(?:stack|stack_?trace|trace|traceback|backtrace|exception_trace)$/i;

function traceMembers(value: unknown, path = '', depth = 0): string[] {
  if (depth > 8 || !value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, member]) => {
    const at = `${path}.${key}`;
    const holdsTrace = TRACE_MEMBER.test(key) && ((Array.isArray(member) && member.length > 0) || (typeof member === 'string' && /\n|\bat /.test(member)));
    return [...(holdsTrace ? [at] : []), ...traceMembers(member, at, depth + 1)];
  });
}

/** What of a debug mode an answer shows: signs in its body, trace members, a profiler's headers. */
export function debugSigns(ex: Pick<Exchange, 'bytes' | 'json' | 'headers'>): string[] {
  const body = ex.bytes.toString('utf8');
  const signs = DEBUG_SIGNS.filter((s) => s.pattern.test(body)).map((s) => s.what);
  const members = traceMembers(ex.json);
  if (members.length) signs.push(`a stack trace at ${members.join(', ')}`);
  if (ex.headers['x-debug-token'] !== undefined || ex.headers['x-debug-token-link'] !== undefined) signs.push("Symfony's profiler headers (X-Debug-Token)");
  return [...new Set(signs)];
}
