/**
 * Every `badgey_*` Prometheus series, defined in one place: name, help, labels and buckets. The
 * modules that own a series create it from here with their own registry (and, for gauges read at
 * scrape time, their own `collect`): `new Counter({ ...METRICS.interactions, registers })`.
 * Labels come only from closed sets — never a user, guild or quiz id.
 * A test (test/unit/architecture/metricsCatalogue.test.ts) refuses a `badgey_` name anywhere else in src/.
 */
export const METRICS = {
  // analytics/PrometheusBridge.ts
  quizzesStartedTotal: { name: 'badgey_quizzes_started_total', help: 'Quiz attempts started.' },
  quizzesCompletedTotal: { name: 'badgey_quizzes_completed_total', help: 'Quiz attempts completed.' },
  answersTotal: {
    name: 'badgey_answers_total',
    help: 'Questions answered, by outcome (correct, incorrect, timeout).',
    labelNames: ['outcome'] as const,
  },
  answerTimeSeconds: {
    name: 'badgey_answer_time_seconds',
    help: 'Time players took to answer a question (timeouts excluded).',
    buckets: [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 120],
  },
  quizDurationSeconds: {
    name: 'badgey_quiz_duration_seconds',
    help: 'Duration of completed quiz attempts.',
    buckets: [10, 30, 60, 120, 180, 300, 600, 900, 1800, 3600, 7200],
  },
  quizScore: {
    name: 'badgey_quiz_score',
    help: 'Points scored in completed quiz attempts.',
    buckets: [0, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000],
  },
  commandDurationSeconds: {
    name: 'badgey_command_duration_seconds',
    help: 'Time to handle a command, by command and outcome (ok, rejected, error).',
    labelNames: ['command', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  dbQueryDurationSeconds: {
    name: 'badgey_db_query_duration_seconds',
    help: 'Database query durations.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
  errorsTotal: {
    name: 'badgey_errors_total',
    help: 'Errors recorded by analytics, by type.',
    labelNames: ['type'] as const,
  },
  activeUsers: {
    name: 'badgey_active_users',
    help: 'Distinct users seen since analytics began (HyperLogLog estimate, ~0.8% standard error).',
  },
  analyticsExportLastSuccessTimestampSeconds: {
    name: 'badgey_analytics_export_last_success_timestamp_seconds',
    help: 'Unix time of the last complete analytics export (the process start time until the first one).',
  },
  analyticsExportIntervalSeconds: {
    name: 'badgey_analytics_export_interval_seconds',
    help: 'Seconds between analytics exports (ANALYTICS_EXPORT_INTERVAL).',
  },
  // discord/ConnectionTracker.ts
  gatewayShardReady: {
    name: 'badgey_gateway_shard_ready',
    help: '1 when the gateway shard is connected and ready, 0 otherwise',
    labelNames: ['shard'] as const,
  },
  gatewayReconnectsTotal: {
    name: 'badgey_gateway_reconnects_total',
    help: 'Gateway reconnect attempts (resume or re-identify) per shard',
    labelNames: ['shard'] as const,
  },
  gatewayLatencySeconds: {
    name: 'badgey_gateway_latency_seconds',
    help: 'Last gateway heartbeat round trip per shard',
    labelNames: ['shard'] as const,
  },
  // discord/sessionMetrics.ts
  sessionsRunning: { name: 'badgey_sessions_running', help: 'Solo quiz sessions running in this process.' },
  sessionsQueued: {
    name: 'badgey_sessions_queued',
    help: 'Members waiting for a free quiz session slot (QUIZ_MAX_SESSIONS).',
  },
  sessionsEndedTotal: {
    name: 'badgey_sessions_ended_total',
    help: 'Solo quiz sessions ended, by reason (completed, idle, token_age, quiz_deleted, shutdown; resumed: an interrupted one continued).',
    labelNames: ['reason'] as const,
  },
  // discord/liveMetrics.ts
  gamesRunning: {
    name: 'badgey_games_running',
    help: 'Live channel games (scheduled, lobby or running) this process holds.',
  },
  gamePlayers: {
    name: 'badgey_game_players',
    help: 'Players (members who answered at least once) per finished live game.',
    buckets: [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
  },
  liveEditsDeferredTotal: {
    name: 'badgey_live_edits_deferred_total',
    help: 'Live answer-counter edits skipped because the channel was near its message rate limit or a reveal was due.',
  },
  // discord/InteractionRouter.ts
  interactionsTotal: {
    name: 'badgey_interactions_total',
    help: 'Interactions handled, by type and outcome (ok, rejected = expected user error, error = bug)',
    labelNames: ['type', 'outcome'] as const,
  },
  // discord/InteractionRouter.ts
  interactionsByLocale: {
    name: 'badgey_interactions_by_locale_total',
    help: "Interactions by the member's Discord locale (other: not a Discord locale) and the catalogue language Badgey answered in; a locale answered in a language not its own is one Badgey lacks",
    labelNames: ['locale', 'language'] as const,
  },
  // store/openDatabase.ts
  dbErrorsTotal: {
    name: 'badgey_db_errors_total',
    help: 'Database operations that failed (not counting "not found"-style outcomes), by repository operation.',
    labelNames: ['operation'] as const,
  },
  // health/HealthServer.ts
  healthRequestsTotal: {
    name: 'badgey_health_requests_total',
    help: 'Requests to the health/metrics HTTP server, by route and status code.',
    labelNames: ['route', 'code'] as const,
  },
  ready: {
    name: 'badgey_ready',
    help: '1 when every readiness component is ready (what /ready answers 200 for), else 0.',
  },
  componentReady: {
    name: 'badgey_component_ready',
    help: 'Readiness per component (discord shards, database, analytics-export): 1 ready, 0 not.',
    labelNames: ['component'] as const,
  },
  uptimeSeconds: { name: 'badgey_uptime_seconds', help: 'Seconds since the process started.' },
  buildInfo: {
    name: 'badgey_build_info',
    help: 'Always 1; the version label names the running build.',
    labelNames: ['version'] as const,
  },
};
