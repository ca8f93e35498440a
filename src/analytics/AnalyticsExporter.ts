import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { AnalyticsState, AnalyticsStatistics, QuizAnalytics } from './QuizAnalytics.js';

/** Structural logger (pino's Logger satisfies it); analytics does not import pino. */
export interface AnalyticsLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface AnalyticsExporterOptions {
  analytics: QuizAnalytics;
  /** ANALYTICS_EXPORT_DIR; created when missing. */
  dir: string;
  /** ANALYTICS_EXPORT_INTERVAL, seconds between exports. */
  intervalSeconds: number;
  /** ANALYTICS_EXPORT_RETENTION: timestamped snapshots kept besides the latest file (0: none). */
  retention: number;
  logger: AnalyticsLogger;
  /**
   * Extra files written after each successful export, atomically and beside it (the chart PNG of
   * ANALYTICS_EXPORT_CHARTS). They are a convenience: failing to produce or write them is logged
   * once per failing streak and never makes the export count as failed.
   */
  companionFiles?: () => Promise<{ name: string; data: Uint8Array }[]>;
  /** Called on each change of writability: false with a reason, then true on recovery. */
  onHealthChange?: (ok: boolean, reason?: string) => void;
  clock?: Clock;
}

export type RestoreResult =
  | { status: 'restored'; file: string; exportedAt: string; userDataRestored: boolean }
  | { status: 'missing' }
  | { status: 'corrupt'; movedTo: string | undefined; reason: string }
  | { status: 'unreadable'; reason: string };

/** The export file's content. */
export interface AnalyticsExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  statistics: AnalyticsStatistics;
  state: AnalyticsState;
}

export const EXPORT_FORMAT = 'badgey-analytics';
export const EXPORT_VERSION = 1;
export const LATEST_FILE = 'analytics-latest.json';
const SNAPSHOT_PATTERN = /^analytics-\d{8}T\d{6}Z\.json$/;
const TEMP_MARKER = '.tmp-';

/**
 * Periodically writes the analytics statistics and restorable state to `dir`, atomically (temp
 * file in the same directory, fsync, rename, fsync the directory): `analytics-latest.json` plus
 * timestamped snapshots `analytics-YYYYMMDDTHHMMSSZ.json`, pruned to `retention`. A reader (or a
 * restart after SIGKILL) sees the previous complete file or the new one, never a partial one.
 * Failures never throw out of the timer: they flip health (reported once per change).
 */
export class AnalyticsExporter {
  readonly #analytics: QuizAnalytics;
  readonly #dir: string;
  readonly #intervalMs: number;
  readonly #retention: number;
  readonly #logger: AnalyticsLogger;
  readonly #onHealthChange: ((ok: boolean, reason?: string) => void) | undefined;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  /** Tail of the flush chain: flushes never overlap. */
  #flushing: Promise<void> = Promise.resolve();
  /** undefined until the first write attempt. */
  #healthy: boolean | undefined;
  #tempCounter = 0;
  #restoreAttempted = false;
  readonly #companionFiles: AnalyticsExporterOptions['companionFiles'];
  #companionsFailing = false;
  /** Epoch ms of the last complete export; until the first, when the exporter was created. */
  #lastSuccessAt: number;

  constructor(options: AnalyticsExporterOptions) {
    if (!(options.intervalSeconds > 0)) throw new Error('analytics export intervalSeconds must be > 0');
    if (!Number.isInteger(options.retention) || options.retention < 0)
      throw new Error('analytics export retention must be an integer ≥ 0');
    this.#analytics = options.analytics;
    this.#dir = options.dir;
    this.#intervalMs = Math.round(options.intervalSeconds * 1000);
    this.#retention = options.retention;
    this.#logger = options.logger;
    this.#onHealthChange = options.onHealthChange;
    this.#companionFiles = options.companionFiles;
    this.#clock = options.clock ?? systemClock;
    // Counting from creation makes "no successful export for N intervals" true of a process that
    // never managed one, without a special case for "never".
    this.#lastSuccessAt = this.#clock.now();
  }

  /** The export interval in seconds (ANALYTICS_EXPORT_INTERVAL). */
  get intervalSeconds(): number {
    return this.#intervalMs / 1000;
  }

  /** Epoch ms of the last complete export (the creation time until the first one). */
  get lastSuccessAt(): number {
    return this.#lastSuccessAt;
  }

  get latestPath(): string {
    return join(this.#dir, LATEST_FILE);
  }

  /** Whether the last write succeeded (undefined before the first). */
  get healthy(): boolean | undefined {
    return this.#healthy;
  }

  /**
   * Restores analytics from the latest export. A corrupt, foreign or wrong-version file is renamed
   * to `analytics-latest.json.corrupt-<timestamp>` and logged; the newest valid snapshot is used
   * instead when there is one. Never throws.
   */
  async restore(): Promise<RestoreResult> {
    this.#restoreAttempted = true;
    await this.#removeStaleTempFiles();
    const latest = await this.#tryRestoreFrom(LATEST_FILE);
    if (latest.status !== 'corrupt') return latest;
    let movedTo: string | undefined = join(
      this.#dir,
      `${LATEST_FILE}.corrupt-${compactTimestamp(this.#clock.now())}`,
    );
    try {
      await rename(this.latestPath, movedTo);
    } catch (error) {
      movedTo = undefined;
      this.#logger.warn({ err: errorCode(error) }, 'could not move the corrupt analytics export aside');
    }
    this.#logger.warn(
      { file: this.latestPath, movedTo, reason: latest.reason },
      'analytics export is corrupt or foreign; moved aside, starting without it',
    );
    for (const snapshot of (await this.#snapshots()).reverse()) {
      const fromSnapshot = await this.#tryRestoreFrom(snapshot);
      if (fromSnapshot.status === 'restored') {
        this.#logger.info({ file: fromSnapshot.file }, 'analytics restored from the newest valid snapshot');
        return fromSnapshot;
      }
    }
    return { status: 'corrupt', movedTo, reason: latest.reason };
  }

  /**
   * Starts the periodic export (timer unref'd) with an immediate first flush to learn writability.
   * Call `restore()` first: exporting before restoring would overwrite the saved counters.
   */
  start(): void {
    if (!this.#restoreAttempted)
      throw new Error(
        'AnalyticsExporter.start() called before restore(): the saved export would be overwritten',
      );
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      void this.flush();
    }, this.#intervalMs);
    this.#timer.unref();
    void this.flush();
  }

  /** Stops the timer and writes a final export. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  /** Writes the latest file and a snapshot now. Never rejects; failures go to health + log. */
  flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#flushOnce());
    this.#flushing = run;
    return run;
  }

  async #flushOnce(): Promise<void> {
    try {
      const now = this.#clock.now();
      const file: AnalyticsExportFile = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: new Date(now).toISOString(),
        statistics: this.#analytics.getStatistics(),
        state: this.#analytics.serializeState(),
      };
      const text = `${JSON.stringify(file, null, 2)}\n`;
      await mkdir(this.#dir, { recursive: true });
      // Prune BEFORE writing, down to room for the snapshot about to be written: a volume filled
      // by the snapshots themselves then frees itself. Pruning only after a successful write
      // would leave a full volume full forever (every write failing before the prune). The
      // latest file is never removed to make room.
      if (this.#retention > 0) await this.#prune(this.#retention - 1);
      await this.#writeAtomically(LATEST_FILE, text);
      if (this.#retention > 0) {
        await this.#writeAtomically(`analytics-${compactTimestamp(now)}.json`, text);
        await this.#prune(this.#retention);
      }
      this.#lastSuccessAt = now;
      this.#setHealth(true);
    } catch (error) {
      this.#setHealth(false, `cannot write ${this.#dir}: ${errorCode(error)}`);
      return;
    }
    await this.#writeCompanions();
  }

  async #writeCompanions(): Promise<void> {
    if (!this.#companionFiles) return;
    try {
      for (const file of await this.#companionFiles()) await this.#writeAtomically(file.name, file.data);
    } catch (error) {
      if (!this.#companionsFailing)
        this.#logger.warn({ err: errorCode(error) }, 'analytics export: companion files not written');
      this.#companionsFailing = true;
      return;
    }
    if (this.#companionsFailing) this.#logger.info({}, 'analytics export: companion files written again');
    this.#companionsFailing = false;
  }

  async #writeAtomically(name: string, content: string | Uint8Array): Promise<void> {
    const target = join(this.#dir, name);
    const temp = join(this.#dir, `.${name}${TEMP_MARKER}${process.pid}-${++this.#tempCounter}`);
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    await this.#syncDir();
  }

  /** Makes the rename durable; some filesystems refuse fsync on a directory, which is harmless. */
  async #syncDir(): Promise<void> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(this.#dir, 'r');
      await handle.sync();
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw error;
    } finally {
      await handle?.close().catch(() => {});
    }
  }

  async #snapshots(): Promise<string[]> {
    try {
      return (await readdir(this.#dir)).filter((name) => SNAPSHOT_PATTERN.test(name)).sort();
    } catch {
      return [];
    }
  }

  /** Removes the oldest snapshots until at most `keep` are left. */
  async #prune(keep: number): Promise<void> {
    const snapshots = await this.#snapshots();
    const excess = snapshots.slice(0, Math.max(0, snapshots.length - keep));
    for (const name of excess) await unlink(join(this.#dir, name)).catch(() => {});
  }

  async #removeStaleTempFiles(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch {
      return;
    }
    for (const name of names)
      if (name.startsWith('.analytics-') && name.includes(TEMP_MARKER))
        await unlink(join(this.#dir, name)).catch(() => {});
  }

  async #tryRestoreFrom(name: string): Promise<RestoreResult> {
    const path = join(this.#dir, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing' };
      this.#logger.warn({ file: path, err: code }, 'cannot read the analytics export; starting without it');
      return { status: 'unreadable', reason: `cannot read ${path}: ${code}` };
    }
    let reason: string;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not a JSON object');
      const file = parsed as Partial<AnalyticsExportFile>;
      if (file.format !== EXPORT_FORMAT) throw new Error(`format is not "${EXPORT_FORMAT}"`);
      if (file.version !== EXPORT_VERSION)
        throw new Error(`unsupported version ${String(file.version)} (expected ${EXPORT_VERSION})`);
      const { userDataRestored } = this.#analytics.restoreState(file.state);
      if (!userDataRestored)
        this.#logger.warn(
          { file: path },
          'analytics export was written with another salt; per-user data (top users, active users) reset',
        );
      this.#logger.info({ file: path, exportedAt: file.exportedAt }, 'analytics restored');
      return { status: 'restored', file: path, exportedAt: String(file.exportedAt), userDataRestored };
    } catch (error) {
      reason = error instanceof SyntaxError ? `invalid JSON: ${error.message}` : (error as Error).message;
    }
    return { status: 'corrupt', movedTo: undefined, reason };
  }

  #setHealth(ok: boolean, reason?: string): void {
    const previous = this.#healthy;
    this.#healthy = ok;
    if (ok) {
      if (previous === true) return;
      if (previous === false) this.#logger.info({ dir: this.#dir }, 'analytics export writable again');
      this.#notify(true);
      return;
    }
    if (previous === false) return;
    this.#logger.error({ dir: this.#dir, reason }, 'analytics export failing; will keep retrying');
    this.#notify(false, reason);
  }

  #notify(ok: boolean, reason?: string): void {
    try {
      this.#onHealthChange?.(ok, reason);
    } catch (error) {
      this.#logger.warn({ err: (error as Error).message }, 'analytics export health listener threw');
    }
  }
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
function compactTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}
