/**
 * `/scores` (managers: export, reset) and `/mydata` (every member: their own data). Permissions
 * are checked here, each time an action runs (roles may change between a question and its
 * confirmation). Exports go to a private temporary file, never into memory whole.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { findQuizByRef } from '../quiz/findQuizByRef.js';
import { isManager } from '../quiz/permissions.js';
import {
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  LEADERBOARD_PERIOD_MS,
  type QuizRepository,
} from '../quiz/ports.js';
import { err, ok, type Result } from '../quiz/result.js';
import type { LeaderboardPeriod } from '../quiz/types.js';
import { type ExportFormat, ExportTooLargeError, type MemberNames, writeExport } from './exportWriter.js';
import type { MemberErasure, ResetScope, ScoreCounts, ScoresRepository } from './ports.js';

/** The member behind a command, as far as permissions go (same shape as the quiz service's). */
export interface ScoresActor {
  guildId: string;
  userId: string;
  permissions: bigint | string | null;
  roleIds: readonly string[];
  isOwner: boolean;
}

export type ScoresError =
  | { kind: 'missingPermission' }
  | { kind: 'quizNotFound'; ref: string }
  | { kind: 'databaseUnavailable' }
  /** `/mydata delete` while the member plays (or hosts) a live game that has not ended. */
  | { kind: 'inLiveGame' }
  /** The file would be larger than Discord accepts; `period` is what was asked for. */
  | { kind: 'tooLarge'; maxBytes: number; rowsWritten: number; period: LeaderboardPeriod };

/** What a reset will delete, for the confirmation. */
export interface ResetPreview {
  scope: ResetScope;
  /** The quiz's name when the scope is one quiz. */
  quizName: string | null;
  counts: ScoreCounts;
}

/** A finished export file. Call `dispose()` once it is sent (or not). */
export interface ExportFile {
  path: string;
  fileName: string;
  format: ExportFormat;
  rows: number;
  bytes: number;
  dispose(): Promise<void>;
}

export interface ExportRequest {
  quizRef?: string | null;
  period: LeaderboardPeriod;
  format: ExportFormat;
  /** Discord's upload limit for this interaction. */
  maxBytes: number;
  names?: MemberNames;
}

export interface ScoresServiceDeps {
  scores: ScoresRepository;
  quizzes: Pick<QuizRepository, 'getById' | 'findByName'>;
  guildSettings: Pick<GuildSettingsRepository, 'get'>;
  clock: Clock;
  /** Where export files are written before upload. Default: the OS temp dir. */
  tmpDir?: string;
}

type Outcome<T> = Promise<Result<T, ScoresError>>;

async function guarded<T>(work: () => Outcome<T>): Outcome<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return err({ kind: 'databaseUnavailable' });
    throw error;
  }
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class ScoresService {
  readonly #deps: ScoresServiceDeps;

  constructor(deps: ScoresServiceDeps) {
    this.#deps = deps;
  }

  async #isManager(actor: ScoresActor): Promise<boolean> {
    const settings = await this.#deps.guildSettings.get(actor.guildId);
    return isManager({
      memberPermissions: actor.permissions,
      memberRoleIds: actor.roleIds,
      settings,
      isOwner: actor.isOwner,
    });
  }

  /** Counts what `reset` would delete for a quiz (by id or name), a member, or everything. */
  previewReset(
    actor: ScoresActor,
    target: { kind: 'all' } | { kind: 'quiz'; ref: string } | { kind: 'member'; userId: string },
  ): Outcome<ResetPreview> {
    return guarded(async () => {
      if (!(await this.#isManager(actor))) return err({ kind: 'missingPermission' });
      let scope: ResetScope;
      let quizName: string | null = null;
      if (target.kind === 'quiz') {
        const quiz = await findQuizByRef(this.#deps.quizzes, actor.guildId, target.ref);
        if (!quiz) return err({ kind: 'quizNotFound', ref: target.ref });
        scope = { kind: 'quiz', quizId: quiz.id };
        quizName = quiz.name;
      } else {
        scope = target;
      }
      const counts = await this.#deps.scores.count(actor.guildId, scope);
      return ok({ scope, quizName, counts });
    });
  }

  /** Deletes the scope's attempts and leaderboard entries (one transaction), permission re-checked. */
  reset(actor: ScoresActor, scope: ResetScope): Outcome<ScoreCounts> {
    return guarded(async () => {
      if (!(await this.#isManager(actor))) return err({ kind: 'missingPermission' });
      return ok(await this.#deps.scores.reset(actor.guildId, scope));
    });
  }

  /** Every attempt of the guild (or one quiz, one period) as a file, for a manager. */
  exportScores(actor: ScoresActor, request: ExportRequest): Outcome<ExportFile> {
    return guarded(async () => {
      if (!(await this.#isManager(actor))) return err({ kind: 'missingPermission' });
      let quizId: number | undefined;
      if (request.quizRef) {
        const quiz = await findQuizByRef(this.#deps.quizzes, actor.guildId, request.quizRef);
        if (!quiz) return err({ kind: 'quizNotFound', ref: request.quizRef });
        quizId = quiz.id;
      }
      const now = this.#deps.clock.now();
      const windowMs = LEADERBOARD_PERIOD_MS[request.period];
      return this.#write({
        guildId: actor.guildId,
        filter: {
          ...(quizId !== undefined ? { quizId } : {}),
          ...(windowMs !== null ? { since: now - windowMs } : {}),
        },
        fileName: `badgey-scores-${stamp(now)}.${request.format}`,
        format: request.format,
        maxBytes: request.maxBytes,
        period: request.period,
        ...(request.names ? { names: request.names } : {}),
      });
    });
  }

  /** The member's own attempts in this guild, as JSON. */
  exportOwn(guildId: string, userId: string, maxBytes: number, names?: MemberNames): Outcome<ExportFile> {
    return guarded(() =>
      this.#write({
        guildId,
        filter: { userId },
        fileName: `badgey-my-data-${stamp(this.#deps.clock.now())}.json`,
        format: 'json',
        maxBytes,
        period: 'all',
        ...(names ? { names } : {}),
      }),
    );
  }

  /** What `/mydata delete` would delete (attempts in progress included). */
  countOwn(guildId: string, userId: string): Outcome<ScoreCounts> {
    return guarded(async () => {
      const counts = await this.#deps.scores.count(guildId, { kind: 'member', userId });
      return ok(counts);
    });
  }

  /** Erases everything holding the member's id in this guild, in one transaction. */
  eraseOwn(guildId: string, userId: string): Outcome<MemberErasure> {
    return guarded(async () => {
      const erased = await this.#deps.scores.eraseMember(guildId, userId);
      return erased.ok ? ok(erased.value) : err({ kind: 'inLiveGame' });
    });
  }

  async #write(job: {
    guildId: string;
    filter: { quizId?: number; userId?: string; since?: number };
    fileName: string;
    format: ExportFormat;
    maxBytes: number;
    period: LeaderboardPeriod;
    names?: MemberNames;
  }): Outcome<ExportFile> {
    const path = join(this.#deps.tmpDir ?? tmpdir(), `badgey-export-${randomUUID()}.${job.format}`);
    const dispose = () => rm(path, { force: true });
    try {
      const written = await writeExport(this.#deps.scores.exportAttempts(job.guildId, job.filter), {
        format: job.format,
        path,
        maxBytes: job.maxBytes,
        ...(job.names ? { names: job.names } : {}),
      });
      return ok({ path, fileName: job.fileName, format: job.format, ...written, dispose });
    } catch (error) {
      await dispose();
      if (error instanceof ExportTooLargeError)
        return err({
          kind: 'tooLarge',
          maxBytes: error.maxBytes,
          rowsWritten: error.rowsWritten,
          period: job.period,
        });
      throw error;
    }
  }
}
