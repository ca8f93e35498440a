import type { APIApplicationCommand } from 'discord-api-types/v10';
import { ApiError, ErrorCodes } from './ApiError.js';
import type { EmulatorCore } from './EmulatorCore.js';
import { objectBody } from './httpBody.js';
import { type AddRoute, json, type RouteContext } from './routing.js';
import { snowflakeAt } from './snowflake.js';
import { validateCommands } from './validation.js';

/** Application command routes (global and guild): bulk PUT, create, get, delete; stable ids per name. */
export class CommandRoutes {
  private readonly commandIds = new Map<string, string>();

  constructor(
    private readonly core: EmulatorCore,
    /** Called for every accepted bulk PUT (DiscordEmulator counts them). */
    private readonly onRegistered: () => void,
  ) {}

  register(add: AddRoute): void {
    const app = (ctx: RouteContext): void => {
      if (ctx.params.app !== this.core.applicationId)
        throw new ApiError(404, ErrorCodes.UnknownApplication, 'Unknown Application');
    };

    // Application commands (global and guild).
    const scope = (ctx: RouteContext): string => {
      app(ctx);
      const guildId = ctx.params.guildId;
      if (guildId === undefined) return 'global';
      if (!this.core.world.guilds.has(guildId))
        throw new ApiError(403, ErrorCodes.MissingAccess, 'Missing Access');
      return guildId;
    };
    for (const prefix of ['/applications/:app/commands', '/applications/:app/guilds/:guildId/commands']) {
      add('GET', prefix, true, (ctx) => {
        const commands = this.core.commands.get(scope(ctx)) ?? [];
        if (/^(true|1)$/i.test(ctx.query.with_localizations ?? '')) return json(200, commands);
        const locale = ctx.call.headers['x-discord-locale'];
        return json(
          200,
          commands.map((c) => localizedView(c, locale)),
        );
      });
      add('PUT', prefix, true, (ctx) => {
        const key = scope(ctx);
        const commands = validateCommands(ctx.body).map((c) => this.toCommand(c, key));
        this.core.commands.set(key, commands);
        this.onRegistered();
        this.core.events.emit('commandsRegistered', { guildId: key === 'global' ? null : key, commands });
        return json(200, commands);
      });
      add('POST', prefix, true, (ctx) => {
        const key = scope(ctx);
        const [validated] = validateOne(objectBody(ctx.body));
        const command = this.toCommand(validated ?? {}, key);
        const list = (this.core.commands.get(key) ?? []).filter(
          (c) => !(c.name === command.name && c.type === command.type),
        );
        list.push(command);
        this.core.commands.set(key, list);
        return json(201, command);
      });
      add('GET', `${prefix}/:commandId`, true, (ctx) => {
        const command = this.core.commands.get(scope(ctx))?.find((c) => c.id === ctx.params.commandId);
        if (!command) throw new ApiError(404, 10063, 'Unknown application command');
        return json(200, command);
      });
      add('DELETE', `${prefix}/:commandId`, true, (ctx) => {
        const key = scope(ctx);
        const list = this.core.commands.get(key) ?? [];
        if (!list.some((c) => c.id === ctx.params.commandId))
          throw new ApiError(404, 10063, 'Unknown application command');
        this.core.commands.set(
          key,
          list.filter((c) => c.id !== ctx.params.commandId),
        );
        return json(204);
      });
    }
  }

  findCommand(name: string, guildId: string): APIApplicationCommand {
    const command =
      this.core.commands.get(guildId)?.find((c) => c.name === name && c.type === 1) ??
      this.core.commands.get('global')?.find((c) => c.name === name && c.type === 1);
    if (!command) {
      throw new Error(`DiscordEmulator: command '${name}' is not registered (guild ${guildId} or global)`);
    }
    return command;
  }

  private toCommand(input: Record<string, unknown>, scopeKey: string): APIApplicationCommand {
    const type = typeof input.type === 'number' ? input.type : 1;
    const name = String(input.name ?? '');
    const idKey = `${scopeKey}:${type}:${name}`;
    let id = this.commandIds.get(idKey);
    if (!id) {
      id = snowflakeAt();
      this.commandIds.set(idKey, id);
    }
    const perms = input.default_member_permissions;
    return {
      id,
      application_id: this.core.applicationId,
      version: snowflakeAt(),
      type,
      name,
      name_localizations: (input.name_localizations as APIApplicationCommand['name_localizations']) ?? null,
      description: String(input.description ?? ''),
      description_localizations:
        (input.description_localizations as APIApplicationCommand['description_localizations']) ?? null,
      options: Array.isArray(input.options) ? (input.options as APIApplicationCommand['options']) : [],
      default_member_permissions: perms === undefined || perms === null ? null : String(perms),
      dm_permission: input.dm_permission === undefined ? true : input.dm_permission === true,
      contexts: (input.contexts as APIApplicationCommand['contexts']) ?? null,
      integration_types: (input.integration_types as APIApplicationCommand['integration_types']) ?? [0],
      nsfw: input.nsfw === true,
      ...(scopeKey === 'global' ? {} : { guild_id: scopeKey }),
    } as APIApplicationCommand; // `type` is a plain number here; discord-api-types narrows it to the enum
  }
}

/** A single command (POST) is validated as a list of one; Discord's error paths then start at its fields. */
function validateOne(command: Record<string, unknown>): Array<Record<string, unknown>> {
  try {
    return validateCommands([command]);
  } catch (err) {
    const inner = err instanceof ApiError ? err.errors?.['0'] : undefined;
    if (!(err instanceof ApiError) || !inner || typeof inner !== 'object') throw err;
    throw new ApiError(err.status, err.code, err.message, inner as Record<string, unknown>);
  }
}

const LOCALIZATION_FIELDS = [
  ['name_localizations', 'name_localized'],
  ['description_localizations', 'description_localized'],
] as const;

/**
 * What Discord's command list answers without `with_localizations=true`: no localization maps
 * (on the command, its options and their choices); instead `name_localized` /
 * `description_localized` for the requester's locale (the X-Discord-Locale header) where one exists.
 */
function localizedView<T extends object>(node: T, locale: string | undefined): T {
  const out: Record<string, unknown> = { ...(node as Record<string, unknown>) };
  for (const [mapField, localizedField] of LOCALIZATION_FIELDS) {
    const map = out[mapField] as Record<string, string | null> | null | undefined;
    delete out[mapField];
    const value = locale ? map?.[locale] : undefined;
    if (typeof value === 'string') out[localizedField] = value;
  }
  for (const field of ['options', 'choices']) {
    const children = out[field];
    if (Array.isArray(children)) out[field] = children.map((child: object) => localizedView(child, locale));
  }
  return out as T;
}
