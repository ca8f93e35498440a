/**
 * Composition root: config → logger → metrics → analytics (restore + periodic export) → store →
 * Discord → health server → shutdown wiring. The only module that knows every part; it exports
 * nothing. Exit codes: 0 clean shutdown, 1 crash or shutdown watchdog, 2 bad configuration (or a
 * Node.js too old to load better-sqlite3),
 * 78 Discord refused the configuration (token, intents, sharding).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AnalyticsExporter,
  createAnalyticsMetrics,
  loadOrCreateSalt,
  QuizAnalytics,
  registerExportMetrics,
  saveSaltIfMissing,
} from './analytics/index.js';
import { systemClock, systemScheduler } from './clock.js';
import { createCommands } from './commands/index.js';
import { DiscordLiveChannel } from './commands/quiz/DiscordLiveChannel.js';
import {
  createInteractionWebhookRest,
  DiscordSessionPresenter,
  type SessionReply,
} from './commands/quiz/DiscordSessionPresenter.js';
import { createLiveSubcommands } from './commands/quiz/live.js';
import { createTakeSubcommand } from './commands/quiz/take.js';
import type { Config } from './config/Config.js';
import { ConfigError } from './config/ConfigError.js';
import { loadConfig } from './config/loadConfig.js';
import { requireDiscordToken } from './config/requireDiscordToken.js';
import { ConnectionTracker } from './discord/ConnectionTracker.js';
import { DiscordBot } from './discord/DiscordBot.js';
import { FATAL_GATEWAY_EXIT_CODE } from './discord/gatewayCloseCodes.js';
import { InteractionRouter } from './discord/InteractionRouter.js';
import { createLiveMetrics } from './discord/liveMetrics.js';
import { createSessionMetrics } from './discord/sessionMetrics.js';
import { createMetricsRegistry } from './health/createMetricsRegistry.js';
import { createHealthServer } from './health/HealthServer.js';
import { ProcessSampler } from './health/ProcessSampler.js';
import { ReadinessRegistry } from './health/ReadinessRegistry.js';
import { createLogger, type Logger, secretsOf } from './log.js';
import { LeaderboardService } from './quiz/LeaderboardService.js';
import { LiveGameService } from './quiz/live/LiveGameService.js';
import type { StatsRepository } from './quiz/ports.js';
import { QuizService } from './quiz/QuizService.js';
import { StatsService } from './quiz/StatsService.js';
import { SoloRunner } from './quiz/session/SoloRunner.js';
import { TakeService } from './quiz/session/TakeService.js';
import { ChartRenderer } from './render/charts/ChartRenderer.js';
import { botWideChartFiles } from './render/charts/chartFiles.js';
import { AttemptRetention } from './scores/AttemptRetention.js';
import { ScoresService } from './scores/ScoresService.js';
import { installFatalHandlers, ShutdownSequence } from './shutdown.js';
import { openDatabase } from './store/openDatabase.js';

const EXIT_CONFIG_ERROR = 2;
const ANALYTICS_EXPORT_COMPONENT = 'analytics-export';

/**
 * better-sqlite3 13 is a Node-API 10 addon (Node >= 22.14): an older Node loads its JavaScript and
 * then dies with SIGSEGV when the first database opens. Say so instead, before anything starts.
 */
function requireNodeApi10(): void {
  if (Number(process.versions.napi) >= 10) return;
  process.stderr.write(
    `badgey: Node.js ${process.version} is too old (Node-API ${process.versions.napi}); Badgey needs Node.js >= 22.14, ` +
      'Node 24 recommended (`make run` fetches and uses it)\n',
  );
  process.exit(EXIT_CONFIG_ERROR);
}

/** Reads the configuration or ends the process with every problem on its own stderr line. */
function configOrExit(): Config {
  try {
    const config = loadConfig();
    requireDiscordToken(config);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`badgey: configuration error\n${error.message}\n`);
    process.exit(EXIT_CONFIG_ERROR);
  }
}

function packageVersion(): string {
  // dist/main.js and src/main.ts both sit one level below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

/**
 * ANALYTICS_SALT, else the salt kept in the export dir; an unwritable dir must not stop the bot.
 * `temporary`: the dir could not keep it, so it is saved once the dir becomes writable.
 */
async function analyticsSalt(config: Config, logger: Logger): Promise<{ salt: string; temporary: boolean }> {
  if (config.analyticsSalt) return { salt: config.analyticsSalt, temporary: false };
  try {
    return { salt: await loadOrCreateSalt(config.analyticsExportDir), temporary: false };
  } catch (error) {
    logger.warn(
      { err: error, dir: config.analyticsExportDir },
      'cannot keep the analytics salt; using a temporary one until the directory is writable',
    );
    return { salt: randomBytes(32).toString('hex'), temporary: true };
  }
}

/** Why HEALTH_HOST / HEALTH_PORT cannot be bound, in words; undefined for other errors. */
const BIND_PROBLEMS: Record<string, [key: string, problem: string]> = {
  ENOTFOUND: ['HEALTH_HOST', 'does not resolve to an address'],
  EAI_AGAIN: ['HEALTH_HOST', 'could not be resolved (DNS did not answer)'],
  EADDRNOTAVAIL: ['HEALTH_HOST', 'is not an address of this machine'],
  EADDRINUSE: ['HEALTH_PORT', 'is already in use'],
  EACCES: ['HEALTH_PORT', 'needs privileges to bind (use a port above 1023)'],
};

/**
 * The HTTP server could not bind: a configuration problem (exit 2 with the key to change), not a
 * crash. Any other error is rethrown.
 */
function exitIfCannotBind(error: unknown, config: Config): never {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const known = code === undefined ? undefined : BIND_PROBLEMS[code];
  if (!known) throw error;
  const [key, problem] = known;
  const value = key === 'HEALTH_HOST' ? config.healthHost : String(config.healthPort);
  process.stderr.write(
    `badgey: configuration error\n${key}: ${JSON.stringify(value)} ${problem}: cannot listen on ${config.healthHost}:${config.healthPort} (${code})\n`,
  );
  process.exit(EXIT_CONFIG_ERROR);
}

/** Set once the logger exists, so a start-up failure is logged (redacted) rather than printed raw. */
let startupLogger: Logger | undefined;

async function main(): Promise<void> {
  const startedAtMs = Date.now();
  requireNodeApi10();
  const config = configOrExit();
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: secretsOf(config),
  });
  startupLogger = logger;
  const version = packageVersion();

  // Until the exporter exists there is nothing to save on a crash.
  let flushOnCrash: () => Promise<void> = async () => {};
  installFatalHandlers({ logger, flush: () => flushOnCrash() });

  const readiness = new ReadinessRegistry();
  readiness.onChange((component, status) =>
    logger.info({ component, ready: status.ready, reason: status.reason }, 'readiness changed'),
  );
  const metricsRegistry = createMetricsRegistry();
  const shutdown = new ShutdownSequence({
    logger,
    readiness,
    delaySeconds: config.shutdownDelaySeconds,
    timeoutSeconds: config.shutdownTimeoutSeconds,
  });

  const sampler = new ProcessSampler({
    onError: (error) => logger.debug({ err: error }, 'process sample failed'),
  });
  sampler.start();

  // Analytics: restore what the last run exported, then export periodically.
  const salt = await analyticsSalt(config, logger);
  const analytics = new QuizAnalytics({
    salt: salt.salt,
    observer: createAnalyticsMetrics(metricsRegistry),
  });
  // A temporary salt is saved the first time the export dir takes a write, so pseudonyms (and the
  // exported per-user data) survive the next restart.
  const keepTemporarySalt = (): void => {
    if (!salt.temporary) return;
    salt.temporary = false;
    saveSaltIfMissing(config.analyticsExportDir, salt.salt).then(
      (saved) =>
        saved
          ? logger.info(
              { dir: config.analyticsExportDir },
              'analytics salt saved (the directory is writable now)',
            )
          : logger.warn(
              { dir: config.analyticsExportDir },
              'another analytics salt file appeared; this run keeps its temporary salt',
            ),
      (error: unknown) => {
        salt.temporary = true; // try again on the next recovery
        logger.warn({ err: error, dir: config.analyticsExportDir }, 'cannot save the analytics salt yet');
      },
    );
  };
  // /stats charts render in a worker child process (bounded in time and memory); the same chart for every
  // server goes next to the analytics export when ANALYTICS_EXPORT_CHARTS is on. The database
  // opens after the exporter's first flush, so until then there is nothing to draw.
  const charts = new ChartRenderer();
  let chartStats: StatsRepository | undefined;
  const exporter = new AnalyticsExporter({
    ...(config.analyticsExportCharts
      ? { companionFiles: async () => (chartStats ? botWideChartFiles(chartStats, charts) : []) }
      : {}),
    analytics,
    dir: config.analyticsExportDir,
    intervalSeconds: config.analyticsExportIntervalSeconds,
    retention: config.analyticsExportRetention,
    logger,
    onHealthChange: (ok, reason) => {
      readiness.report(ANALYTICS_EXPORT_COMPONENT, ok ? { ready: true } : { ready: false, reason });
      if (ok) keepTemporarySalt();
    },
  });
  registerExportMetrics(metricsRegistry, exporter);
  const restored = await exporter.restore();
  logger.info({ restore: restored.status, dir: config.analyticsExportDir }, 'analytics restore');
  exporter.start();
  flushOnCrash = () => exporter.flush();

  // Store: reports the `database` readiness component (not ready until migrations ran).
  const database = await openDatabase({
    url: config.databaseUrl,
    logger,
    onQuery: (seconds) => analytics.recordDbQuery(seconds),
    metricsRegistry,
    readiness,
  });
  chartStats = database.stats;

  // Discord: the tracker reports `discord` (then `discord:shard-<id>`) into the readiness registry.
  const tracker = new ConnectionTracker({
    readiness,
    logger,
    metricsRegistry,
    onFatal: (close) => void shutdown.exitAfterCleanup(FATAL_GATEWAY_EXIT_CODE, `gateway: ${close.name}`),
  });
  // Members taking quizzes: sessions (cap + queue, timers) drawn in Discord, stored after every
  // answer (resumable after a restart), counted.
  const presenter = new DiscordSessionPresenter({
    clock: systemClock,
    webhooks: createInteractionWebhookRest(config.discordApiUrl),
    stopPosts: shutdown.signal,
  });
  const runner: SoloRunner<SessionReply> = new SoloRunner<SessionReply>({
    clock: systemClock,
    scheduler: systemScheduler,
    maxSessions: config.quizMaxSessions,
    idleTimeoutMs: config.quizIdleTimeoutSeconds * 1000,
    presenter,
    attempts: database.attempts,
    guildSettings: database.guildSettings,
    analytics,
    logger: logger.child({ module: 'quiz-sessions' }),
    observer: createSessionMetrics(metricsRegistry, () => runner.counts()),
  });
  const takeService = new TakeService<SessionReply>({
    runner,
    quizzes: database.quizzes,
    attempts: database.attempts,
    guildSettings: database.guildSettings,
    presenter,
    clock: systemClock,
    logger: logger.child({ module: 'quiz-sessions' }),
  });
  // Live channel games: run on ordinary channel messages with the bot token, held by a lease so
  // that one process runs each game; games of this process's guilds are taken over when free.
  let bot: DiscordBot | undefined;
  const liveGames: LiveGameService = new LiveGameService({
    repository: database.liveGames,
    quizzes: database.quizzes,
    guildSettings: database.guildSettings,
    channel: new DiscordLiveChannel(() => {
      const client = bot?.client;
      if (!client) throw new Error('the Discord client is not started');
      return client.rest;
    }),
    clock: systemClock,
    scheduler: systemScheduler,
    analytics,
    logger: logger.child({ module: 'live-games' }),
    observer: createLiveMetrics(metricsRegistry, () => liveGames.runningCount),
    leaseMs: config.liveGameLeaseSeconds * 1000,
    maxGamesPerGuild: config.liveGamesPerGuild,
    rules: { interludeMs: config.liveGameInterludeSeconds * 1000 },
    isLocalGuild: (guildId) => bot?.client?.guilds.cache.has(guildId) ?? false,
  });
  // Quiz authoring over the store; deleting a quiz ends its running sessions politely.
  const quizService = new QuizService({
    quizzes: database.quizzes,
    guildSettings: database.guildSettings,
    defaultTimerSeconds: config.quizDefaultTimerSeconds,
    onQuizDeleted: (_guildId, quizId) => {
      runner.endForDeletedQuiz(quizId);
      liveGames.quizDeleted(quizId);
    },
  });
  const commands = createCommands({
    quiz: {
      service: quizService,
      clock: systemClock,
      take: createTakeSubcommand({ service: takeService, runner }),
      live: createLiveSubcommands({ service: liveGames, quizzes: quizService, clock: systemClock }),
    },
    leaderboard: {
      service: new LeaderboardService({
        quizzes: database.quizzes,
        leaderboard: database.leaderboard,
        guildSettings: database.guildSettings,
        clock: systemClock,
      }),
    },
    stats: {
      service: new StatsService({
        stats: database.stats,
        guildSettings: database.guildSettings,
        botOwnerIds: config.botOwnerIds,
      }),
      botStatistics: () => analytics.getStatistics(),
      charts,
    },
    settings: { service: quizService },
    scores: {
      service: new ScoresService({
        scores: database.scores,
        quizzes: database.quizzes,
        guildSettings: database.guildSettings,
        clock: systemClock,
      }),
      quizzes: database.quizzes,
    },
    status: {
      clock: systemClock,
      startedAtMs,
      version,
      botOwnerIds: config.botOwnerIds,
      gateway: tracker,
      runningSessions: () => runner.counts().running,
      processSample: () => sampler.latest(),
    },
  });
  const router = new InteractionRouter({ commands, logger, analytics, metricsRegistry, clock: systemClock });
  bot = new DiscordBot({ config, logger, tracker, router, commands });
  const discordBot = bot;

  // Shutdown steps, in order. The gateway closes (draining running handlers) BEFORE the final
  // analytics flush, so no interaction can record into analytics after the last export.
  // Running quizzes first: each member is told Badgey is restarting and how to continue (that needs
  // the gateway's REST client and the database); its progress is stored, resumable.
  shutdown.addStep({
    name: 'end-sessions',
    timeoutMs: 8_000,
    run: async () => {
      const interrupted = await runner.shutdown();
      logger.info({ interrupted }, 'quiz sessions ended for shutdown');
    },
  });
  // Live games are not ended: their state is stored at every step, and releasing the leases lets
  // the next process (or this one after a restart) resume them at once.
  shutdown.addStep({
    name: 'release-live-games',
    timeoutMs: 5_000,
    run: async () => {
      const released = await liveGames.shutdown();
      logger.info({ released }, 'live games left resumable for the next process');
    },
  });
  shutdown.addStep({ name: 'close-gateway', timeoutMs: 5_000, run: () => discordBot.stop() });
  // ATTEMPT_RETENTION_DAYS: the daily deletion of old attempts; stopped before the database closes.
  const retention =
    config.attemptRetentionDays === undefined
      ? null
      : new AttemptRetention({
          scores: database.scores,
          days: config.attemptRetentionDays,
          clock: systemClock,
          scheduler: systemScheduler,
          logger: logger.child({ module: 'retention' }),
        });
  if (retention) shutdown.addStep({ name: 'stop-retention', timeoutMs: 5_000, run: () => retention.stop() });
  shutdown.addStep({ name: 'flush-analytics', run: () => exporter.stop() });
  shutdown.addStep({ name: 'stop-chart-worker', run: () => charts.close() });
  shutdown.addStep({ name: 'stop-sampler', run: () => sampler.stop() });
  shutdown.addStep({ name: 'close-database', timeoutMs: 5_000, run: () => database.close() });

  const health = createHealthServer({
    port: config.healthPort,
    host: config.healthHost,
    readiness,
    metricsRegistry,
    sampler,
    version,
    authToken: config.healthAuthToken,
    logger,
    shardStates: () => Object.fromEntries(tracker.shards().map((shard) => [String(shard.id), shard.state])),
    isShuttingDown: () => shutdown.isShuttingDown,
    beforeShutdown: shutdown.beforeShutdown,
    onSignal: shutdown.onSignal,
    onShutdown: shutdown.onShutdown,
  });
  const port = await health.listen().catch((error: unknown) => exitIfCannotBind(error, config));
  logger.info({ port, host: config.healthHost, version }, 'badgey started');

  // Not awaited: migrations and then login retry with backoff for as long as the database or
  // Discord is unreachable, while /health answers 200 and /ready 503 names what is missing.
  void (async () => {
    // Commands read and write the database, so the bot logs in only once the schema is in place.
    // The store retries while the database is unreachable (reporting why as `database` on /ready)
    // until shutdown begins.
    try {
      await database.migrate({ retryForMs: Number.POSITIVE_INFINITY, signal: shutdown.signal });
    } catch (error) {
      if (shutdown.isShuttingDown) return;
      // Not an outage (retrying will not help): stay alive and not ready, the cause in the log.
      logger.error({ err: error }, 'database migration failed');
      database.health.reportPending('migrations failed: see logs');
      return;
    }
    // Quizzes a previous process left running without shutting down (kill -9, OOM, node lost):
    // no longer counted as running, and resumable — a click on their message or /quiz take offers
    // Continue. Not fatal: the member is still offered Continue for an `in_progress` row.
    try {
      const found = await database.attempts.markStaleInterrupted(startedAtMs);
      logger.info({ interrupted: found }, 'interrupted quiz attempts found at start-up');
    } catch (error) {
      logger.warn({ err: error }, 'could not mark interrupted quiz attempts at start-up');
    }
    retention?.start();
    await discordBot.start();
    if (!shutdown.isShuttingDown) liveGames.start();
  })();
}

main().catch((error: unknown) => {
  if (startupLogger) startupLogger.fatal({ err: error }, 'badgey failed to start');
  else
    process.stderr.write(
      `badgey: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  process.exit(1);
});
