import type { AutocompleteInteraction } from 'discord.js';
import type { QuizService } from '../../quiz/QuizService.js';
import { truncate } from '../../render/quizText.js';
import { actorOf } from './interactionActor.js';

/** Discord: at most 25 choices, names 1..100 characters. */
const MAX_CHOICES = 25;
const CHOICE_NAME_MAX = 100;

/** The `quiz` option: the guild's quizzes whose name starts with what was typed; value = the id. */
export async function autocompleteQuiz(
  service: QuizService,
  interaction: AutocompleteInteraction,
): Promise<void> {
  if (!interaction.inGuild()) return interaction.respond([]);
  const typed = String(interaction.options.getFocused());
  const choices = await service.searchQuizzes(interaction.guildId, typed);
  await interaction.respond(
    choices
      .slice(0, MAX_CHOICES)
      .map((c) => ({ name: truncate(c.name, CHOICE_NAME_MAX), value: String(c.id) })),
  );
}

/** The `number` option of edit/remove-question: "3. Which planet…" for managers; nothing for others. */
export async function autocompleteQuestionNumber(
  service: QuizService,
  interaction: AutocompleteInteraction,
): Promise<void> {
  const actor = actorOf(interaction);
  const quizRef = interaction.options.getString('quiz');
  if (!actor || !quizRef) return interaction.respond([]);
  const typed = String(interaction.options.getFocused()).trim();
  const questions = await service.questionChoices(actor, quizRef);
  const choices = questions
    .map((q) => ({ number: q.position + 1, text: q.text }))
    .filter((q) => typed === '' || String(q.number).startsWith(typed))
    .slice(0, MAX_CHOICES)
    .map((q) => ({
      name: truncate(`${q.number}. ${q.text.replace(/\s+/g, ' ')}`, CHOICE_NAME_MAX),
      value: q.number,
    }));
  await interaction.respond(choices);
}
