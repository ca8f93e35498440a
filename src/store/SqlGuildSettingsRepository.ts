import type { Selectable } from 'kysely';
import {
  defaultGuildSettings,
  type GuildSettingsChanges,
  type GuildSettingsRepository,
} from '../quiz/ports.js';
import { type GuildSettings, RETAKE_POLICIES, type RetakePolicy } from '../quiz/types.js';
import type { GuildSettingsTable } from './schema.js';
import { type Executor, runOperation, runTransaction, type StoreContext } from './storeContext.js';

function settingsFromRow(row: Selectable<GuildSettingsTable>): GuildSettings {
  const roles: unknown = JSON.parse(row.manager_role_ids);
  return {
    guildId: row.guild_id,
    resultsChannelId: row.results_channel_id,
    managerRoleIds: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
    retakePolicy: (RETAKE_POLICIES as readonly string[]).includes(row.retake_policy)
      ? (row.retake_policy as RetakePolicy)
      : 'once',
    language: row.language,
  };
}

export class SqlGuildSettingsRepository implements GuildSettingsRepository {
  constructor(readonly ctx: StoreContext) {}

  get(guildId: string): Promise<GuildSettings> {
    return runOperation(this.ctx, 'guild_settings.get', () => this.#get(this.ctx.db, guildId));
  }

  async #get(db: Executor, guildId: string): Promise<GuildSettings> {
    const row = await db
      .selectFrom('guild_settings')
      .selectAll()
      .where('guild_id', '=', guildId)
      .executeTakeFirst();
    return row ? settingsFromRow(row) : defaultGuildSettings(guildId);
  }

  update(guildId: string, changes: GuildSettingsChanges): Promise<GuildSettings> {
    return runTransaction(this.ctx, 'guild_settings.update', async (trx) => {
      const current = await this.#get(trx, guildId);
      const next: GuildSettings = {
        guildId,
        resultsChannelId:
          changes.resultsChannelId !== undefined ? changes.resultsChannelId : current.resultsChannelId,
        managerRoleIds: [...new Set(changes.managerRoleIds ?? current.managerRoleIds)],
        retakePolicy: changes.retakePolicy ?? current.retakePolicy,
        language: changes.language !== undefined ? changes.language : current.language,
      };
      const values = {
        results_channel_id: next.resultsChannelId,
        manager_role_ids: JSON.stringify(next.managerRoleIds),
        retake_policy: next.retakePolicy,
        language: next.language,
        updated_at: this.ctx.clock.now(),
      };
      await trx
        .insertInto('guild_settings')
        .values({ guild_id: guildId, ...values })
        .onConflict((oc) => oc.column('guild_id').doUpdateSet(values))
        .execute();
      return next;
    });
  }
}
