import {
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type MessageComponentInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import { renderUserError, type UserError } from '../render/userErrors.js';
import { memberTranslator } from './locale.js';

/** Every interaction Badgey answers with a message. */
export type RepliableInteraction =
  | ChatInputCommandInteraction
  | MessageComponentInteraction
  | ModalSubmitInteraction;

/** Never ping anyone from text Badgey echoes (quiz titles, answers, names). */
export const NO_MENTIONS = { parse: [] } as const;

/** When `deferIfSlow` acknowledges: leaves ~1.5 s of Discord's 3 s deadline for the defer itself. */
export const DEFER_AFTER_MS = 1_500;

export interface RespondOptions {
  content?: string;
  embeds?: InteractionReplyOptions['embeds'];
  components?: InteractionReplyOptions['components'];
  /** Attachments (e.g. a chart image an embed shows as `attachment://name`). */
  files?: InteractionReplyOptions['files'];
  /** Only the invoking member sees it. Ignored by `editReply` (the defer decided it). */
  ephemeral?: boolean;
}

/**
 * Answers an interaction whatever state it is in: `reply` first; after a slash command's
 * `deferReply`, `editReply`; otherwise a `followUp`. Buttons, selects and modals get a followUp
 * even when deferred: discord.js does not say whether that was `deferUpdate`, and an `editReply`
 * after `deferUpdate` would overwrite the message the button is on (e.g. a running quiz). (The first
 * followUp after a `deferReply` completes its "thinking…" message.) Mentions are always disabled.
 */
export async function respond(interaction: RepliableInteraction, options: RespondOptions): Promise<void> {
  const { ephemeral = false, ...body } = options;
  if (interaction.deferred && !interaction.replied && interaction.isChatInputCommand()) {
    const edit: InteractionEditReplyOptions = { ...body, allowedMentions: NO_MENTIONS };
    await interaction.editReply(edit);
    return;
  }
  const payload: InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } = {
    ...body,
    allowedMentions: NO_MENTIONS,
    ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
  if (interaction.replied || interaction.deferred) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

/**
 * Answers an expected user error ephemerally, in the member's language. Handlers `return replyError(interaction, error)` so
 * the router counts the outcome as `rejected`.
 */
export async function replyError(interaction: RepliableInteraction, error: UserError): Promise<'rejected'> {
  await respond(interaction, {
    content: renderUserError(error, memberTranslator(interaction)),
    ephemeral: true,
  });
  return 'rejected';
}

/**
 * Awaits `work`; if it has not settled after `afterMs`, defers the reply first so Discord's 3 s
 * deadline is met. Afterwards answer with `respond` (which edits the deferred reply).
 * Opt-in per handler, so a handler that replies quickly never races a background defer.
 */
export async function deferIfSlow<T>(
  interaction: RepliableInteraction,
  work: Promise<T>,
  options: { ephemeral: boolean; afterMs?: number },
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(resolve, options.afterMs ?? DEFER_AFTER_MS, 'slow');
  });
  const first = await Promise.race([
    work.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    slow,
  ]);
  clearTimeout(timer);
  if (first === 'slow' && !interaction.deferred && !interaction.replied) {
    await interaction.deferReply(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  }
  return work;
}

/** Answers a handler that threw (a bug): the friendly generic message, ephemeral; details go to the log. */
export async function replyInternalError(interaction: RepliableInteraction): Promise<void> {
  await respond(interaction, {
    content: renderUserError({ kind: 'internalError' }, memberTranslator(interaction)),
    ephemeral: true,
  });
}
