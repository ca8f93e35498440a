import type { MessageKey, Translate } from '../i18n/index.js';
import { quoted, truncate } from './quizText.js';

/**
 * The user-facing errors every command shares: each has a stable identifier (`kind`, never
 * renamed: it is the message key `errors.<kind>` of the catalogue in `i18n/locales/`) and the other
 * fields fill that message's placeholders in `renderUserError`. Handlers
 * answer one with `replyError` (ephemeral, counted as outcome `rejected`). Errors that belong to one
 * feature (authoring, taking, live games) are their services' unions, rendered beside the feature,
 * and use this catalogue for the shared cases (database unavailable).
 */
export type UserError =
  /** The member lacks a Discord permission (or role) the command needs. */
  | { kind: 'missingPermission'; permission: PermissionName }
  /** The command only works inside a server. */
  | { kind: 'guildOnly' }
  /** A button/select/modal from a custom-id scheme this version does not understand. */
  | { kind: 'staleComponent' }
  /** A component whose custom id does not match the message it is on (forged). */
  | { kind: 'foreignComponent' }
  /** A command name Discord still routes to us but this version no longer has. */
  | { kind: 'unknownCommand'; name: string }
  /** The database does not answer (outage, restart): nothing was changed. */
  | { kind: 'databaseUnavailable' }
  /** No quiz in this server by that name or number. */
  | { kind: 'quizNotFound'; ref: string }
  /** A handler threw (a bug): friendly, no details — those go to the log. */
  | { kind: 'internalError' };

/** A permission (or role) a command may need, named in the member's language (`common.permissions`). */
export type PermissionName = 'manageServer' | 'quizManager' | 'botOwner';

/** The name handlers have used for the catalogue's entries. */
export type CommandError = UserError;

/** Every identifier in the catalogue, e.g. for a localisation file's completeness check. */
export const USER_ERROR_KINDS = [
  'missingPermission',
  'guildOnly',
  'staleComponent',
  'foreignComponent',
  'unknownCommand',
  'databaseUnavailable',
  'quizNotFound',
  'internalError',
] as const satisfies readonly UserError['kind'][];

/** The message-catalogue key of an error: `errors.<kind>`. */
export function userErrorKey(error: UserError): MessageKey {
  return `errors.${error.kind}`;
}

/** The ephemeral text for a user-facing error, in the language of `t`. */
export function renderUserError(error: UserError, t: Translate): string {
  switch (error.kind) {
    case 'missingPermission':
      return t('errors.missingPermission', { permission: t(`common.permissions.${error.permission}`) });
    case 'unknownCommand':
      return t('errors.unknownCommand', { name: error.name });
    case 'quizNotFound':
      return t('errors.quizNotFound', { quiz: quoted(truncate(error.ref, 100), t) });
    default:
      return t(userErrorKey(error));
  }
}
