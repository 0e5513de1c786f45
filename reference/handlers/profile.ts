/** Seed §5 Get Profile, §6 Update Profile (with Image) and update_location. */
import { randomBytes } from 'node:crypto';
import type { Ctx, FilePart } from '../context.js';
import { type Success, ok } from '../envelope.js';
import { crash } from '../errors.js';
import type { FaultName } from '../faults.js';
import { declaredKind, OPAQUE_FILE, sniffImage, SVG, type ImageKind } from '../images.js';
import { serializeUser } from '../serialize.js';
import type { User } from '../store.js';
import { GENDERS, isCalendarDate, isDateShaped, isPlainObject, parseNumber, pythonNonFinite, type Body, type FieldReader } from '../validation.js';
import { applyPrivileged, checkEmailFree, FLAGS, readEmail, readRole, requireUser } from './common.js';

const PROFILE_FIELDS = ['full_name', 'bio', 'date_of_birth', 'gender', 'profile_image'] as const;
const IMAGE_FIELD = 'profile.profile_image';

export async function me(ctx: Ctx): Promise<Success> {
  const user = (ctx.fault('me-returns-latest-user') && ctx.store.latestUser()) || requireUser(ctx);
  const view = serializeUser(ctx, user);
  const profile = ctx.fault('me-drops-full-name') ? { ...view.profile, full_name: '' } : view.profile;
  const counters = ctx.fault('me-wrong-shape') ? { total_tasks_posted: String(view.total_tasks_posted), total_tasks_completed: String(view.total_tasks_completed) } : {};
  const leaked = ctx.fault('leaks-password-hash') ? { password: user.password_hashes[0] } : {};
  return ok(ctx.t.profileRetrieved, { ...view, ...counters, ...leaked, profile });
}

/** Seed §6 sends `profile.full_name` as a multipart name; JSON may nest instead. Both end up nested. */
function nestDotted(body: Body): Body {
  const dotted = PROFILE_FIELDS.filter((f) => Object.hasOwn(body, `profile.${f}`));
  if (dotted.length === 0) return body;
  const profile: Body = isPlainObject(body.profile) ? { ...body.profile } : {};
  for (const f of dotted) profile[f] = body[`profile.${f}`];
  return { ...body, profile };
}

function readAccountChanges(r: FieldReader, ctx: Ctx, user: User, next: User): void {
  const email = readEmail(r, ctx, false);
  if (email !== undefined && checkEmailFree(r, ctx, email, 'update-email-duplicate-accepted', user.id)) {
    // Seed §6's example answer: a new address is unproven, so is_email_verified turns false.
    if (email.toLowerCase() !== user.email.toLowerCase() && !ctx.fault('email-change-keeps-verified')) next.is_email_verified = false;
    next.email = email;
  }
  next.role = readRole(r, ctx, false, 'update-role-unchecked') ?? next.role;
}

/** A real calendar date, or null/'' to clear it; undefined when the field is absent or refused. */
function readBirthDate(p: FieldReader, ctx: Ctx): string | null | undefined {
  const raw = p.raw('date_of_birth');
  if (raw === null || raw === '') return null;
  const value = p.string('date_of_birth', { max: 32 });
  if (value === undefined || ctx.fault('birth-date-unchecked') || isCalendarDate(value)) return value;
  if (ctx.fault('birth-date-shape-only') && isDateShaped(value)) return value;
  return p.fail('date_of_birth', ctx.t.invalidDate);
}

function readProfileChanges(p: FieldReader, ctx: Ctx, next: User): void {
  const profile = next.profile;
  profile.full_name = p.string('full_name', { max: 255 }) ?? profile.full_name;
  profile.bio = p.string('bio', { allowBlank: true, max: 1000 }) ?? profile.bio;
  profile.gender = p.choice('gender', GENDERS, { allowBlank: true, unchecked: ctx.fault('gender-unchecked') }) ?? profile.gender;
  const birthDate = readBirthDate(p, ctx);
  if (birthDate !== undefined) profile.date_of_birth = birthDate;
}

interface Upload {
  readonly kind: ImageKind;
  readonly bytes: Buffer;
  readonly filename: string | undefined;
}

/** What the upload faults let through although its bytes are no PNG, JPEG, GIF or WebP. */
function unprovenKind(ctx: Ctx, file: FilePart): ImageKind | undefined {
  const declared = declaredKind(file.contentType);
  const believed = declared === SVG ? ctx.fault('upload-accepts-svg') : declared !== undefined && ctx.fault('upload-trusts-content-type');
  if (believed) return declared;
  return ctx.fault('upload-accepts-non-image') ? OPAQUE_FILE : undefined;
}

/** Only real raster images, judged by their bytes (ASVS 5.0 5.2.2), never SVG; null clears the image. */
function readUpload(r: FieldReader, ctx: Ctx, file: FilePart): Upload | undefined {
  if (file.data.length === 0) return r.fail(IMAGE_FIELD, ctx.t.emptyFile);
  const kind = sniffImage(file.data) ?? unprovenKind(ctx, file);
  return kind ? { kind, bytes: Buffer.from(file.data), filename: file.filename } : r.fail(IMAGE_FIELD, ctx.t.notImage);
}

function readImage(r: FieldReader, ctx: Ctx, p: FieldReader | undefined): Upload | null | undefined {
  const file = ctx.files.get(IMAGE_FIELD);
  if (file) return readUpload(r, ctx, file);
  if (!p?.has('profile_image')) return undefined;
  const value = p.raw('profile_image');
  return value === null || value === '' ? null : p.fail('profile_image', ctx.t.notFile);
}

function placeImage(ctx: Ctx, next: User, upload: Upload | null | undefined): void {
  if (upload === undefined) return;
  if (upload === null) {
    next.profile.profile_image = null;
    return;
  }
  // The server names the file; the client's name (fault upload-keeps-filename: kept verbatim) could climb out of the folder.
  const kept = ctx.fault('upload-keeps-filename') ? upload.filename : undefined;
  const path = `/media/profiles/${next.id}/${kept || `${randomBytes(8).toString('hex')}.${upload.kind.extension}`}`;
  ctx.store.media.set(path, { contentType: upload.kind.contentType, bytes: upload.bytes });
  next.profile.profile_image = path;
}

/** Seed §Profile Image Upload: "Backend automatically overwrites old images". */
function commit(ctx: Ctx, user: User, next: User): void {
  const old = user.profile.profile_image;
  if (old !== null && old !== next.profile.profile_image) ctx.store.media.delete(old);
  Object.assign(user, next);
}

/** A partial update: only the fields sent change; verification flags, counters and ids are ignored. */
export async function updateMe(ctx: Ctx): Promise<Success> {
  const user = requireUser(ctx);
  ctx.body = nestDotted(ctx.body);
  const r = ctx.reader();
  const next = structuredClone(user);
  readAccountChanges(r, ctx, user, next);
  const p = r.nested('profile', false);
  if (p) readProfileChanges(p, ctx, next);
  const upload = readImage(r, ctx, p);
  r.bag.throwIfAny(ctx.t.validationFailed);
  if (ctx.fault('update-me-mass-assignment')) applyPrivileged(ctx, next, [...FLAGS, 'rating_avg']);
  if (ctx.fault('wallet-balance-assignable')) applyPrivileged(ctx, next, ['balance', 'total_tasks_posted', 'total_tasks_completed']);
  placeImage(ctx, next, upload);
  if (!ctx.fault('update-me-not-persisted')) commit(ctx, user, next);
  return ok(ctx.t.profileUpdated, serializeUser(ctx, next));
}

function readCoordinate(r: FieldReader, ctx: Ctx, name: string, limit: number, uncheckedFault: FaultName): number | undefined {
  const raw = r.raw(name);
  if (raw === undefined) return r.fail(name, ctx.t.required);
  if (raw === null) return r.fail(name, ctx.t.notNull);
  const value = parseNumber(raw) ?? (ctx.fault('coordinate-nan-accepted') ? pythonNonFinite(raw) : undefined);
  if (value === undefined) {
    if (ctx.fault('location-non-numeric-500')) crash('location-non-numeric-500');
    return r.fail(name, ctx.t.notNumber);
  }
  if (Math.abs(value) > limit && !ctx.fault(uncheckedFault)) return r.fail(name, ctx.t.outOfRange(limit));
  return value;
}

/** Latitude within ±90 and longitude within ±180 (ISO 6709). */
export async function updateLocation(ctx: Ctx): Promise<Success> {
  const r = ctx.reader();
  const location = r.bag.required(ctx.t.validationFailed, {
    latitude: readCoordinate(r, ctx, 'latitude', 90, 'latitude-unchecked'),
    longitude: readCoordinate(r, ctx, 'longitude', 180, 'longitude-unchecked'),
  });
  if (ctx.fault('location-500')) crash('location-500');
  if (ctx.user) ctx.user.location = location;
  return ok(ctx.t.locationUpdated, location);
}
