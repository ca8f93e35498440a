/**
 * Quiz authoring over the storage ports: guild scoping, permission checks, the one validator
 * (quizFile.ts) and typed, friendly errors. Commands call it and render its results; it knows
 * nothing of discord.js, SQL or HTTP.
 */

import { fileSlug, noRoomForQuestion, settingsChanges } from './authoringRules.js';
import {
  type Actor,
  type AuthoringError,
  type AuthoringResult,
  MANAGER_PERMISSION,
  MAX_MANAGER_ROLES,
  type QuizExport,
  type QuizServiceOptions,
  type QuizSettingsChanges,
  SETTINGS_PERMISSION,
  type SettingsChange,
  type SettingsUpdate,
} from './authoringTypes.js';
import { findQuizByRef } from './findQuizByRef.js';
import { isManager } from './permissions.js';
import {
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  type ImportResult,
  QuestionNotFoundError,
  type QuizChoice,
  QuizNameTakenError,
  QuizNotFoundError,
  type QuizPage,
  type QuizRepository,
} from './ports.js';
import {
  importQuizFile,
  parseQuestionModal,
  type QuestionModalInput,
  type QuizFileFormat,
  type QuizSettingsInput,
  serializeQuizFile,
  validateQuizInput,
} from './quizFile.js';
import { err, ok, type Result } from './result.js';
import type { GuildSettings, Question, Quiz } from './types.js';

export { fileSlug } from './authoringRules.js';
// The authoring contract and rules live in their own files; this stays the import path for them.
export * from './authoringTypes.js';

export class QuizService {
  readonly #quizzes: QuizRepository;
  readonly #settings: GuildSettingsRepository;
  readonly #defaultTimerSeconds: number;
  readonly #onQuizDeleted: ((guildId: string, quizId: number) => void) | undefined;

  constructor(options: QuizServiceOptions) {
    this.#quizzes = options.quizzes;
    this.#settings = options.guildSettings;
    this.#defaultTimerSeconds = options.defaultTimerSeconds;
    this.#onQuizDeleted = options.onQuizDeleted;
  }

  // ── lookups (everyone) ───────────────────────────────────────────────────────────────────

  /**
   * The guild's quiz named by a `quiz` option: an autocomplete choice carries the id; typed
   * text is matched by name (ignoring case). Another guild's quiz is not found.
   */
  resolveQuiz(guildId: string, ref: string): AuthoringResult<Quiz> {
    return guarded(async () => {
      const quiz = await this.#findQuiz(guildId, ref);
      return quiz ? ok(quiz) : err({ kind: 'quizNotFound', ref: ref.trim() });
    });
  }

  /** Autocomplete over the guild's quizzes. Throws DatabaseUnavailableError (autocomplete answers empty). */
  searchQuizzes(guildId: string, prefix: string): Promise<QuizChoice[]> {
    return this.#quizzes.search(guildId, prefix.trim(), 25);
  }

  listQuizzes(guildId: string, page: number, pageSize: number): AuthoringResult<QuizPage> {
    return guarded(async () => {
      const first = await this.#quizzes.list(guildId, { offset: page * pageSize, limit: pageSize });
      const lastPage = Math.max(0, Math.ceil(first.total / pageSize) - 1);
      // A page past the end (quizzes were deleted since the buttons were drawn): show the last one.
      if (page > lastPage && first.total > 0) {
        return ok(await this.#quizzes.list(guildId, { offset: lastPage * pageSize, limit: pageSize }));
      }
      return ok(first);
    });
  }

  // ── permissions ──────────────────────────────────────────────────────────────────────────

  /** Managers: Manage Server (or Administrator, or the owner) or one of the configured manager roles. */
  requireManager(actor: Actor): AuthoringResult<GuildSettings> {
    return guarded(async () => {
      const settings = await this.#settings.get(actor.guildId);
      const allowed = isManager({
        memberPermissions: actor.permissions,
        memberRoleIds: actor.roleIds,
        settings,
        isOwner: actor.isOwner,
      });
      return allowed ? ok(settings) : err({ kind: 'missingPermission', needed: MANAGER_PERMISSION });
    });
  }

  /**
   * Settings decide who manages quizzes, so only Manage Server changes them (a manager role
   * could otherwise hand itself to others).
   */
  requireServerManager(actor: Actor): Result<void, AuthoringError> {
    const allowed = isManager({
      memberPermissions: actor.permissions,
      memberRoleIds: [],
      settings: null,
      isOwner: actor.isOwner,
    });
    return allowed ? ok(undefined) : err({ kind: 'missingPermission', needed: SETTINGS_PERMISSION });
  }

  // ── quizzes ──────────────────────────────────────────────────────────────────────────────

  createQuiz(actor: Actor, input: QuizSettingsInput): AuthoringResult<Quiz> {
    return this.#asManager(actor, async () => {
      const valid = validateQuizInput(input, { defaultTimerSeconds: this.#defaultTimerSeconds });
      if (!valid.ok) return err({ kind: 'invalidQuizSettings', errors: valid.error });
      try {
        return ok(await this.#quizzes.create(actor.guildId, actor.userId, valid.value));
      } catch (error) {
        if (error instanceof QuizNameTakenError) return err({ kind: 'quizNameTaken', name: error.quizName });
        throw error;
      }
    });
  }

  /** Changes the given settings; the rest keep their values. Validated as a whole. */
  editQuiz(
    actor: Actor,
    ref: string,
    changes: QuizSettingsChanges,
  ): AuthoringResult<{ before: Quiz; after: Quiz }> {
    return this.#withQuiz(actor, ref, async (before) => {
      const questionCount = await this.#questionCount(actor.guildId, before.id);
      const merged: QuizSettingsInput = {
        name: changes.name ?? before.name,
        description: changes.description === undefined ? before.description : changes.description,
        timerSeconds: changes.timerSeconds ?? before.timerSeconds,
        questionLimit: changes.questionLimit === undefined ? before.questionLimit : changes.questionLimit,
        shuffle: changes.shuffle ?? before.shuffle,
        opensAt: changes.opensAt === undefined ? before.opensAt : changes.opensAt,
        closesAt: changes.closesAt === undefined ? before.closesAt : changes.closesAt,
      };
      const valid = validateQuizInput(merged, {
        defaultTimerSeconds: this.#defaultTimerSeconds,
        questionCount,
      });
      if (!valid.ok) return err({ kind: 'invalidQuizSettings', errors: valid.error });
      try {
        const after = await this.#quizzes.update(actor.guildId, before.id, valid.value);
        return ok({ before, after });
      } catch (error) {
        if (error instanceof QuizNameTakenError) return err({ kind: 'quizNameTaken', name: error.quizName });
        if (error instanceof QuizNotFoundError) return err({ kind: 'quizNotFound', ref: ref.trim() });
        throw error;
      }
    });
  }

  /** What the delete confirmation shows. */
  prepareDelete(actor: Actor, ref: string): AuthoringResult<{ quiz: Quiz; questionCount: number }> {
    return this.#withQuiz(actor, ref, async (quiz) =>
      ok({ quiz, questionCount: await this.#questionCount(actor.guildId, quiz.id) }),
    );
  }

  /** Deletes the quiz with its questions, attempts and scores (after the member confirmed). */
  deleteQuiz(actor: Actor, quizId: number): AuthoringResult<Quiz> {
    return this.#asManager(actor, async () => {
      const quiz = await this.#quizzes.getById(actor.guildId, quizId);
      if (!quiz) return err({ kind: 'quizNotFound', ref: String(quizId) });
      const deleted = await this.#quizzes.delete(actor.guildId, quizId);
      if (!deleted) return err({ kind: 'quizNotFound', ref: String(quizId) });
      this.#onQuizDeleted?.(actor.guildId, quizId);
      return ok(quiz);
    });
  }

  // ── questions ────────────────────────────────────────────────────────────────────────────

  /** Before the add-question modal opens: the quiz exists and has room. */
  prepareAddQuestion(actor: Actor, ref: string): AuthoringResult<{ quiz: Quiz; questionCount: number }> {
    return this.#withQuiz(actor, ref, async (quiz) => {
      const questionCount = await this.#questionCount(actor.guildId, quiz.id);
      const full = noRoomForQuestion(quiz, questionCount);
      return full ? err(full) : ok({ quiz, questionCount });
    });
  }

  addQuestion(
    actor: Actor,
    quizId: number,
    input: QuestionModalInput,
  ): AuthoringResult<{ quiz: Quiz; question: Question }> {
    return this.#asManager(actor, async () => {
      const valid = parseQuestionModal(input);
      if (!valid.ok) return err({ kind: 'invalidQuestion', errors: valid.error });
      const quiz = await this.#quizzes.getById(actor.guildId, quizId);
      if (!quiz) return err({ kind: 'quizNotFound', ref: String(quizId) });
      const full = noRoomForQuestion(quiz, await this.#questionCount(actor.guildId, quizId));
      if (full) return err(full);
      try {
        return ok({ quiz, question: await this.#quizzes.addQuestion(actor.guildId, quizId, valid.value) });
      } catch (error) {
        if (error instanceof QuizNotFoundError) return err({ kind: 'quizNotFound', ref: String(quizId) });
        throw error;
      }
    });
  }

  /** The question the edit modal is prefilled with; `number` is 1-based. */
  prepareEditQuestion(
    actor: Actor,
    ref: string,
    number: number,
  ): AuthoringResult<{ quiz: Quiz; question: Question }> {
    return this.#withQuiz(actor, ref, (quiz) => this.#questionAt(actor.guildId, quiz, number));
  }

  editQuestion(
    actor: Actor,
    quizId: number,
    questionId: number,
    input: QuestionModalInput,
  ): AuthoringResult<{ quiz: Quiz; question: Question }> {
    return this.#asManager(actor, async () => {
      const valid = parseQuestionModal(input);
      if (!valid.ok) return err({ kind: 'invalidQuestion', errors: valid.error });
      const quiz = await this.#quizzes.getById(actor.guildId, quizId);
      if (!quiz) return err({ kind: 'quizNotFound', ref: String(quizId) });
      const existing = await this.#quizzes.getQuestion(actor.guildId, questionId);
      if (!existing || existing.quizId !== quizId) {
        return err({ kind: 'questionNotFound', quizName: quiz.name, number: null, questionCount: 0 });
      }
      try {
        return ok({
          quiz,
          question: await this.#quizzes.updateQuestion(actor.guildId, questionId, valid.value),
        });
      } catch (error) {
        if (error instanceof QuestionNotFoundError) {
          return err({ kind: 'questionNotFound', quizName: quiz.name, number: null, questionCount: 0 });
        }
        throw error;
      }
    });
  }

  removeQuestion(
    actor: Actor,
    ref: string,
    number: number,
  ): AuthoringResult<{ quiz: Quiz; question: Question }> {
    return this.#withQuiz(actor, ref, async (quiz) => {
      const found = await this.#questionAt(actor.guildId, quiz, number);
      if (!found.ok) return found;
      await this.#quizzes.deleteQuestion(actor.guildId, found.value.question.id);
      return found;
    });
  }

  /** Managers only: the one place correct answers are shown. */
  listQuestions(actor: Actor, ref: string): AuthoringResult<{ quiz: Quiz; questions: Question[] }> {
    return this.#withQuiz(actor, ref, async (quiz) =>
      ok({ quiz, questions: await this.#quizzes.listQuestions(actor.guildId, quiz.id) }),
    );
  }

  /** Question titles for autocomplete of a question number (managers only; others get none). */
  async questionChoices(actor: Actor, ref: string): Promise<Question[]> {
    const manager = await this.requireManager(actor);
    if (!manager.ok) return [];
    const quiz = await this.#findQuiz(actor.guildId, ref);
    return quiz ? this.#quizzes.listQuestions(actor.guildId, quiz.id) : [];
  }

  // ── files ────────────────────────────────────────────────────────────────────────────────

  /**
   * Creates the quiz from a file, or — with `replace` — replaces the settings and questions of the
   * guild's quiz of the same name. All-or-nothing: a file with any error changes nothing.
   */
  importQuiz(
    actor: Actor,
    file: { text: string; format: QuizFileFormat | 'auto'; fileName: string; replace: boolean },
  ): AuthoringResult<ImportResult> {
    return this.#asManager(actor, async () => {
      const parsed = importQuizFile(file.text, file.format, {
        defaultTimerSeconds: this.#defaultTimerSeconds,
      });
      if (!parsed.ok) {
        const tooLarge = parsed.error.find((e) => e.kind === 'fileTooLarge');
        if (tooLarge) {
          return err({
            kind: 'fileTooLarge',
            fileName: file.fileName,
            maxBytes: tooLarge.maxBytes,
            actualBytes: tooLarge.actualBytes,
          });
        }
        return err({ kind: 'invalidFile', fileName: file.fileName, errors: parsed.error });
      }
      const { quiz, questions } = parsed.value;
      if (!file.replace) {
        const existing = await this.#quizzes.findByName(actor.guildId, quiz.name);
        if (existing) return err({ kind: 'quizExists', name: existing.name });
      }
      return ok(await this.#quizzes.importQuiz(actor.guildId, actor.userId, quiz, questions));
    });
  }

  /** The quiz in the file format: importing the result gives the same quiz back. */
  exportQuiz(actor: Actor, ref: string, format: QuizFileFormat): AuthoringResult<QuizExport> {
    return this.#withQuiz(actor, ref, async (quiz) => {
      const questions = await this.#quizzes.listQuestions(actor.guildId, quiz.id);
      return ok({
        quiz,
        fileName: `${fileSlug(quiz.name)}.${format === 'json' ? 'json' : 'yaml'}`,
        content: serializeQuizFile(quiz, questions, format),
        questionCount: questions.length,
      });
    });
  }

  // ── guild settings ───────────────────────────────────────────────────────────────────────

  viewSettings(actor: Actor): AuthoringResult<GuildSettings> {
    const allowed = this.requireServerManager(actor);
    if (!allowed.ok) return Promise.resolve(allowed);
    return guarded(async () => ok(await this.#settings.get(actor.guildId)));
  }

  updateSettings(actor: Actor, change: SettingsChange): AuthoringResult<SettingsUpdate> {
    const allowed = this.requireServerManager(actor);
    if (!allowed.ok) return Promise.resolve(allowed);
    if (change.kind === 'addManagerRole' && change.roleId === actor.guildId) {
      return Promise.resolve(err({ kind: 'everyoneCannotManage' }));
    }
    return guarded(async (): AuthoringResult<SettingsUpdate> => {
      const current = await this.#settings.get(actor.guildId);
      if (
        change.kind === 'addManagerRole' &&
        !current.managerRoleIds.includes(change.roleId) &&
        current.managerRoleIds.length >= MAX_MANAGER_ROLES
      ) {
        return err({ kind: 'tooManyManagerRoles', max: MAX_MANAGER_ROLES });
      }
      const changes = settingsChanges(current, change);
      if (changes === null) return ok({ settings: current, changed: false });
      return ok({ settings: await this.#settings.update(actor.guildId, changes), changed: true });
    });
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  #asManager<T>(actor: Actor, work: () => AuthoringResult<T>): AuthoringResult<T> {
    return guarded(async () => {
      const manager = await this.requireManager(actor);
      if (!manager.ok) return manager;
      return work();
    });
  }

  /** As a manager, with the guild's quiz that `ref` names (`quizNotFound` otherwise). */
  #withQuiz<T>(actor: Actor, ref: string, work: (quiz: Quiz) => AuthoringResult<T>): AuthoringResult<T> {
    return this.#asManager(actor, async () => {
      const quiz = await this.#findQuiz(actor.guildId, ref);
      if (!quiz) return err({ kind: 'quizNotFound', ref: ref.trim() });
      return work(quiz);
    });
  }

  async #questionCount(guildId: string, quizId: number): Promise<number> {
    return (await this.#quizzes.listQuestions(guildId, quizId)).length;
  }

  #findQuiz(guildId: string, ref: string): Promise<Quiz | null> {
    return findQuizByRef(this.#quizzes, guildId, ref);
  }

  async #questionAt(
    guildId: string,
    quiz: Quiz,
    number: number,
  ): Promise<Result<{ quiz: Quiz; question: Question }, AuthoringError>> {
    const questions = await this.#quizzes.listQuestions(guildId, quiz.id);
    const question = Number.isInteger(number) ? questions[number - 1] : undefined;
    if (!question || number < 1) {
      return err({ kind: 'questionNotFound', quizName: quiz.name, number, questionCount: questions.length });
    }
    return ok({ quiz, question });
  }
}

/** Runs repository work; an unreachable database becomes the friendly `databaseUnavailable` error. */
async function guarded<T>(work: () => AuthoringResult<T>): AuthoringResult<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return err({ kind: 'databaseUnavailable' });
    throw error;
  }
}
