import type { Upload } from '../helpers/wire/bodies.js';
import { check, type CheckContext } from '../helpers/harness/check.js';
import { expectThat, fail } from '../helpers/checks.js';
import type { Exchange } from '../helpers/wire/http.js';
import { makePng } from '../helpers/wire/images.js';
import { userField } from '../helpers/flows/users.js';

/** The upload's answer, tagged with the access token of the user who uploaded (to read the image back). */
type Uploaded = Exchange & { readonly access: string };

async function upload(t: CheckContext, file: Upload): Promise<Uploaded> {
  const account = await t.registerUser();
  const ex = await t.api.call('updateProfile', { credential: { token: account.access }, files: { image: file } });
  return { ...ex, access: account.access };
}

/** A real PNG under a plain name: what a refused hostile upload is compared with. */
const plainPng = () => ({ filename: 'avatar.png', contentType: 'image/png', bytes: makePng(8, 8, 5) });

/** A hostile upload may be refused, as long as the refusal is about the file: a plain PNG is accepted. */
function refusedForTheFile(t: CheckContext, ex: Exchange): Promise<boolean> {
  return t.checks.refusedForSubject(ex, () => upload(t, plainPng()), 'the hostile file');
}

/** The stored image URL: from the update's answer, or read back where the update answers without the user. */
async function imageUrl(t: CheckContext, ex: Uploaded): Promise<string> {
  const answersUser = t.profile.updateAnswersUser !== false;
  const holder = answersUser ? ex : await t.api.call('me', { credential: { token: ex.access } });
  const url = userField(t.api, t.api.read(holder, 'user'), 'image');
  if (typeof url !== 'string') fail(`the upload was accepted but ${answersUser ? 'the answer' : 'the current user'} has no image URL`, holder);
  return url;
}

check('ACC-UPL-001', async (t) => {
  const ex = await upload(t, { filename: 'avatar.png', contentType: 'image/png', bytes: Buffer.from("<?php echo 'not an image'; ?>\n") });
  t.checks.expectRefused(ex, 'invalid');
});

check('ACC-UPL-002', async (t) => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>';
  const ex = await upload(t, { filename: 'avatar.svg', contentType: 'image/svg+xml', bytes: Buffer.from(svg) });
  if (await refusedForTheFile(t, ex)) return;
  t.checks.expectOk(ex);
  const served = await t.api.fetchUrl(await imageUrl(t, ex));
  expectThat(served, !/svg|html|xml/i.test(served.contentType), `an SVG with script was accepted and is served as ${served.contentType}: stored XSS`);
});

check('ACC-UPL-003', async (t) => {
  // A real PNG header followed by 12 MiB: far beyond any profile picture.
  const bytes = Buffer.concat([makePng(4, 4), Buffer.alloc(12 * 1024 * 1024, 0x41)]);
  const ex = await upload(t, { filename: 'avatar.png', contentType: 'image/png', bytes });
  // Any refusal of the client's request: 400, 413, 422 ...
  expectThat(ex, ex.status !== null && ex.status >= 400 && ex.status < 500, `a 12 MiB profile picture answered ${ex.status ?? ex.failure}, not a 4xx refusal`);
});

check('ACC-UPL-004', async (t) => {
  const ex = await upload(t, { filename: '../../../etc/evil.png', contentType: 'image/png', bytes: makePng(8, 8, 3) });
  if (await refusedForTheFile(t, ex)) return;
  t.checks.expectOk(ex);
  const url = await imageUrl(t, ex);
  expectThat(ex, !/\.\.|%2e%2e/i.test(url), `the stored image URL keeps the client's path-traversal name: ${url}`);
});
