import type { BaseInteraction } from 'discord.js';
import type { Translate } from '../../i18n/index.js';
import type { Actor, AuthoringError, AuthoringResult } from '../../quiz/QuizService.js';
import { renderAuthoringError } from '../../render/quizAuthoringError.js';
import type { CommandResult } from '../Command.js';
import { memberTranslator } from '../locale.js';
import {
  deferIfSlow,
  type RepliableInteraction,
  type RespondOptions,
  replyError,
  respond,
} from '../replies.js';
import { actorOf } from './interactionActor.js';

/**
 * Answers an expected authoring failure ephemerally, in the member's language; handlers return its
 * value (outcome `rejected`).
 */
export async function replyAuthoringError(
  interaction: RepliableInteraction,
  error: AuthoringError,
): Promise<'rejected'> {
  await respond(interaction, {
    content: renderAuthoringError(error, memberTranslator(interaction)),
    ephemeral: true,
  });
  return 'rejected';
}

/**
 * Awaits an authoring call (deferring the reply if it is slow) and answers ephemerally: the
 * failure, or what `reply` makes of the value — both in the member's language (`t`).
 */
export async function answerAuthoring<T>(
  interaction: RepliableInteraction,
  work: AuthoringResult<T>,
  reply: (value: T, t: Translate) => Omit<RespondOptions, 'ephemeral'>,
): Promise<CommandResult> {
  const result = await deferIfSlow(interaction, work, { ephemeral: true });
  if (!result.ok) return replyAuthoringError(interaction, result.error);
  await respond(interaction, { ...reply(result.value, memberTranslator(interaction)), ephemeral: true });
  return undefined;
}

/** Runs `work` with the member as an Actor; outside a guild answers "server only". */
export async function withActor<I extends RepliableInteraction & BaseInteraction>(
  interaction: I,
  work: (actor: Actor) => Promise<CommandResult>,
): Promise<CommandResult> {
  const actor = actorOf(interaction);
  if (!actor) return replyError(interaction, { kind: 'guildOnly' });
  return work(actor);
}
