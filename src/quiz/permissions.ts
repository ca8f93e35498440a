import { err, ok, type Result } from './result.js';
import type { GuildSettings } from './types.js';

/** Discord permission bits that make a member a quiz manager. */
export const PERMISSION_ADMINISTRATOR = 0x8n;
export const PERMISSION_MANAGE_GUILD = 0x20n;

export interface ManagerCheckInput {
  /** The member's resolved permissions (an interaction's `member.permissions`, a decimal string or bigint). */
  memberPermissions: bigint | string | null | undefined;
  memberRoleIds: readonly string[];
  /** The guild's settings; null when none are stored yet (then only Manage Server counts). */
  settings: Pick<GuildSettings, 'managerRoleIds'> | null;
  /** The guild owner always manages. */
  isOwner?: boolean;
}

/** `needed` is an id, named in the member's language by render/ (`common.permissions.quizManager`). */
export type PermissionError = {
  kind: 'missingPermission';
  needed: 'quizManager';
};

function toBigInt(value: bigint | string | null | undefined): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return 0n;
}

/**
 * Managers create, edit, delete, import and export quizzes and may see answers: members with
 * Manage Server (Administrator implies it) or one of the configured manager roles — by role id,
 * never by name (names are neither unique nor stable).
 */
export function isManager({
  memberPermissions,
  memberRoleIds,
  settings,
  isOwner,
}: ManagerCheckInput): boolean {
  if (isOwner) return true;
  const permissions = toBigInt(memberPermissions);
  if ((permissions & (PERMISSION_MANAGE_GUILD | PERMISSION_ADMINISTRATOR)) !== 0n) return true;
  const managerRoles = new Set(settings?.managerRoleIds ?? []);
  return memberRoleIds.some((roleId) => managerRoles.has(roleId));
}

export function requireManager(input: ManagerCheckInput): Result<void, PermissionError> {
  return isManager(input) ? ok(undefined) : err({ kind: 'missingPermission', needed: 'quizManager' });
}
