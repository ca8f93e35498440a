/**
 * Which language Badgey answers in. A reply only the member sees (ephemeral) is in the member's
 * Discord language (`interaction.locale`); a post the channel sees (results, live games) is in the
 * server's: `/settings language` if a manager chose one, else the server's Discord language
 * (`guild.preferredLocale`, also sent on every interaction as `guildLocale`).
 */
import type { BaseInteraction } from 'discord.js';
import { type Translate, translatorFor } from '../i18n/index.js';

/** The member's language, for ephemeral replies. */
export function memberTranslator(interaction: Pick<BaseInteraction, 'locale'>): Translate {
  return translatorFor(interaction.locale);
}

/**
 * The server's language, for public posts: the `/settings language` choice (`GuildSettings.language`)
 * over the server's Discord locale; the default when neither is known (a DM).
 */
export function serverTranslator(
  chosenLanguage: string | null,
  guildLocale: string | null | undefined,
): Translate {
  return translatorFor(chosenLanguage ?? guildLocale);
}
