export type {
  AnalyticsExporterOptions,
  AnalyticsExportFile,
  AnalyticsLogger,
  RestoreResult,
} from './AnalyticsExporter.js';
export {
  AnalyticsExporter,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  LATEST_FILE,
} from './AnalyticsExporter.js';
export type {
  AnalyticsObserver,
  AnalyticsSource,
  AnswerOutcome,
  CommandOutcome,
} from './AnalyticsObserver.js';
export { formatUptime } from './formatUptime.js';
export { loadOrCreateSalt, SALT_FILE, saveSaltIfMissing } from './loadOrCreateSalt.js';
export type { ExportStatusSource } from './PrometheusBridge.js';
export { createAnalyticsMetrics, registerExportMetrics } from './PrometheusBridge.js';
export type {
  AnalyticsId,
  AnalyticsState,
  AnalyticsStatistics,
  CommandPerformance,
  QuizAnalyticsOptions,
  RecentError,
  RestoreStateResult,
  TopEntry,
  Weekday,
} from './QuizAnalytics.js';
export {
  ANALYTICS_ERROR_TYPE,
  MAX_COMMANDS,
  MAX_ERROR_TYPES,
  QuizAnalytics,
  WEEKDAYS,
} from './QuizAnalytics.js';
export { sanitizeErrorDetails, sanitizeLabel } from './sanitize.js';
export type { Percentiles } from './ValueHistogram.js';
