import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { findRequirement, FLOWS, REQUIREMENTS, requirement } from '../requirements/catalogue.js';
import { adviceFor, levelFor, statementOf } from '../requirements/statement.js';
import { loadProfile, PROFILE_DIR } from '../helpers/wire/profile.js';
import { FAULTS, FAULT_NAMES } from '../reference/faults.js';
import { DIALECTS } from '../reference/server.js';
import { ROOT } from './harness.js';

const specDir = join(ROOT, 'specs');
const SHIPPED = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
const specs = Object.fromEntries(readdirSync(specDir).map((f) => [f, readFileSync(join(specDir, f), 'utf8')]));

describe('the requirement catalogue', () => {
  test('ids are unique and well formed', () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^ACC-[A-Z]{2,5}-\d{3}$/);
  });

  test('every requirement has a level, a source and a present-tense title', () => {
    for (const r of REQUIREMENTS) {
      expect(['MUST', 'SHOULD']).toContain(r.level);
      expect(r.source.length).toBeGreaterThan(3);
      expect(statementOf(r)).toMatch(/^[a-z0-9]/i);
    }
  });

  test('statements are dialect-neutral, and every placeholder renders under every shipped profile', () => {
    // The parse-server profile reads its application id from the environment, as a team's would.
    vi.stubEnv('PARSE_APP_ID', 'meta-test');
    try {
      const profiles = SHIPPED.map((name) => [name, loadProfile(name)] as const);
      for (const r of REQUIREMENTS) {
        expect(statementOf(r), r.id).not.toMatch(/[{}]|success true|users\/me|errors\.\w|data\.access|\b401\b|\b400\b/);
        for (const [name, profile] of profiles) expect(statementOf(r, profile), `${r.id} under ${name}`).not.toMatch(/[{}]/);
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test("under tasklink a statement speaks the profile's wire names and statuses", () => {
    const tasklink = loadProfile('tasklink');
    expect(statementOf(requirement('ACC-REG-009'), tasklink)).toBe('an invalid email is refused with 400, naming errors.email');
    expect(statementOf(requirement('ACC-PWD-004'), tasklink)).toContain('naming errors.old_password');
    expect(statementOf(requirement('ACC-LOG-003'), loadProfile('flutter-auth'))).toContain('refused with 400 or 401');
  });

  test('a rule whose only MUST source is seed 000 is MUST for that contract and takes its other level elsewhere', () => {
    expect(levelFor(requirement('ACC-ENV-004'), loadProfile('tasklink'))).toBe('MUST');
    expect(levelFor(requirement('ACC-ENV-004'), loadProfile('simplejwt-accounts'))).toBe('SHOULD');
    expect(levelFor(requirement('ACC-LOG-003'), loadProfile('simplejwt-accounts'))).toBe('MUST');
  });

  test('every prerequisite is a requirement, and prerequisites form no cycle', () => {
    for (const r of REQUIREMENTS) for (const d of r.dependsOn ?? []) expect(findRequirement(d)?.id, `${r.id} → ${d}`).toBe(d);
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      (findRequirement(from)?.dependsOn ?? []).some((d) => d === to || (!seen.has(d) && (seen.add(d), reaches(d, to, seen))));
    for (const r of REQUIREMENTS) expect(reaches(r.id, r.id), `${r.id} depends on itself`).toBe(false);
  });

  test('a warning carries the framework hint of a profile that names its framework', () => {
    expect(adviceFor(requirement('ACC-TOK-003'), loadProfile('simplejwt-accounts'))).toMatch(/django-rest-framework: DRF sends it/);
    expect(adviceFor(requirement('ACC-TOK-003'), loadProfile('message-data'))).not.toMatch(/DRF/);
  });

  test('every requirement is checked by the spec file of its flow', () => {
    for (const r of REQUIREMENTS) expect(specs[`${r.flow}.spec.ts`] ?? '', `${r.id} in specs/${r.flow}.spec.ts`).toContain(`'${r.id}'`);
  });

  test('there is one spec file per flow and no other', () => {
    expect(Object.keys(specs).sort()).toEqual(FLOWS.map((f) => `${f}.spec.ts`).sort());
  });

  test('no spec names an endpoint path', () => {
    for (const [file, text] of Object.entries(specs)) expect(text, file).not.toMatch(/['"`][^'"`]*\/(auth|users|wallet|password-reset)\//);
  });
});

describe('the fault table', () => {
  const ids = new Set(REQUIREMENTS.map((r) => r.id));

  test('every fault trips at least one existing requirement', () => {
    for (const name of FAULT_NAMES) {
      expect(FAULTS[name].trips.length, name).toBeGreaterThan(0);
      for (const id of FAULTS[name].trips) expect(ids.has(id), `${name} → ${id}`).toBe(true);
    }
  });

  test('every fault is implemented by at least one dialect of the reference server', () => {
    const implemented = new Set(Object.values(DIALECTS).flatMap((d) => d.faults ?? FAULT_NAMES));
    expect(FAULT_NAMES.filter((n) => !implemented.has(n))).toEqual([]);
  });

  test('every requirement, MUST or SHOULD, is tripped by at least one fault', () => {
    const tripped = new Set(FAULT_NAMES.flatMap((n) => FAULTS[n].trips as readonly string[]));
    const untripped = REQUIREMENTS.filter((r) => !tripped.has(r.id)).map((r) => r.id);
    expect(untripped).toEqual([]);
  });
});
