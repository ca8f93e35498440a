import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { ParsedCustomId } from '../components/customId.js';
import type { Logger } from '../log.js';

/** When Discord received the interaction, and until when its token may edit the reply (set by discord/). */
export interface InteractionTimes {
  issuedAtMs: number;
  expiresAtMs: number;
}

/** What the router hands every handler besides the interaction. */
export interface CommandContext {
  /** A child logger carrying `{ command }`; add `{ guildId }` etc. as needed. */
  logger: Logger;
  times: InteractionTimes;
}

/**
 * What a handler reports back. `undefined` = handled normally; `'rejected'` = an expected user
 * error was answered (return the value of `replyError(...)`), counted as outcome `rejected`.
 */
export type CommandResult = undefined | 'rejected';

/** Handles buttons and select menus whose custom id names this handler (see `encodeCustomId`). */
export type ComponentHandler = (
  interaction: MessageComponentInteraction,
  customId: ParsedCustomId,
  ctx: CommandContext,
) => Promise<CommandResult>;

/** Handles modal submits whose custom id names this handler. */
export type ModalHandler = (
  interaction: ModalSubmitInteraction,
  customId: ParsedCustomId,
  ctx: CommandContext,
) => Promise<CommandResult>;

/**
 * One slash command (or command group). Built by a factory `createXCommand(deps)` and listed in
 * `commands/index.ts`. Handlers never catch everything: the router's error boundary does.
 */
export interface Command {
  /** `new SlashCommandBuilder()…toJSON()`: registered with Discord as is. */
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandResult>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /** Component handlers by custom-id handler name (globally unique across commands). */
  components?: Record<string, ComponentHandler>;
  /** Modal handlers by custom-id handler name (globally unique across commands). */
  modals?: Record<string, ModalHandler>;
}
