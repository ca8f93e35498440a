/**
 * Expected failures a handler answers with an ephemeral message (via `replyError`), counted as
 * outcome `rejected`. Keys are stable camelCase identifiers; the text is rendered
 * below by `renderCommandError`. Extend the union (and the renderer) for new cases.
 */
export type CommandError =
  /** The member lacks a Discord permission the command needs. */
  | { kind: 'missingPermission'; permission: string }
  /** The command only works inside a server. */
  | { kind: 'guildOnly' }
  /** A button/select/modal from a custom-id scheme this version does not understand. */
  | { kind: 'staleComponent' }
  /** A component whose custom id names a handler with no component on that message (forged). */
  | { kind: 'foreignComponent' }
  /** A command name Discord still routes to us but this version no longer has. */
  | { kind: 'unknownCommand'; name: string };

/** The reply to a bug (a handler threw): friendly, no details — those go to the log. */
export const INTERNAL_ERROR_MESSAGE =
  "Uh-oh! Something went wrong on my side and I couldn't finish that. It's been logged — please try again in a moment. Hehehe… sorry!";

/** The ephemeral text for an expected user error. */
export function renderCommandError(error: CommandError): string {
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
  }
}
