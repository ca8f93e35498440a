import { isManager } from './permissions.js';
import {
  type BotStats,
  DatabaseUnavailableError,
  type GuildSettingsRepository,
  type GuildStats,
  type ScoreDistribution,
  type StatsRepository,
} from './ports.js';
import type { Actor } from './QuizService.js';
import { err, ok, type Result } from './result.js';

export interface StatsServiceDeps {
  stats: StatsRepository;
  guildSettings: Pick<GuildSettingsRepository, 'get'>;
  /** BOT_OWNER_IDS: the only ones who see bot-wide numbers (and any server's). */
  botOwnerIds: readonly string[];
}

export type StatsError =
  | { kind: 'missingPermission'; permission: 'botOwner' | 'quizManager' }
  | { kind: 'databaseUnavailable' };

/** `/stats`'s reads and who may see them: a server's numbers for its managers, every server's for the bot owners. */
export class StatsService {
  readonly #deps: StatsServiceDeps;

  constructor(deps: StatsServiceDeps) {
    this.#deps = deps;
  }

  /** Whether `actor` may see bot-wide numbers; checked before any query (and before deferring). */
  checkBotScope(actor: Actor): StatsError | null {
    return this.#isBotOwner(actor) ? null : { kind: 'missingPermission', permission: 'botOwner' };
  }

  /** Every server's numbers from the shared database (the same on every shard process). */
  async botStats(actor: Actor): Promise<Result<BotStats, StatsError>> {
    const refused = this.checkBotScope(actor);
    if (refused) return err(refused);
    return this.#read(async () => ok(await this.#deps.stats.botStats()));
  }

  /** The actor's server's numbers, for its managers (and the bot owners). */
  async guildStats(actor: Actor): Promise<Result<GuildStats, StatsError>> {
    return this.#read(async () => {
      const settings = await this.#deps.guildSettings.get(actor.guildId);
      const allowed =
        this.#isBotOwner(actor) ||
        isManager({
          memberPermissions: actor.permissions,
          memberRoleIds: actor.roleIds,
          settings,
          isOwner: actor.isOwner,
        });
      if (!allowed) return err({ kind: 'missingPermission', permission: 'quizManager' });
      return ok(await this.#deps.stats.guildStats(actor.guildId));
    });
  }

  /**
   * The score distribution of one quiz of the actor's server. Only for a reply whose guildStats the
   * actor was allowed to see (the numbers are that server's, a part of what guildStats shows).
   */
  async quizScores(actor: Actor, quizId: number): Promise<Result<ScoreDistribution, StatsError>> {
    return this.#read(async () =>
      ok(await this.#deps.stats.scoreDistribution({ guildId: actor.guildId, quizId })),
    );
  }

  #isBotOwner(actor: Actor): boolean {
    return this.#deps.botOwnerIds.includes(actor.userId);
  }

  /** Runs a read; an unreachable database is an expected outcome, anything else a bug. */
  async #read<T>(work: () => Promise<Result<T, StatsError>>): Promise<Result<T, StatsError>> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) return err({ kind: 'databaseUnavailable' });
      throw error;
    }
  }
}
