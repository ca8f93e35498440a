import { type Client, DiscordjsError, DiscordjsErrorCodes, Events } from 'discord.js';
import type { Command } from '../commands/Command.js';
import type { Config } from '../config/Config.js';
import type { Logger } from '../log.js';
import { retry } from '../retry.js';
import type { ConnectionTracker } from './ConnectionTracker.js';
import { createDiscordClient } from './createDiscordClient.js';
import { tokenRejectedClose } from './gatewayCloseCodes.js';
import type { InteractionRouter } from './InteractionRouter.js';
import { registerCommands } from './registerCommands.js';

export interface DiscordBotOptions {
  config: Pick<Config, 'discordToken' | 'discordApiUrl' | 'discordGuildIds' | 'shardIds' | 'shardCount'>;
  logger: Logger;
  tracker: ConnectionTracker;
  router: InteractionRouter;
  commands: readonly Command[];
  /** Login retry backoff: first delay, doubled per failure up to `loginBackoffMaxMs` (±20 % jitter). Default 1000. */
  loginBackoffInitialMs?: number;
  /** Default 30 000. */
  loginBackoffMaxMs?: number;
  /** How long `stop()` waits for running interaction handlers before closing the gateway. Default 2000. */
  drainTimeoutMs?: number;
}

/**
 * The Discord side of the process: logs in (retrying while Discord is unreachable or failing),
 * wires the connection tracker and interaction router to the client, registers the commands once
 * the gateway is ready, and closes the gateway cleanly (close code 1000) on shutdown.
 */
export class DiscordBot {
  readonly #options: DiscordBotOptions;
  readonly #logger: Logger;
  #client: Client | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(options: DiscordBotOptions) {
    this.#options = options;
    this.#logger = options.logger;
  }

  /** The current client (undefined before `start`). */
  get client(): Client | undefined {
    return this.#client;
  }

  /**
   * Logs in. Resolves once logged in, after a fatal refusal (reported through the tracker, whose
   * `onFatal` ends the process) or when `stop()` is called. Transient failures (Discord down,
   * 5xx, connection refused) are retried with capped, jittered backoff and never reject.
   */
  async start(): Promise<void> {
    const { config, tracker } = this.#options;
    if (!config.discordToken) {
      tracker.reportFatal(
        {
          code: 0,
          name: 'TokenMissing',
          fix: 'DISCORD_TOKEN is not set: put the bot token in the environment or .env',
        },
        { source: 'login' },
      );
      return;
    }
    const tokenRejected = (err: unknown) =>
      err instanceof DiscordjsError && err.code === DiscordjsErrorCodes.TokenInvalid;
    if (this.#stopped) return;
    try {
      await retry(
        async (attempt) => {
          // A client whose login failed has been destroyed by discord.js; each attempt gets a fresh one.
          const client = this.#createClient();
          tracker.onLoginStarted();
          try {
            await client.login(config.discordToken);
          } catch (err) {
            client.removeAllListeners();
            throw err;
          }
          this.#logger.info({ attempt }, 'logged in to Discord');
        },
        {
          initialDelayMs: this.#options.loginBackoffInitialMs ?? 1000,
          maxDelayMs: this.#options.loginBackoffMaxMs ?? 30_000,
          jitter: 0.2,
          retryIf: (err) => !this.#stopped && !tokenRejected(err),
          onRetry: (err, attempt, retryInMs) =>
            this.#logger.warn({ err, attempt, retryInMs }, 'Discord login failed; retrying'),
          // stop() wakes the wait; a stopped bot then gives up instead of logging in again.
          sleep: async (ms) => {
            await this.#sleep(ms);
            if (this.#stopped) throw new Error('stopped');
          },
        },
      );
    } catch (err) {
      if (this.#stopped) return;
      if (tokenRejected(err)) {
        tracker.reportFatal(tokenRejectedClose(), { source: 'login' });
        return;
      }
      throw err;
    }
  }

  /** Shutdown step `close-gateway`: lets running handlers finish (bounded), then closes the gateway with 1000. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#options.tracker.stop();
    this.#wake?.();
    const deadline = Date.now() + (this.#options.drainTimeoutMs ?? 2000);
    while (this.#options.router.inFlight > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await this.#client?.destroy();
  }

  #createClient(): Client {
    const client = createDiscordClient(this.#options.config);
    this.#client = client;
    this.#options.tracker.attach(client);
    this.#options.router.attach(client);
    // An EventEmitter 'error' without a listener throws; discord.js emits it for internal failures.
    client.on(Events.Error, (err) => this.#logger.error({ err }, 'discord.js client error'));
    client.on(Events.Warn, (message) => this.#logger.warn({ detail: message }, 'discord.js warning'));
    client.once(Events.ClientReady, (ready) => {
      void registerCommands({
        rest: ready.rest,
        applicationId: ready.application.id,
        definitions: this.#options.commands.map((command) => command.definition),
        guildIds: this.#options.config.discordGuildIds,
        logger: this.#logger,
      });
    });
    return client;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
