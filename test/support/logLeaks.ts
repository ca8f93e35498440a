/**
 * What a bot's log must never hold besides its configured secrets: the interaction tokens the
 * emulator issued (each lets anyone edit the bot's replies for 15 minutes), the raw ids of the
 * emulator's users (logs name members by pseudonym or not at all) and Discord request bodies
 * (message text, quiz answers, `<@member>` mentions). Emulators in this test process register
 * what they hand out; BotProcess checks every line it reads against that.
 */

const interactionTokens = new Set<string>();
const userIds = new Map<string, string>();

/** An interaction token the emulator put in an INTERACTION_CREATE. */
export function watchInteractionToken(token: string): void {
  interactionTokens.add(token);
}

/** A (non-bot) user the emulator knows, by id; the name only labels a finding. */
export function watchUserId(id: string, username: string): void {
  userIds.set(id, username);
}

/** Keys only a Discord request body (or Discord's echo of one) has. */
const REQUEST_BODY_KEY = /"(requestBody|rawError|allowed_mentions|custom_id|embeds)"\s*:/;
const TOKEN_CANDIDATE = /[A-Za-z0-9_-]{40,}/g;
const SNOWFLAKE_CANDIDATE = /\d{17,20}/g;

/** What in `line` must not be there, each named without repeating the value. */
export function logLeaksIn(line: string): string[] {
  const found: string[] = [];
  if (interactionTokens.size > 0) {
    for (const [word] of line.matchAll(TOKEN_CANDIDATE)) {
      if (interactionTokens.has(word)) {
        found.push('an interaction token');
        break;
      }
    }
  }
  if (userIds.size > 0) {
    for (const [word] of line.matchAll(SNOWFLAKE_CANDIDATE)) {
      const username = userIds.get(word);
      if (username !== undefined) {
        found.push(`the raw user id of ${username}`);
        break;
      }
    }
  }
  const body = REQUEST_BODY_KEY.exec(line);
  if (body) found.push(`a Discord request body ("${body[1]}")`);
  return found;
}
