import { type Selectable, sql, type Updateable } from 'kysely';
import {
  type ImportResult,
  type PageRequest,
  QuestionNotFoundError,
  type QuizChoice,
  QuizNameTakenError,
  QuizNotFoundError,
  type QuizPage,
  type QuizRepository,
} from '../quiz/ports.js';
import type { Question, QuestionInput, Quiz, QuizInput } from '../quiz/types.js';
import { isUniqueViolation } from './databaseErrors.js';
import { type QuestionsTable, type QuizzesTable, quizNameKey } from './schema.js';
import {
  checkLimit,
  type Executor,
  runOperation,
  runTransaction,
  type StoreContext,
  toNullableNumber,
  toNumber,
} from './storeContext.js';

function quizFromRow(row: Selectable<QuizzesTable>): Quiz {
  return {
    id: toNumber(row.id),
    guildId: row.guild_id,
    name: row.name,
    description: row.description,
    creatorId: row.creator_id,
    timerSeconds: toNumber(row.timer_seconds),
    questionLimit: toNullableNumber(row.question_limit),
    shuffle: toNumber(row.shuffle) === 1,
    opensAt: toNullableNumber(row.opens_at),
    closesAt: toNullableNumber(row.closes_at),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

function questionFromRow(row: Selectable<QuestionsTable>): Question {
  return {
    id: toNumber(row.id),
    quizId: toNumber(row.quiz_id),
    position: toNumber(row.position),
    text: row.text,
    options: JSON.parse(row.options) as string[],
    correctIndex: toNumber(row.correct_index),
    points: toNumber(row.points),
    explanation: row.explanation,
  };
}

function quizColumns(input: Partial<QuizInput>): Updateable<QuizzesTable> {
  const out: Updateable<QuizzesTable> = {};
  if (input.name !== undefined) {
    out.name = input.name.trim();
    out.name_key = quizNameKey(input.name);
  }
  if (input.description !== undefined) out.description = input.description;
  if (input.timerSeconds !== undefined) out.timer_seconds = input.timerSeconds;
  if (input.questionLimit !== undefined) out.question_limit = input.questionLimit;
  if (input.shuffle !== undefined) out.shuffle = input.shuffle ? 1 : 0;
  if (input.opensAt !== undefined) out.opens_at = input.opensAt;
  if (input.closesAt !== undefined) out.closes_at = input.closesAt;
  return out;
}

function questionColumns(input: QuestionInput) {
  return {
    text: input.text,
    options: JSON.stringify(input.options),
    correct_index: input.correctIndex,
    points: input.points,
    explanation: input.explanation,
  };
}

/** `%`, `_` and `\` in a user's prefix are literal. */
function likePrefix(prefix: string): string {
  return `${quizNameKey(prefix).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class SqlQuizRepository implements QuizRepository {
  constructor(readonly ctx: StoreContext) {}

  create(guildId: string, creatorId: string, input: QuizInput): Promise<Quiz> {
    return runOperation(this.ctx, 'quizzes.create', () =>
      this.#insert(this.ctx.db, guildId, creatorId, input),
    );
  }

  async #insert(db: Executor, guildId: string, creatorId: string, input: QuizInput): Promise<Quiz> {
    const now = this.ctx.clock.now();
    try {
      const row = await db
        .insertInto('quizzes')
        .values({
          guild_id: guildId,
          creator_id: creatorId,
          name: input.name.trim(),
          name_key: quizNameKey(input.name),
          description: input.description,
          timer_seconds: input.timerSeconds,
          question_limit: input.questionLimit,
          shuffle: input.shuffle ? 1 : 0,
          opens_at: input.opensAt,
          closes_at: input.closesAt,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return quizFromRow(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new QuizNameTakenError(input.name.trim());
      throw error;
    }
  }

  update(guildId: string, quizId: number, changes: Partial<QuizInput>): Promise<Quiz> {
    return runOperation(this.ctx, 'quizzes.update', async () => {
      try {
        const row = await this.ctx.db
          .updateTable('quizzes')
          .set({ ...quizColumns(changes), updated_at: this.ctx.clock.now() })
          .where('id', '=', quizId)
          .where('guild_id', '=', guildId)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new QuizNotFoundError(quizId);
        return quizFromRow(row);
      } catch (error) {
        if (isUniqueViolation(error) && changes.name !== undefined)
          throw new QuizNameTakenError(changes.name.trim());
        throw error;
      }
    });
  }

  delete(guildId: string, quizId: number): Promise<boolean> {
    return runOperation(this.ctx, 'quizzes.delete', async () => {
      // Questions, attempts and best scores go with it (ON DELETE CASCADE).
      const result = await this.ctx.db
        .deleteFrom('quizzes')
        .where('id', '=', quizId)
        .where('guild_id', '=', guildId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  getById(guildId: string, quizId: number): Promise<Quiz | null> {
    return runOperation(this.ctx, 'quizzes.get', async () => {
      const row = await this.ctx.db
        .selectFrom('quizzes')
        .selectAll()
        .where('id', '=', quizId)
        .where('guild_id', '=', guildId)
        .executeTakeFirst();
      return row ? quizFromRow(row) : null;
    });
  }

  findByName(guildId: string, name: string): Promise<Quiz | null> {
    return runOperation(this.ctx, 'quizzes.find_by_name', async () => {
      const row = await this.#findByName(this.ctx.db, guildId, name);
      return row ? quizFromRow(row) : null;
    });
  }

  #findByName(db: Executor, guildId: string, name: string) {
    return db
      .selectFrom('quizzes')
      .selectAll()
      .where('guild_id', '=', guildId)
      .where('name_key', '=', quizNameKey(name))
      .executeTakeFirst();
  }

  list(guildId: string, page: PageRequest): Promise<QuizPage> {
    return runOperation(this.ctx, 'quizzes.list', async () => {
      const limit = checkLimit('limit', page.limit, 1, 100);
      const offset = checkLimit('offset', page.offset, 0, Number.MAX_SAFE_INTEGER);
      const rows = await this.ctx.db
        .selectFrom('quizzes')
        .selectAll('quizzes')
        .select((eb) =>
          eb
            .selectFrom('questions')
            .whereRef('questions.quiz_id', '=', 'quizzes.id')
            .select(eb.fn.countAll<number>().as('n'))
            .as('question_count'),
        )
        .where('guild_id', '=', guildId)
        .orderBy('name_key')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute();
      const total = await this.ctx.db
        .selectFrom('quizzes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('guild_id', '=', guildId)
        .executeTakeFirstOrThrow();
      return {
        items: rows.map((row) => ({ ...quizFromRow(row), questionCount: toNumber(row.question_count) })),
        total: toNumber(total.n),
      };
    });
  }

  search(guildId: string, prefix: string, limit = 25): Promise<QuizChoice[]> {
    return runOperation(this.ctx, 'quizzes.search', async () => {
      checkLimit('limit', limit, 1, 25);
      const rows = await this.ctx.db
        .selectFrom('quizzes')
        .select(['id', 'name'])
        .where('guild_id', '=', guildId)
        .where(sql<boolean>`name_key like ${likePrefix(prefix)} escape '\\'`)
        .orderBy('name_key')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ id: toNumber(row.id), name: row.name }));
    });
  }

  listQuestions(guildId: string, quizId: number): Promise<Question[]> {
    return runOperation(this.ctx, 'questions.list', () => this.#listQuestions(this.ctx.db, guildId, quizId));
  }

  async #listQuestions(db: Executor, guildId: string, quizId: number): Promise<Question[]> {
    const rows = await db
      .selectFrom('questions')
      .innerJoin('quizzes', 'quizzes.id', 'questions.quiz_id')
      .selectAll('questions')
      .where('questions.quiz_id', '=', quizId)
      .where('quizzes.guild_id', '=', guildId)
      .orderBy('questions.position')
      .orderBy('questions.id')
      .execute();
    return rows.map(questionFromRow);
  }

  getQuestion(guildId: string, questionId: number): Promise<Question | null> {
    return runOperation(this.ctx, 'questions.get', async () => {
      const row = await this.#questionInGuild(this.ctx.db, guildId, questionId);
      return row ? questionFromRow(row) : null;
    });
  }

  #questionInGuild(db: Executor, guildId: string, questionId: number) {
    return db
      .selectFrom('questions')
      .innerJoin('quizzes', 'quizzes.id', 'questions.quiz_id')
      .selectAll('questions')
      .where('questions.id', '=', questionId)
      .where('quizzes.guild_id', '=', guildId)
      .executeTakeFirst();
  }

  /** Bumps updated_at; on PostgreSQL this also locks the quiz row, serialising question edits. */
  async #touchQuiz(db: Executor, guildId: string, quizId: number): Promise<void> {
    const result = await db
      .updateTable('quizzes')
      .set({ updated_at: this.ctx.clock.now() })
      .where('id', '=', quizId)
      .where('guild_id', '=', guildId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new QuizNotFoundError(quizId);
  }

  addQuestion(guildId: string, quizId: number, input: QuestionInput): Promise<Question> {
    return runTransaction(this.ctx, 'questions.add', async (trx) => {
      await this.#touchQuiz(trx, guildId, quizId);
      const next = await trx
        .selectFrom('questions')
        .select((eb) => eb.fn.max('position').as('max'))
        .where('quiz_id', '=', quizId)
        .executeTakeFirst();
      const position = next?.max === null || next?.max === undefined ? 0 : toNumber(next.max) + 1;
      const row = await trx
        .insertInto('questions')
        .values({ quiz_id: quizId, position, ...questionColumns(input) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return questionFromRow(row);
    });
  }

  updateQuestion(guildId: string, questionId: number, input: QuestionInput): Promise<Question> {
    return runTransaction(this.ctx, 'questions.update', async (trx) => {
      const existing = await this.#questionInGuild(trx, guildId, questionId);
      if (!existing) throw new QuestionNotFoundError(questionId);
      await this.#touchQuiz(trx, guildId, existing.quiz_id);
      const row = await trx
        .updateTable('questions')
        .set(questionColumns(input))
        .where('id', '=', questionId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new QuestionNotFoundError(questionId);
      return questionFromRow(row);
    });
  }

  deleteQuestion(guildId: string, questionId: number): Promise<boolean> {
    return runTransaction(this.ctx, 'questions.delete', async (trx) => {
      const existing = await this.#questionInGuild(trx, guildId, questionId);
      if (!existing) return false;
      await this.#touchQuiz(trx, guildId, existing.quiz_id);
      const deleted = await trx.deleteFrom('questions').where('id', '=', questionId).executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) return false;
      await trx
        .updateTable('questions')
        .set((eb) => ({ position: eb('position', '-', 1) }))
        .where('quiz_id', '=', existing.quiz_id)
        .where('position', '>', existing.position)
        .execute();
      return true;
    });
  }

  replaceQuestions(guildId: string, quizId: number, questions: QuestionInput[]): Promise<Question[]> {
    return runTransaction(this.ctx, 'questions.replace', async (trx) => {
      await this.#touchQuiz(trx, guildId, quizId);
      return this.#replaceQuestions(trx, guildId, quizId, questions);
    });
  }

  async #replaceQuestions(
    trx: Executor,
    guildId: string,
    quizId: number,
    questions: QuestionInput[],
  ): Promise<Question[]> {
    await trx.deleteFrom('questions').where('quiz_id', '=', quizId).execute();
    // Batches keep each statement under SQLite's bound-parameter limit.
    for (let start = 0; start < questions.length; start += 500) {
      const batch = questions.slice(start, start + 500);
      await trx
        .insertInto('questions')
        .values(batch.map((q, i) => ({ quiz_id: quizId, position: start + i, ...questionColumns(q) })))
        .execute();
    }
    return this.#listQuestions(trx, guildId, quizId);
  }

  importQuiz(
    guildId: string,
    creatorId: string,
    input: QuizInput,
    questions: QuestionInput[],
  ): Promise<ImportResult> {
    return runTransaction(this.ctx, 'quizzes.import', async (trx) => {
      const existing = await this.#findByName(trx, guildId, input.name);
      let quiz: Quiz;
      if (existing) {
        const row = await trx
          .updateTable('quizzes')
          .set({ ...quizColumns(input), updated_at: this.ctx.clock.now() })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        quiz = quizFromRow(row);
      } else {
        quiz = await this.#insert(trx, guildId, creatorId, input);
      }
      const stored = await this.#replaceQuestions(trx, guildId, quiz.id, questions);
      return { quiz, questions: stored, created: !existing };
    });
  }
}
