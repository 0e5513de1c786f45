import { expect, test } from 'vitest';
import { schemaViolations } from '../helpers/wire/schemas.js';

const user = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  phone_number: '923001234567',
  email: 'user@example.com',
  is_phone_verified: false,
  is_email_verified: false,
  role: 'POSTER',
  rating_avg: 0.0,
  total_tasks_posted: 0,
  total_tasks_completed: 0,
  created_at: '2026-02-05T12:00:00Z',
  profile: { full_name: 'John Doe', profile_image: null, bio: '', date_of_birth: null, gender: '' },
};

test("the seed's own example user conforms, with extra properties allowed", () => {
  expect(schemaViolations('user', { ...user, extra: 1 })).toEqual([]);
});

test('a violation names the JSON path and the rule', () => {
  const broken = { ...user, total_tasks_posted: '0', role: 'ADMIN', profile: { ...user.profile, profile_image: '/media/x.png' } };
  expect(schemaViolations('user', broken, 'data')).toEqual(
    expect.arrayContaining(['data.total_tasks_posted: must be integer', 'data.role: must be one of ["POSTER","TASKER","BOTH"]', 'data.profile.profile_image: must be a uri']),
  );
});

test('a missing required member is named', () => {
  const { email: _email, ...rest } = user;
  expect(schemaViolations('user', rest)).toContain("(root): required property 'email' is missing");
});

test('the error envelope takes field lists and nested field maps, not bare strings', () => {
  expect(schemaViolations('error-envelope', { success: false, message: 'x', errors: { email: ['bad'], profile: { gender: ['bad'] } } })).toEqual([]);
  expect(schemaViolations('error-envelope', { success: false, message: 'x', errors: { email: 'bad' } })).not.toEqual([]);
});

test('a wallet balance must be a number, not a decimal string', () => {
  const wallet = { id: 'w1', balance: '1500.50', created_at: '2026-01-01T12:00:00Z', updated_at: '2026-01-01T12:00:00Z' };
  expect(schemaViolations('wallet', wallet, 'data')).toEqual(['data.balance: must be number']);
});
