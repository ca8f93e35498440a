import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  type Interaction,
  Locale,
  type MessageComponentInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type {
  Command,
  CommandContext,
  CommandResult,
  ComponentHandler,
  ModalHandler,
} from '../commands/Command.js';
import { type RepliableInteraction, replyError, replyInternalError } from '../commands/replies.js';
import { parseCustomId } from '../components/customId.js';
import { resolveLocale } from '../i18n/index.js';
import type { Logger } from '../log.js';
import { METRICS } from '../metrics.js';
import { interactionTimes } from './interactionTimes.js';

/** The slice of QuizAnalytics the router records into. */
export interface InteractionAnalytics {
  recordCommand(name: string, responseTimeSeconds: number, outcome?: InteractionOutcome): void;
  recordError(type: string, details: unknown): void;
}

export type InteractionOutcome = 'ok' | 'rejected' | 'error';

const DISCORD_LOCALES: ReadonlySet<string> = new Set(Object.values(Locale));

/**
 * The labels of `badgey_interactions_by_locale_total`: Discord's locale (a closed list, so the
 * series stay bounded; anything else is `other`) and the catalogue language it was answered in.
 */
export function localeLabels(locale: string | null | undefined): { locale: string; language: string } {
  return {
    locale: locale && DISCORD_LOCALES.has(locale) ? locale : 'other',
    language: resolveLocale(locale),
  };
}
export type InteractionKind = 'chat_input' | 'autocomplete' | 'button' | 'select' | 'modal';

export interface InteractionRouterOptions {
  commands: readonly Command[];
  logger: Logger;
  analytics: InteractionAnalytics;
  metricsRegistry: Registry;
  clock: Clock;
}

/**
 * Routes every interaction to its handler — slash commands by name, autocomplete to the command,
 * buttons/selects/modals by the handler named in their custom id — and is the error boundary:
 * a throw becomes a friendly ephemeral reply, one error log line and an analytics error record,
 * never an unhandled rejection inside discord.js.
 */
export class InteractionRouter {
  readonly #commands = new Map<string, Command>();
  readonly #components = new Map<string, ComponentHandler>();
  readonly #modals = new Map<string, ModalHandler>();
  readonly #logger: Logger;
  readonly #analytics: InteractionAnalytics;
  readonly #clock: Clock;
  readonly #interactions: Counter<'type' | 'outcome'>;
  readonly #byLocale: Counter<'locale' | 'language'>;
  #inFlight = 0;

  constructor(options: InteractionRouterOptions) {
    this.#logger = options.logger;
    this.#analytics = options.analytics;
    this.#clock = options.clock;
    for (const command of options.commands) {
      const name = command.definition.name;
      if (this.#commands.has(name)) throw new Error(`two commands are named "${name}"`);
      this.#commands.set(name, command);
      for (const [handler, fn] of Object.entries(command.components ?? {})) {
        if (this.#components.has(handler)) throw new Error(`two component handlers are named "${handler}"`);
        this.#components.set(handler, fn);
      }
      for (const [handler, fn] of Object.entries(command.modals ?? {})) {
        if (this.#modals.has(handler)) throw new Error(`two modal handlers are named "${handler}"`);
        this.#modals.set(handler, fn);
      }
    }
    this.#interactions = new Counter({
      ...METRICS.interactionsTotal,
      registers: [options.metricsRegistry],
    });
    this.#byLocale = new Counter({
      ...METRICS.interactionsByLocale,
      registers: [options.metricsRegistry],
    });
  }

  /** Handlers still running (shutdown can wait for them to finish). */
  get inFlight(): number {
    return this.#inFlight;
  }

  attach(client: Client): void {
    client.on(Events.InteractionCreate, (interaction) => {
      void this.handle(interaction);
    });
  }

  /** Handles one interaction. Never rejects. */
  async handle(interaction: Interaction): Promise<void> {
    this.#inFlight++;
    try {
      this.#byLocale.inc(localeLabels(interaction.locale));
      if (interaction.isChatInputCommand()) await this.#chatInput(interaction);
      else if (interaction.isAutocomplete()) await this.#autocomplete(interaction);
      else if (interaction.isMessageComponent()) await this.#component(interaction);
      else if (interaction.isModalSubmit()) await this.#modal(interaction);
    } catch (err) {
      // Only reached if the boundary itself failed (e.g. logging threw): never let it escape.
      this.#logger.error({ err }, 'interaction router failed');
    } finally {
      this.#inFlight--;
    }
  }

  async #chatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = this.#commands.get(interaction.commandName);
    const name = command ? commandMetricName(interaction) : 'unknown';
    await this.#run('chat_input', name, interaction, async (ctx) => {
      if (!command) return replyError(interaction, { kind: 'unknownCommand', name: interaction.commandName });
      return command.execute(interaction, ctx);
    });
  }

  async #component(interaction: MessageComponentInteraction): Promise<void> {
    const kind: InteractionKind = interaction.isButton() ? 'button' : 'select';
    const parsed = parseCustomId(interaction.customId);
    const handler = parsed.ok ? this.#components.get(parsed.value.handler) : undefined;
    const name = `${kind}:${parsed.ok && handler ? parsed.value.handler : 'unknown'}`;
    await this.#run(kind, name, interaction, async (ctx) => {
      if (!parsed.ok || !handler) return replyError(interaction, { kind: 'staleComponent' });
      // A custom id is only data the client sends: one naming a handler that has no component on
      // a message carrying other handlers' components was forged (e.g. a delete confirmation sent
      // from a quiz-session message). Refuse it in a new ephemeral reply, so the handler can never
      // `update` that message with its refusal or its own content. A message with no components
      // left is a stale click (its buttons were removed meanwhile): the handler answers it.
      if (isForeignComponent(interaction, parsed.value.handler)) {
        return replyError(interaction, { kind: 'foreignComponent' });
      }
      return handler(interaction, parsed.value, ctx);
    });
  }

  async #modal(interaction: ModalSubmitInteraction): Promise<void> {
    const parsed = parseCustomId(interaction.customId);
    const handler = parsed.ok ? this.#modals.get(parsed.value.handler) : undefined;
    const name = `modal:${parsed.ok && handler ? parsed.value.handler : 'unknown'}`;
    await this.#run('modal', name, interaction, async (ctx) => {
      if (!parsed.ok || !handler) return replyError(interaction, { kind: 'staleComponent' });
      return handler(interaction, parsed.value, ctx);
    });
  }

  async #autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = this.#commands.get(interaction.commandName);
    const ctx = this.#context(interaction.commandName, interaction.id);
    try {
      await command?.autocomplete?.(interaction, ctx);
      if (!interaction.responded) await interaction.respond([]);
      this.#interactions.inc({ type: 'autocomplete', outcome: 'ok' });
    } catch (err) {
      // Autocomplete failures are not worth an error reply (there is none): log and answer empty.
      this.#interactions.inc({ type: 'autocomplete', outcome: 'error' });
      ctx.logger.warn(
        { err, command: interaction.commandName, guildId: interaction.guildId },
        'autocomplete failed',
      );
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    }
  }

  async #run(
    kind: InteractionKind,
    name: string,
    interaction: RepliableInteraction,
    work: (ctx: CommandContext) => Promise<CommandResult>,
  ): Promise<void> {
    const startedAt = this.#clock.now();
    const ctx = this.#context(name, interaction.id);
    let outcome: InteractionOutcome;
    try {
      outcome = (await work(ctx)) === 'rejected' ? 'rejected' : 'ok';
      if (outcome === 'rejected') ctx.logger.debug({ guildId: interaction.guildId }, 'command rejected');
    } catch (err) {
      outcome = 'error';
      ctx.logger.error({ err, command: name, guildId: interaction.guildId }, 'command failed');
      this.#analytics.recordError('command_failed', { command: name, error: err });
      await this.#replyInternalError(interaction, ctx.logger);
    }
    this.#interactions.inc({ type: kind, outcome });
    this.#analytics.recordCommand(name, (this.#clock.now() - startedAt) / 1000, outcome);
  }

  async #replyInternalError(interaction: RepliableInteraction, logger: Logger): Promise<void> {
    try {
      await replyInternalError(interaction);
    } catch (err) {
      // The interaction may be expired or already answered; the failure is logged above already.
      logger.warn({ err }, 'could not send the error reply');
    }
  }

  #context(command: string, interactionId: string): CommandContext {
    return {
      logger: this.#logger.child({ command }),
      times: interactionTimes(interactionId, this.#clock.now()),
    };
  }
}

/** `quiz take` for `/quiz take`: names come from our own definitions, so the set is closed. */
function commandMetricName(interaction: ChatInputCommandInteraction): string {
  const group = interaction.options.getSubcommandGroup(false);
  const sub = interaction.options.getSubcommand(false);
  return [interaction.commandName, group, sub].filter((part): part is string => Boolean(part)).join(' ');
}

/** Every custom id among a message's components, at any depth (action rows, containers, sections). */
function customIdsOf(components: readonly unknown[], into: string[] = []): string[] {
  for (const component of components) {
    if (component === null || typeof component !== 'object') continue;
    const {
      customId,
      components: children,
      accessory,
    } = component as {
      customId?: unknown;
      components?: unknown;
      accessory?: unknown;
    };
    if (typeof customId === 'string') into.push(customId);
    if (Array.isArray(children)) customIdsOf(children, into);
    if (accessory) customIdsOf([accessory], into);
  }
  return into;
}

/** The clicked message has components, and none of `handler` (a stale click on its own button still counts). */
function isForeignComponent(interaction: MessageComponentInteraction, handler: string): boolean {
  const customIds = customIdsOf(interaction.message.components);
  return (
    customIds.length > 0 &&
    !customIds.some((customId) => {
      const parsed = parseCustomId(customId);
      return parsed.ok && parsed.value.handler === handler;
    })
  );
}
