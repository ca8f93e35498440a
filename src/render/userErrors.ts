import { quoted, truncate } from './quizText.js';

/**
 * The catalogue of user-facing errors every command shares: each has a stable identifier (`kind`,
 * never renamed: a localisation layer maps it to the message key `userErrorKey(error)` and the other
 * fields to that message's placeholders) and its text lives only in `renderUserError`. Handlers
 * answer one with `replyError` (ephemeral, counted as outcome `rejected`). Errors that belong to one
 * feature (authoring, taking, live games) are their services' unions, rendered beside the feature,
 * and use this catalogue for the shared cases (database unavailable).
 */
export type UserError =
  /** The member lacks a Discord permission (or role) the command needs. */
  | { kind: 'missingPermission'; permission: string }
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

/** The message-catalogue key of an error: `error.<kind>`. */
export function userErrorKey(error: UserError): string {
  return `error.${error.kind}`;
}

/** The ephemeral text for a user-facing error: the one place its words are chosen. */
export function renderUserError(error: UserError): string {
  switch (error.kind) {
    case 'missingPermission':
      return `Uh-oh! You need the **${error.permission}** permission to use this command. Guess someone's not in charge here! Hehehe!`;
    case 'guildOnly':
      return 'This command only works inside a server.';
    case 'staleComponent':
      return 'This button is from an older version of Badgey and no longer works. Run the command again to get a fresh one!';
    case 'foreignComponent':
      return "That button doesn't belong to this message, so I ignored it. Use the buttons Badgey showed you.";
    case 'unknownCommand':
      return `I don't know \`/${error.name}\` any more — it may have been removed in an update.`;
    case 'databaseUnavailable':
      return "I can't reach my database right now, so nothing was changed. Please try again in a moment!";
    case 'quizNotFound':
      return `I can't find a quiz called ${quoted(truncate(error.ref, 100))} in this server.`;
    case 'internalError':
      return "Uh-oh! Something went wrong on my side and I couldn't finish that. It's been logged — please try again in a moment. Hehehe… sorry!";
  }
}

/** The reply to a bug (a handler threw). */
export const INTERNAL_ERROR_MESSAGE = renderUserError({ kind: 'internalError' });

/** Said whenever the database does not answer, by every command. */
export const DATABASE_UNAVAILABLE_MESSAGE = renderUserError({ kind: 'databaseUnavailable' });
