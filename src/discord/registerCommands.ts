import {
  DiscordAPIError,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import type { Logger } from '../log.js';
import { retry } from '../retry.js';

export interface RegisterCommandsOptions {
  rest: REST;
  applicationId: string;
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  /** DISCORD_GUILD_IDS: register in these guilds (instant); empty = globally. */
  guildIds: readonly string[];
  logger: Logger;
  /** Attempts per scope for failures that escape discord.js's own 5xx/429 retries. Default 4. */
  attempts?: number;
  /** First backoff between attempts, doubled each time (plus jitter). Default 1000 ms. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type RegistrationOutcome = 'registered' | 'unchanged' | 'failed';

export interface ScopeRegistration {
  /** A guild id, or `global`. */
  scope: string;
  outcome: RegistrationOutcome;
}

/**
 * Registers the slash commands in bulk (one PUT per scope), but only when the definitions differ
 * from what Discord already has (a GET first): a restart does not rewrite commands, which would
 * count against Discord's daily command-create limit. Never throws: failures are logged and
 * reported as `failed` (the bot keeps serving with the commands Discord has).
 */
export async function registerCommands(options: RegisterCommandsOptions): Promise<ScopeRegistration[]> {
  const scopes = options.guildIds.length > 0 ? [...options.guildIds] : [undefined];
  const results: ScopeRegistration[] = [];
  for (const guildId of scopes) {
    const scope = guildId ?? 'global';
    const route = guildId
      ? Routes.applicationGuildCommands(options.applicationId, guildId)
      : Routes.applicationCommands(options.applicationId);
    try {
      const outcome = await withRetry(options, async () => {
        // Without with_localizations Discord leaves the localization maps out of the list, and
        // localized definitions would never compare equal (a PUT on every start).
        const current = (await options.rest.get(route, {
          query: new URLSearchParams({ with_localizations: 'true' }),
        })) as unknown[];
        if (commandsEqual(options.definitions, current)) return 'unchanged' as const;
        await options.rest.put(route, { body: options.definitions });
        return 'registered' as const;
      });
      options.logger.info(
        { scope, outcome, commands: options.definitions.map((d) => d.name) },
        outcome === 'registered' ? 'slash commands registered' : 'slash commands unchanged',
      );
      results.push({ scope, outcome });
    } catch (err) {
      options.logger.error({ err, scope }, 'slash command registration failed');
      results.push({ scope, outcome: 'failed' });
    }
  }
  return results;
}

async function withRetry<T>(options: RegisterCommandsOptions, work: () => Promise<T>): Promise<T> {
  return retry(work, {
    attempts: options.attempts ?? 4,
    initialDelayMs: options.backoffMs ?? 1000,
    jitter: 0.2,
    // A 4xx (other than 429) means our definitions are wrong: retrying cannot help.
    retryIf: (err) => !(err instanceof DiscordAPIError && err.status < 500 && err.status !== 429),
    onRetry: (err, attempt, retryInMs) =>
      options.logger.warn({ err, attempt, retryInMs }, 'slash command registration failed; retrying'),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
}

/**
 * True when Discord's current commands match ours. Discord answers with extra fields (ids,
 * version, defaults such as `dm_permission`) and omits empty/false ones, so each side is
 * normalised (null/false/empty dropped) and ours must be contained in theirs;
 * `default_member_permissions` and the localization maps (of the command, its options and their
 * choices) are compared both ways because dropping them matters. A map that is null, absent or
 * `{}` (or holds only null values) means "no localizations".
 */
export function commandsEqual(
  local: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
  remote: readonly unknown[],
): boolean {
  if (local.length !== remote.length) return false;
  const remoteByName = new Map<string, unknown>();
  for (const command of remote) {
    if (command && typeof command === 'object' && 'name' in command)
      remoteByName.set(String(command.name), command);
  }
  return local.every((definition) => {
    const other = remoteByName.get(definition.name) as Record<string, unknown> | undefined;
    if (!other) return false;
    if ((definition.default_member_permissions ?? null) !== (other.default_member_permissions ?? null))
      return false;
    if (JSON.stringify(localizations(definition)) !== JSON.stringify(localizations(other))) return false;
    return contains(normalise(other), normalise(definition));
  });
}

const LOCALIZATION_MAPS = ['name_localizations', 'description_localizations'];

/**
 * Every non-empty localization map in a command, keyed by where it sits (`options.0.choices.1.
 * name_localizations`), locales sorted, null values dropped: equal results mean equal localizations.
 */
function localizations(
  node: unknown,
  at = '',
  out: Record<string, Record<string, string>> = {},
): Record<string, Record<string, string>> {
  if (!node || typeof node !== 'object') return out;
  const fields = node as Record<string, unknown>;
  for (const field of LOCALIZATION_MAPS) {
    const map = fields[field];
    if (!map || typeof map !== 'object') continue;
    const entries = Object.entries(map)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length > 0) out[`${at}${field}`] = Object.fromEntries(entries);
  }
  for (const field of ['options', 'choices']) {
    const children = fields[field];
    if (!Array.isArray(children)) continue;
    children.forEach((child, i) => {
      localizations(child, `${at}${field}.${i}.`, out);
    });
  }
  return out;
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === null || inner === undefined || inner === false) continue;
      if (LOCALIZATION_MAPS.includes(key)) continue; // compared both ways by `localizations`
      if (Array.isArray(inner) && inner.length === 0) continue;
      out[key] = normalise(inner);
    }
    return out;
  }
  return value;
}

/** Every field of `part` equals the same field of `whole` (arrays: same length, element-wise). */
function contains(whole: unknown, part: unknown): boolean {
  if (Array.isArray(part)) {
    return (
      Array.isArray(whole) && whole.length === part.length && part.every((p, i) => contains(whole[i], p))
    );
  }
  if (part && typeof part === 'object') {
    if (!whole || typeof whole !== 'object' || Array.isArray(whole)) return false;
    const w = whole as Record<string, unknown>;
    return Object.entries(part).every(([key, value]) => key in w && contains(w[key], value));
  }
  return whole === part;
}
