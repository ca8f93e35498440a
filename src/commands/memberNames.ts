import type { Guild } from 'discord.js';
import type { MemberNames } from '../scores/exportWriter.js';

/** REST look-ups one export may make for members not in the cache (the rest stay unnamed). */
export const MEMBER_LOOKUP_BUDGET = 1000;
const CONCURRENCY = 4;

/**
 * Display names at export time: the guild's member cache first, then one REST call per member
 * not cached (`GET /guilds/{id}/members/{user}`, no privileged intent needed), each id at most
 * once per export. A member who left has no name. Names go into the file only, never a log.
 */
export function guildMemberNames(guild: Guild | null, budget = MEMBER_LOOKUP_BUDGET): MemberNames {
  const fetched = new Map<string, string | null>();
  let lookups = 0;
  return async (userIds) => {
    const names = new Map<string, string | null>();
    if (!guild) return names;
    const pending: string[] = [];
    for (const id of userIds) {
      const cached = guild.members.cache.get(id);
      if (cached) names.set(id, cached.displayName);
      else if (fetched.has(id)) names.set(id, fetched.get(id) ?? null);
      else if (lookups < budget) {
        lookups++;
        pending.push(id);
      }
    }
    const worker = async () => {
      for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
        const name = await guild.members.fetch({ user: id, cache: false }).then(
          (member) => member.displayName,
          // Unknown Member (they left) or any other failure: the row is still exported, unnamed.
          () => null,
        );
        fetched.set(id, name);
        names.set(id, name);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return names;
  };
}
