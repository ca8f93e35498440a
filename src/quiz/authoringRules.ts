/** Pure rules of quiz authoring that QuizService applies (no storage, no permissions). */

import type { AuthoringError, SettingsChange } from './authoringTypes.js';
import { QUIZ_LIMITS } from './limits.js';
import type { GuildSettingsChanges } from './ports.js';
import type { GuildSettings, Quiz } from './types.js';

/** The refusal when a quiz with `questionCount` questions cannot take another one. */
export function noRoomForQuestion(quiz: Quiz, questionCount: number): AuthoringError | null {
  if (questionCount < QUIZ_LIMITS.maxQuestions) return null;
  return { kind: 'tooManyQuestions', quizName: quiz.name, max: QUIZ_LIMITS.maxQuestions };
}

export function settingsChanges(current: GuildSettings, change: SettingsChange): GuildSettingsChanges | null {
  switch (change.kind) {
    case 'resultsChannel':
      return current.resultsChannelId === change.channelId ? null : { resultsChannelId: change.channelId };
    case 'retakePolicy':
      return current.retakePolicy === change.policy ? null : { retakePolicy: change.policy };
    case 'language':
      return current.language === change.language ? null : { language: change.language };
    case 'addManagerRole':
      if (current.managerRoleIds.includes(change.roleId)) return null;
      return { managerRoleIds: [...current.managerRoleIds, change.roleId] };
    case 'removeManagerRole':
      if (!current.managerRoleIds.includes(change.roleId)) return null;
      return { managerRoleIds: current.managerRoleIds.filter((id) => id !== change.roleId) };
  }
}

/** A file name from a quiz name: lowercase letters, digits and dashes (never empty). */
export function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'quiz' : slug;
}
