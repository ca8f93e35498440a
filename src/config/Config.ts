/**
 * The bot's configuration, resolved and validated. Every key is read from the environment
 * variable of the same name in UPPER_SNAKE_CASE (shown per field), or from the same key in the
 * optional config file (`BADGEY_CONFIG`, YAML or JSON, e.g. a mounted ConfigMap). Environment
 * variables win over the file; `.env` in the working directory fills what the environment lacks.
 * An empty value counts as unset. Loading, validation and the key table: `configKeys.ts`.
 */
export interface Config {
  /** DISCORD_TOKEN — the bot token. Required to run the bot; no default. */
  discordToken: string | undefined;
  /** DISCORD_API_URL — REST base URL (a REST proxy or the test emulator). Default `https://discord.com/api`. */
  discordApiUrl: string;
  /** DISCORD_GUILD_IDS — comma-separated guild ids; commands are registered there instantly instead of globally. */
  discordGuildIds: string[];
  /** DATABASE_URL — `sqlite:PATH` / a file path (default `sqlite:./data/badgey.sqlite`) or `postgres://…`. */
  databaseUrl: string;
  /** HEALTH_PORT — port of the health/metrics HTTP server. Default 8080. */
  healthPort: number;
  /** HEALTH_HOST — address the HTTP server binds. Default `0.0.0.0` (tests use 127.0.0.1). */
  healthHost: string;
  /** HEALTH_AUTH_TOKEN — when set (8+ characters), `/health` details need `Authorization: Bearer <token>`. */
  healthAuthToken: string | undefined;
  /** LOG_LEVEL — pino level. Default `info`. */
  logLevel: LogLevel;
  /** LOG_FORMAT — `json`, `pretty`, or `auto` (pretty on a TTY, JSON otherwise). Default `auto`. */
  logFormat: 'json' | 'pretty' | 'auto';
  /** ANALYTICS_EXPORT_DIR — writable directory for analytics exports. Default `./data/analytics`. */
  analyticsExportDir: string;
  /** ANALYTICS_EXPORT_INTERVAL — seconds between exports (`300`, or `30s`/`5m`/`1h`; 5s to 24h). Default 300. */
  analyticsExportIntervalSeconds: number;
  /** ANALYTICS_EXPORT_RETENTION — timestamped snapshots kept besides the latest file. Default 24. */
  analyticsExportRetention: number;
  /** ANALYTICS_EXPORT_CHARTS — also write the `/stats` charts (all servers) as `charts-latest.png` next to the export. Default `false`. */
  analyticsExportCharts: boolean;
  /** ANALYTICS_SALT — key (16+ characters) of the hash that pseudonymises user ids. Unset: generated once and kept in the export dir. */
  analyticsSalt: string | undefined;
  /** BOT_OWNER_IDS — comma-separated user ids who may see bot-wide analytics. */
  botOwnerIds: string[];
  /** SHARD_IDS — comma-separated shard ids this process runs, or `auto`. Default `auto`. */
  shardIds: number[] | 'auto';
  /** SHARD_COUNT — total shard count, or `auto` (Discord's recommendation). Default `auto`. */
  shardCount: number | 'auto';
  /** SHUTDOWN_DELAY_SECONDS — after SIGTERM, how long `/ready` reports 503 before work stops. Default 0. */
  shutdownDelaySeconds: number;
  /** SHUTDOWN_TIMEOUT_SECONDS — watchdog: exit non-zero if cleanup takes longer. Default 20. */
  shutdownTimeoutSeconds: number;
  /** QUIZ_MAX_SESSIONS — cap on concurrently running solo sessions; more wait in a queue. Default 500. */
  quizMaxSessions: number;
  /** QUIZ_IDLE_TIMEOUT_SECONDS — a session with no activity for this long ends. Default 600. */
  quizIdleTimeoutSeconds: number;
  /** QUIZ_DEFAULT_TIMER_SECONDS — per-question timer for new quizzes. Default 30. */
  quizDefaultTimerSeconds: number;
  /** LIVE_GAMES_PER_GUILD — cap on scheduled + running live games per server. Default 3. */
  liveGamesPerGuild: number;
  /** LIVE_GAME_LEASE_SECONDS — how long a process's hold on a live game lasts without renewal. Default 30. */
  liveGameLeaseSeconds: number;
  /** LIVE_GAME_INTERLUDE_SECONDS — pause between a reveal and the next question. Default 5. */
  liveGameInterludeSeconds: number;
  /** ATTEMPT_RETENTION_DAYS — delete attempts started longer ago than this, daily. Default: keep. */
  attemptRetentionDays: number | undefined;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
