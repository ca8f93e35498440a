import { describe, expect, it } from 'vitest';
import { canStart, isOpen } from '../../../src/quiz/availability.js';
import { isManager, requireManager } from '../../../src/quiz/permissions.js';

const MANAGE_GUILD = (1n << 5n).toString();
const SEND_MESSAGES = (1n << 11n).toString();
const settings = { managerRoleIds: ['111', '222'] };

describe('isManager', () => {
  it.each([
    [
      'Manage Server (decimal string, as interactions send it)',
      { memberPermissions: MANAGE_GUILD, memberRoleIds: [] },
      true,
    ],
    [
      'Manage Server among other bits (bigint)',
      { memberPermissions: (1n << 5n) | (1n << 11n), memberRoleIds: [] },
      true,
    ],
    ['Administrator', { memberPermissions: '8', memberRoleIds: [] }, true],
    [
      'a configured manager role, by id',
      { memberPermissions: SEND_MESSAGES, memberRoleIds: ['999', '222'] },
      true,
    ],
    [
      'no permission and no manager role',
      { memberPermissions: SEND_MESSAGES, memberRoleIds: ['999'] },
      false,
    ],
    ['garbage permissions', { memberPermissions: 'lots', memberRoleIds: [] }, false],
    ['missing permissions (DM)', { memberPermissions: null, memberRoleIds: [] }, false],
  ])('GIVEN %s THEN %s', (_name, input, expected) => {
    expect(isManager({ ...input, settings })).toBe(expected);
  });

  // Original bug 24: permission by role *name*. A role named like a manager role but with another id is not one.
  it('never matches roles by name', () => {
    expect(
      isManager({
        memberPermissions: '0',
        memberRoleIds: ['Quiz Master'],
        settings: { managerRoleIds: ['111'] },
      }),
    ).toBe(false);
  });

  it('without stored settings only Manage Server counts; the owner always manages', () => {
    expect(isManager({ memberPermissions: '0', memberRoleIds: ['111'], settings: null })).toBe(false);
    expect(isManager({ memberPermissions: '0', memberRoleIds: [], settings: null, isOwner: true })).toBe(
      true,
    );
  });
});

describe('requireManager', () => {
  it('says which permission is missing', () => {
    expect(requireManager({ memberPermissions: SEND_MESSAGES, memberRoleIds: [], settings })).toEqual({
      ok: false,
      error: { kind: 'missingPermission', needed: 'quizManager' },
    });
    expect(requireManager({ memberPermissions: MANAGE_GUILD, memberRoleIds: [], settings })).toEqual({
      ok: true,
      value: undefined,
    });
  });
});

describe('canStart (retake policy)', () => {
  it.each([
    ['once', false, true],
    ['once', true, false],
    ['unlimited', false, true],
    ['unlimited', true, true],
  ] as const)('GIVEN policy %s AND completed=%s THEN allowed=%s', (policy, hasCompleted, allowed) => {
    const result = canStart({ policy, hasCompleted });
    expect(result.ok).toBe(allowed);
    if (!result.ok) expect(result.error.kind).toBe('alreadyTaken');
  });
});

describe('isOpen', () => {
  const opensAt = Date.UTC(2026, 4, 1);
  const closesAt = Date.UTC(2026, 4, 8);

  it('is open between the dates (opens inclusive, closes exclusive) and always without dates', () => {
    expect(isOpen({ opensAt, closesAt }, opensAt).ok).toBe(true);
    expect(isOpen({ opensAt, closesAt }, closesAt - 1).ok).toBe(true);
    expect(isOpen({ opensAt: null, closesAt: null }, 0).ok).toBe(true);
  });

  it('says when it opens or closed (structured: render/ words it)', () => {
    expect(isOpen({ opensAt, closesAt }, opensAt - 1)).toEqual({
      ok: false,
      error: { kind: 'notYetOpen', opensAt },
    });
    expect(isOpen({ opensAt, closesAt }, closesAt)).toEqual({
      ok: false,
      error: { kind: 'closed', closesAt },
    });
  });
});
