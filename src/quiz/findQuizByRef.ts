import type { QuizRepository } from './ports.js';
import type { Quiz } from './types.js';

/**
 * Resolves what a member typed or picked for a `quiz` option within one guild: autocomplete
 * choices carry the id, typed text is a name. A quiz literally named "42" is still found by name.
 */
export async function findQuizByRef(
  quizzes: Pick<QuizRepository, 'getById' | 'findByName'>,
  guildId: string,
  ref: string,
): Promise<Quiz | null> {
  const text = ref.trim();
  if (text === '') return null;
  if (/^\d{1,15}$/.test(text)) {
    const byId = await quizzes.getById(guildId, Number(text));
    if (byId) return byId;
  }
  return quizzes.findByName(guildId, text);
}
