import type { CommandError } from '../commands/CommandError.js';

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
    case 'unknownCommand':
      return `I don't know \`/${error.name}\` any more — it may have been removed in an update.`;
  }
}
