/**
 * The detectors behind ACC-LEAK-001 and ACC-OTP-020, each with answers that must trip it and
 * ordinary ones that must not (a time of day, a line number in a validation message, Django's
 * production 404 page, DRF's field errors).
 */
import { describe, expect, test } from 'vitest';
import { codeSequence } from '../helpers/flows/otp.js';
import { debugSigns } from '../helpers/wire/debug-signs.js';

function answer(body: string, headers: Record<string, string> = {}) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { bytes: Buffer.from(body), json, headers };
}

const LEAKING: readonly [string, string][] = [
  ['a Python traceback', 'Traceback (most recent call last):\n  File "/app/views.py", line 12, in post\n    user = User.objects.get(pk=pk)'],
  ["Django's debug page", "<p>You're seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>"],
  ['Express stack frames', '<pre>SyntaxError: Unexpected token } in JSON at position 10<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/app/node_modules/body-parser/lib/types/json.js:89:19)</pre>'],
  ['Node frames in JSON', JSON.stringify({ error: 'boom', stack: 'TypeError: x is undefined\n    at login (file:///srv/api/auth.mjs:40:11)\n    at node:internal/process/task_queues:95:5' })],
  ['Java frames', 'java.lang.NullPointerException\n\tat com.example.AuthController.login(AuthController.java:42)\n\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)'],
  ['a Rails error', '{"status":500,"error":"Internal Server Error","exception":"#<ActiveRecord::RecordNotFound: Couldn\'t find User>"}'],
  ['a PHP fatal error', '<b>Fatal error</b>:  Uncaught Exception: nope in <b>/var/www/html/login.php</b> on line <b>3</b>'],
  ['Laravel debug JSON', JSON.stringify({ message: 'Server Error', exception: 'ErrorException', file: '/var/www/app/Http/Kernel.php', line: 3, trace: [{ file: '/var/www/vendor/x.php', line: 1 }] })],
  ['a Go panic', 'panic: runtime error: invalid memory address\n\ngoroutine 1 [running]:\nmain.main()'],
  ['a database error', '{"detail": "(sqlite3.OperationalError) no such table: users_user"}'],
  ['.NET frames', '   at Api.Controllers.AuthController.Login(LoginRequest req) in /src/Api/AuthController.cs:line 27'],
];

const ORDINARY: readonly [string, string][] = [
  ['DRF field errors', '{"password": ["This password is too short. It must contain at least 8 characters."], "email": ["Enter a valid email address."]}'],
  ["Django's production 404 page", '<!doctype html><html lang="en"><head><title>Not Found</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>'],
  ['a time of day', '{"message": "Try again at 10:30:00, or at 12:00:05"}'],
  ['a line number in a message', '{"message": "Invalid JSON at line 3:14", "errors": {"detail": ["JSON parse error - Expecting value: line 1 column 21 (char 20)"]}}'],
  ['a trace id', '{"success": false, "message": "Server error", "trace": "b7ad6b7169203331", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}'],
  ['the reference 500', '{"success":false,"message":"Internal server error","errors":{"detail":["Something went wrong."]}}'],
];

describe('debug signs in an answer', () => {
  test.for(LEAKING)('%s is found', ([, body]) => {
    expect(debugSigns(answer(body))).not.toEqual([]);
  });
  test.for(ORDINARY)('%s is not taken for one', ([, body]) => {
    expect(debugSigns(answer(body))).toEqual([]);
  });
  test("Symfony's profiler headers are found", () => {
    expect(debugSigns(answer('{}', { 'x-debug-token': 'a1b2c3' }))).toEqual(["Symfony's profiler headers (X-Debug-Token)"]);
  });
});

describe('a sequence in successive codes', () => {
  test.for([
    ['a counter', ['004711', '004712', '004713']],
    ['a constant step', ['120000', '370000', '620000']],
    ['a step across the wrap', ['999998', '000001', '000004']],
    ['a counter other users move on', ['500000', '500017', '500023']],
  ] as const)('%s is found', ([, codes]) => {
    expect(codeSequence(codes)).not.toBeNull();
  });
  test('random codes are not taken for one', () => {
    expect(codeSequence(['493027', '118464', '870231'])).toBeNull();
    expect(codeSequence(['0042', '7315', '2208'])).toBeNull();
  });
});
