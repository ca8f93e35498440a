import type { Quiz } from '../quiz/types.js';
import { discordTime } from './quizText.js';

/** One line of a quiz's play settings, e.g. "30 s per question · 5 questions per attempt · shuffled". */
export function quizSettingsSummary(
  quiz: Pick<Quiz, 'timerSeconds' | 'questionLimit' | 'shuffle' | 'opensAt' | 'closesAt'>,
): string {
  const parts = [`${quiz.timerSeconds} s per question`];
  if (quiz.questionLimit !== null) parts.push(`at most ${quiz.questionLimit} per attempt`);
  parts.push(quiz.shuffle ? 'shuffled' : 'in order');
  if (quiz.opensAt !== null) parts.push(`opens ${discordTime(quiz.opensAt)}`);
  if (quiz.closesAt !== null) parts.push(`closes ${discordTime(quiz.closesAt)}`);
  return parts.join(' · ');
}

export function questionCountText(count: number): string {
  return count === 1 ? '1 question' : `${count} questions`;
}
