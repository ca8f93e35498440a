import type { Translate } from '../i18n/index.js';
import type { Quiz } from '../quiz/types.js';
import { discordTime } from './quizText.js';

/** One line of a quiz's play settings, e.g. "30 s per question · 5 questions per attempt · shuffled". */
export function quizSettingsSummary(
  quiz: Pick<Quiz, 'timerSeconds' | 'questionLimit' | 'shuffle' | 'opensAt' | 'closesAt'>,
  t: Translate,
): string {
  const parts = [t('session.settingsSummary.timer', { seconds: quiz.timerSeconds })];
  if (quiz.questionLimit !== null) {
    parts.push(t('session.settingsSummary.questionLimit', { limit: quiz.questionLimit }));
  }
  parts.push(t(quiz.shuffle ? 'session.settingsSummary.shuffled' : 'session.settingsSummary.inOrder'));
  if (quiz.opensAt !== null)
    parts.push(t('session.settingsSummary.opens', { time: discordTime(quiz.opensAt) }));
  if (quiz.closesAt !== null) {
    parts.push(t('session.settingsSummary.closes', { time: discordTime(quiz.closesAt) }));
  }
  return parts.join(t('session.settingsSummary.separator'));
}

/** "1 question" / "5 questions" (at most QUIZ_LIMITS.maxQuestions: no thousands separator). */
export function questionCountText(count: number, t: Translate): string {
  return t('common.questionCount', { count });
}
