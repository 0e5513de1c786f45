/**
 * JWT attacks, as jwt_tool and the RFC 8725 checklist make them: forged tokens a protected
 * operation must refuse, and the issued tokens' key and claims read offline. Where the API's
 * tokens are not JWTs (opaque session tokens) every check here is not applicable.
 */
import { createPublicKey, generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { fail } from '../helpers/checks.js';
import type { Account } from '../helpers/flows/users.js';
import { NotApplicable } from '../helpers/outcome.js';
import { operationsOf, refusalStatuses, type OperationId } from '../helpers/wire/profile.js';
import { claimsOf, headerOf, hmacHash, hmacKeyIndex, resignedCopy, rsSignedCopy, unsignedCopy } from '../helpers/wire/tokens.js';

/** Common and framework-default HMAC secrets (sources in helpers/data/README.md); the empty key first. */
const WORDLIST_FILE = 'helpers/data/jwt-secrets.txt';
const SECRETS = ['', ...readFileSync(new URL(`../${WORDLIST_FILE}`, import.meta.url), 'utf8').split('\n').filter((line) => line.length > 0)];

interface Forged {
  readonly what: string;
  readonly token: string;
}

/** A user of the check's own whose access token is a JWT; not applicable when it is not one. */
async function jwtAccount(t: CheckContext): Promise<{ account: Account; header: Record<string, unknown> }> {
  const account = await t.registerUser();
  const header = headerOf(account.access);
  if (!header || !claimsOf(account.access)) throw new NotApplicable('the access token the API issued is not a JWT (an opaque token): there is no JWT header, claim or signature to forge or read');
  return { account, header };
}

/** The protected operation the forged tokens are presented to: the current user's, where there is one. */
function protectedOperation(t: CheckContext): OperationId {
  const ops = operationsOf(t.profile).filter((op) => t.profile.operations[op]?.auth);
  return ops.includes('me') ? 'me' : (ops[0] as OperationId);
}

async function expectEachRefused(t: CheckContext, forged: readonly Forged[]): Promise<void> {
  const op = protectedOperation(t);
  for (const f of forged) {
    const ex = await t.api.call(op, { credential: { token: f.token } });
    if (!t.checks.isRefusal(ex, 'unauthorized')) fail(`${f.what} was not refused with ${refusalStatuses(t.profile, 'unauthorized', op).join(' or ')}: ${op} answered ${ex.status ?? ex.failure}`, ex);
  }
}

/** The issued tokens that are JWTs, by name. */
function issuedJwts(account: Account): [string, string][] {
  return Object.entries({ access: account.access, refresh: account.refresh }).filter(([, token]) => token && headerOf(token) && claimsOf(token));
}

// "None", "NONE", "nOnE": RFC 7515 §4.1.1 alg is case-sensitive; plain "none" is ACC-AUTH-004.
const ALG_NONE_SPELLINGS = ['None', 'NONE', 'nOnE'];

check('ACC-JWT-001', async (t) => {
  const { account } = await jwtAccount(t);
  await expectEachRefused(t, ALG_NONE_SPELLINGS.map((alg) => ({ what: `an unsigned copy of the access token with alg "${alg}"`, token: unsignedCopy(account.access, alg) })));
});

check('ACC-JWT-002', async (t) => {
  const { account, header } = await jwtAccount(t);
  await expectEachRefused(t, [{ what: 'a copy of the access token signed HS256 with an empty key', token: resignedCopy(account.access, header, Buffer.alloc(0)) }]);
});

check('ACC-JWT-003', async (t) => {
  const { account } = await jwtAccount(t);
  const tokens = issuedJwts(account).filter(([, token]) => hmacHash(headerOf(token)?.alg) !== undefined);
  if (!tokens.length) throw new NotApplicable(`the access token is signed with ${String(headerOf(account.access)?.alg)}, not an HMAC: there is no shared secret to guess`);
  for (const [name, token] of tokens) {
    const index = await hmacKeyIndex(token, hmacHash(headerOf(token)?.alg) as string, SECRETS);
    // The key is a secret of the server's: named by its place in the wordlist, never printed.
    if (index === 0) fail(`the ${name} token's HMAC key is empty: anyone can sign tokens the API accepts`);
    if (index > 0) fail(`the ${name} token's HMAC key is a public one: line ${index} of ${WORDLIST_FILE} (${SECRETS[index]?.length} characters). Anyone can sign tokens for any user; use a random key of at least 256 bits`);
  }
});

check('ACC-JWT-004', async (t) => {
  const { account, header } = await jwtAccount(t);
  const sqlKey = 'conformance-kid-key';
  await expectEachRefused(t, [
    { what: 'a token whose kid is "../../../../../../../../dev/null", signed with an empty key', token: resignedCopy(account.access, { ...header, kid: '../../../../../../../../dev/null' }, Buffer.alloc(0)) },
    { what: 'a token whose kid is "/dev/null", signed with an empty key', token: resignedCopy(account.access, { ...header, kid: '/dev/null' }, Buffer.alloc(0)) },
    { what: `a token whose kid is an SQL UNION selecting the key it is signed with`, token: resignedCopy(account.access, { ...header, kid: `x' UNION SELECT '${sqlKey}' -- ` }, sqlKey) },
  ]);
});

/**
 * The key set the forger serves: an RSA key of the suite's own, as a JWK Set on loopback. Only a
 * target on the same host can fetch it; one that cannot is refusing the token all the same.
 */
async function withForgerKeySet<T>(body: (url: string, key: KeyObject) => Promise<T>): Promise<T> {
  // Made off the event loop: a synchronous RSA key generation stalls the other checks' requests.
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'conformance-forger', use: 'sig', alg: 'RS256' }] });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, privateKey);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

check('ACC-JWT-005', async (t) => {
  const { account, header } = await jwtAccount(t);
  await withForgerKeySet((url, key) =>
    expectEachRefused(t, [
      { what: `an RS256 token whose jku header points at the suite's own key set (${url})`, token: rsSignedCopy(account.access, { typ: header.typ ?? 'JWT', kid: 'conformance-forger', jku: url }, key) },
      { what: `an RS256 token whose x5u header points at the suite's own key (${url})`, token: rsSignedCopy(account.access, { typ: header.typ ?? 'JWT', kid: 'conformance-forger', x5u: url }, key) },
    ]),
  );
});

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

check('ACC-JWT-006', async (t) => {
  const { account } = await jwtAccount(t);
  const wrong = issuedJwts(account).flatMap(([name, token]) => {
    const claims = claimsOf(token) ?? {};
    return TIME_CLAIMS.filter((c) => claims[c] !== undefined && (typeof claims[c] !== 'number' || !Number.isFinite(claims[c]))).map((c) => `the ${name} token's ${c} is ${JSON.stringify(claims[c])}`);
  });
  if (wrong.length) fail(`${wrong.join('; ')}: a NumericDate is a JSON number of seconds since the epoch`);
});

check('ACC-JWT-007', async (t) => {
  const { account } = await jwtAccount(t);
  const refresh = claimsOf(account.refresh);
  if (!refresh || !headerOf(account.refresh)) throw new NotApplicable('the refresh token the API issued is not a JWT: its lifetime cannot be read');
  if (refresh.exp === undefined) fail('the refresh token carries no exp: it never expires');
  const wrong = issuedJwts(account).flatMap(([name, token]) => {
    const { exp, iat, nbf } = claimsOf(token) ?? {};
    if (typeof exp !== 'number') return [];
    return [
      typeof iat === 'number' && exp <= iat ? `the ${name} token expires (exp ${exp}) no later than it was issued (iat ${iat})` : null,
      typeof nbf === 'number' && exp <= nbf ? `the ${name} token expires (exp ${exp}) no later than it becomes valid (nbf ${nbf})` : null,
    ].filter((m): m is string => m !== null);
  });
  if (wrong.length) fail(wrong.join('; '));
});

/** The texts a verifier that confuses algorithms may take as the HMAC secret: the public key as PEM (SPKI, and PKCS#1 for RSA), with and without the final newline. */
function confusableSecrets(key: KeyObject): string[] {
  const pems = [String(key.export({ type: 'spki', format: 'pem' }))];
  if (key.asymmetricKeyType === 'rsa') pems.push(String(key.export({ type: 'pkcs1', format: 'pem' })));
  return pems.flatMap((pem) => [pem, pem.trimEnd()]);
}

check('ACC-JWT-008', async (t) => {
  const { account, header } = await jwtAccount(t);
  const alg = String(header.alg);
  if (!/^(RS|PS|ES)\d+$/.test(alg)) throw new NotApplicable(`the access token is signed with ${alg}, not a public-key algorithm: there is no public key to take for an HMAC secret`);
  const url = new URL(t.profile.jwks as string, t.api.baseUrl).toString();
  const set = await t.api.fetchUrl(url);
  const keys = (set.json as { keys?: unknown } | undefined)?.keys;
  // The profile names the key set; one that cannot be read is the profile's to fix, not a finding.
  if (set.status !== 200 || !Array.isArray(keys)) throw new NotApplicable(`the key set the profile names (jwks: ${url}) answered ${set.status ?? set.failure}, not a JWK Set`);
  const publicKeys = keys.flatMap((jwk) => {
    try {
      return [createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })];
    } catch {
      return [];
    }
  });
  if (!publicKeys.length) throw new NotApplicable(`the key set at ${url} holds no public key the suite can read`);
  const forged = publicKeys.flatMap((key, k) => confusableSecrets(key).map((secret, i) => ({ what: `a copy of the access token signed HS256 with public key ${k + 1} of the key set as the secret (${i % 2 ? 'PEM without its final newline' : 'PEM'}${i >= 2 ? ', PKCS#1' : ''})`, token: resignedCopy(account.access, header, secret) })));
  await expectEachRefused(t, forged);
});
