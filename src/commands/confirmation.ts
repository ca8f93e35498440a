import type { MessageComponentInteraction } from 'discord.js';
import type { ParsedCustomId } from '../components/customId.js';
import { renderCancelled, renderNotYourConfirmation } from '../render/scores.js';
import type { CommandResult } from './Command.js';
import { memberTranslator } from './locale.js';
import { NO_MENTIONS, replyError, respond } from './replies.js';

/** Replaces the confirmation message (its buttons removed) with `content`. */
export type FinishConfirmation = (content: string) => Promise<unknown>;

/**
 * A `confirm`/`cancel` button pair of a destructive request: anyone but `ownerId` is refused
 * privately and nothing happens; cancel says nothing was deleted; confirm runs `onConfirm`.
 */
export async function answerConfirmation(
  interaction: MessageComponentInteraction,
  customId: ParsedCustomId,
  ownerId: string | undefined,
  onConfirm: (finish: FinishConfirmation) => Promise<CommandResult>,
): Promise<CommandResult> {
  if (!ownerId || !['confirm', 'cancel'].includes(customId.action))
    return replyError(interaction, { kind: 'staleComponent' });
  // Every message here is only for the member who pressed: in their language.
  const t = memberTranslator(interaction);
  if (interaction.user.id !== ownerId) {
    await respond(interaction, { content: renderNotYourConfirmation(ownerId, t), ephemeral: true });
    return 'rejected';
  }
  const finish: FinishConfirmation = (content) =>
    interaction.update({ content, components: [], allowedMentions: NO_MENTIONS });
  if (customId.action === 'cancel') {
    await finish(renderCancelled(t));
    return undefined;
  }
  return onConfirm(finish);
}
