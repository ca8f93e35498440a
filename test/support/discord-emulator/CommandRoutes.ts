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
      add('GET', prefix, true, (ctx) => json(200, this.core.commands.get(scope(ctx)) ?? []));
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
        const [validated] = validateCommands([objectBody(ctx.body)]);
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
