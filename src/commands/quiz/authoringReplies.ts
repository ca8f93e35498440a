import type { BaseInteraction } from 'discord.js';
import { type RepliableInteraction, replyError, respond } from '../../discord/replies.js';
import type { Actor, AuthoringError } from '../../quiz/QuizService.js';
import { renderAuthoringError } from '../../render/quizAuthoringError.js';
import type { CommandResult } from '../Command.js';
import { actorOf } from './interactionActor.js';

/** Answers an expected authoring failure ephemerally; handlers return its value (outcome `rejected`). */
export async function replyAuthoringError(
  interaction: RepliableInteraction,
  error: AuthoringError,
): Promise<'rejected'> {
  await respond(interaction, { content: renderAuthoringError(error), ephemeral: true });
  return 'rejected';
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
