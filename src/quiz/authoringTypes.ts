/**
 * The contract of quiz authoring (QuizService): who asks, the typed refusals, and the shapes of
 * its inputs and results. Commands and renderers import these through QuizService.ts.
 */

import type { GuildSettingsRepository, QuizRepository } from './ports.js';
import type { FieldError, QuestionField, QuizField, QuizFileError, QuizSettingsInput } from './quizFile.js';
import type { Result } from './result.js';
import type { GuildSettings, Quiz, RetakePolicy } from './types.js';

/** Who is asking, as the interaction tells it. */
export interface Actor {
  guildId: string;
  userId: string;
  /** The member's resolved permissions (decimal string or bigint). */
  permissions: bigint | string | null;
  roleIds: readonly string[];
  /** The member owns the guild. */
  isOwner: boolean;
}

/**
 * What a refused member lacks, as an id (render/ names it in the member's language from the
 * catalogue, `common.permissions.<id>`): quiz managers have Manage Server or a manager role;
 * Badgey's settings need Manage Server itself.
 */
export const MANAGER_PERMISSION = 'quizManager';
export const SETTINGS_PERMISSION = 'manageServer';

/** Why an attachment could not be fetched (render/ says it in the member's language). */
export type DownloadFailureReason =
  /** No answer within `seconds`. */
  | { kind: 'timeout'; seconds: number }
  /** The server answered with this non-2xx HTTP status. */
  | { kind: 'httpStatus'; status: number }
  | { kind: 'connectionRefused' }
  | { kind: 'hostNotFound' }
  | { kind: 'connectionReset' }
  /** Any other network failure. */
  | { kind: 'network' };

/** Expected failures of authoring, each rendered as a specific ephemeral message. Keys are stable. */
export type AuthoringError =
  | { kind: 'missingPermission'; needed: typeof MANAGER_PERMISSION | typeof SETTINGS_PERMISSION }
  /** No quiz with this id or name in THIS guild (another guild's quiz is "not found" too). */
  | { kind: 'quizNotFound'; ref: string }
  /** `number` is 1-based, as the member typed it (null: the question was deleted meanwhile). */
  | { kind: 'questionNotFound'; quizName: string; number: number | null; questionCount: number }
  | { kind: 'tooManyManagerRoles'; max: number }
  /** @everyone (its id is the guild's) would make every member a manager. */
  | { kind: 'everyoneCannotManage' }
  | { kind: 'quizNameTaken'; name: string }
  /** Import of a name that exists, without `replace: true`. */
  | { kind: 'quizExists'; name: string }
  | { kind: 'tooManyQuestions'; quizName: string; max: number }
  | { kind: 'invalidQuestion'; errors: FieldError<QuestionField>[] }
  | { kind: 'invalidQuizSettings'; errors: FieldError<QuizField>[] }
  | { kind: 'invalidFile'; fileName: string; errors: QuizFileError[] }
  /** The attachment is larger than the import limit (known before or while downloading). */
  | { kind: 'fileTooLarge'; fileName: string; maxBytes: number; actualBytes: number | null }
  /** The attachment could not be fetched (HTTP status, timeout, connection refused). */
  | { kind: 'downloadFailed'; fileName: string; reason: DownloadFailureReason }
  /** The attachment is not UTF-8 text. */
  | { kind: 'notText'; fileName: string }
  | { kind: 'databaseUnavailable' };

export type AuthoringResult<T> = Promise<Result<T, AuthoringError>>;

/** `/quiz edit`: undefined = keep; null = clear (description, question limit, dates). */
export type QuizSettingsChanges = Partial<Omit<QuizSettingsInput, 'name'>> & { name?: string };

export type SettingsChange =
  | { kind: 'resultsChannel'; channelId: string | null }
  | { kind: 'addManagerRole'; roleId: string }
  | { kind: 'removeManagerRole'; roleId: string }
  | { kind: 'retakePolicy'; policy: RetakePolicy }
  /** The language of public posts (a catalogue locale); null: the server's Discord language. */
  | { kind: 'language'; language: string | null };

export interface SettingsUpdate {
  settings: GuildSettings;
  /** false: the setting already had that value (nothing stored). */
  changed: boolean;
}

export interface QuizExport {
  quiz: Quiz;
  fileName: string;
  content: string;
  questionCount: number;
}

export interface QuizServiceOptions {
  quizzes: QuizRepository;
  guildSettings: GuildSettingsRepository;
  /** Timer of a new quiz that names none (QUIZ_DEFAULT_TIMER_SECONDS). */
  defaultTimerSeconds: number;
  /** Told after a quiz is deleted, so running sessions of it end politely. */
  onQuizDeleted?: (guildId: string, quizId: number) => void;
}

/** Most manager roles a guild may configure (keeps the settings row and the reply small). */
export const MAX_MANAGER_ROLES = 25;
