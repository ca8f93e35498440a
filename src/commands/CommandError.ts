/**
 * Expected failures a handler answers with an ephemeral message (via `replyError`), counted as
 * outcome `rejected`. Keys are stable camelCase identifiers; the text lives in
 * `render/commandErrorMessage.ts`. Extend the union (and the renderer) for new cases.
 */
export type CommandError =
  /** The member lacks a Discord permission the command needs. */
  | { kind: 'missingPermission'; permission: string }
  /** The command only works inside a server. */
  | { kind: 'guildOnly' }
  /** A button/select/modal from a custom-id scheme this version does not understand. */
  | { kind: 'staleComponent' }
  /** A command name Discord still routes to us but this version no longer has. */
  | { kind: 'unknownCommand'; name: string };
