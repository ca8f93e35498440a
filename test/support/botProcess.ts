import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { logLeaksIn } from './logLeaks.js';

/** One line the bot wrote, parsed as pino JSON (`{ raw }` for a line that is not JSON). */
export type LogLine = { level?: number; msg?: string; [key: string]: unknown };

export interface StartBotOptions {
  /** Extra environment (DISCORD_API_URL, DISCORD_TOKEN, …); wins over the defaults. */
  env?: Record<string, string | undefined>;
  /** Entry point. Default `dist/main.js` (build with `npm run build`). */
  entry?: string;
}

export interface BotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
/** src/health/CachedExposition's DEFAULT_METRICS_MAX_AGE_MS (tests read the built bot, not src). */
const METRICS_MAX_AGE_MS = 1_000;

/** The secret values in a bot's environment worth searching its log for (6+ characters, as the logger). */
function secretsOf(env: Record<string, string>): [string, string][] {
  const found: [string, string][] = [];
  for (const key of ['DISCORD_TOKEN', 'ANALYTICS_SALT', 'HEALTH_AUTH_TOKEN']) {
    const value = env[key]?.trim();
    if (value && value.length >= 6) found.push([key, value]);
  }
  const databaseUrl = env.DATABASE_URL;
  if (databaseUrl?.includes('://')) {
    try {
      const password = decodeURIComponent(new URL(databaseUrl).password);
      if (password.length >= 6) found.push(['database password', password]);
    } catch {
      // Not a URL: no password to look for.
    }
  }
  return found;
}

/** A free TCP port on 127.0.0.1 (for HEALTH_PORT; the bot binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The real bot as a child process — the same `node dist/main.js` as `make run` — in a temp working
 * directory (no `.env`, its own SQLite file and analytics dir), with JSON logs collected line by line.
 */
export class BotProcess {
  readonly child: ChildProcess;
  readonly healthPort: number;
  readonly dataDir: string;
  /** stdout and stderr lines, parsed, in arrival order. */
  readonly logs: LogLine[] = [];
  readonly #exited: Promise<BotExit>;
  #exit: BotExit | undefined;
  readonly #waiters = new Set<() => void>();

  /**
   * Lines that contained a secret the bot was started with (token, salt, health token, database
   * password), an interaction token or raw user id an emulator in this process handed out, or a
   * Discord request body (see logLeaks.ts): `stop()` fails the test that leaked, so every
   * bot-process test checks its log.
   */
  readonly secretLeaks: string[] = [];
  #secrets: [name: string, value: string][] = [];
  #lastMetricsAt = 0;

  private constructor(child: ChildProcess, healthPort: number, dataDir: string) {
    this.child = child;
    this.healthPort = healthPort;
    this.dataDir = dataDir;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        let parsed: LogLine;
        try {
          const value: unknown = JSON.parse(line);
          parsed = value && typeof value === 'object' ? (value as LogLine) : { raw: line };
        } catch {
          parsed = { raw: line };
        }
        this.logs.push(parsed);
        for (const [name, secret] of this.#secrets) {
          if (line.includes(secret))
            this.secretLeaks.push(`log line ${this.logs.length} contains the ${name}`);
        }
        for (const leak of logLeaksIn(line))
          this.secretLeaks.push(`log line ${this.logs.length} contains ${leak}`);
        for (const wake of this.#waiters) wake();
      });
    }
    this.#exited = new Promise((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        for (const wake of this.#waiters) wake();
        resolveExit(this.#exit);
      });
    });
  }

  static async start(options: StartBotOptions = {}): Promise<BotProcess> {
    const healthPort = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'badgey-bot-'));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      NODE_ENV: 'test',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: String(healthPort),
      DATABASE_URL: `sqlite:${join(dataDir, 'badgey.sqlite')}`,
      ANALYTICS_EXPORT_DIR: join(dataDir, 'analytics'),
    };
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    const child = spawn(process.execPath, [resolve(REPO_ROOT, options.entry ?? 'dist/main.js')], {
      cwd: dataDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bot = new BotProcess(child, healthPort, dataDir);
    bot.#secrets = secretsOf(env);
    return bot;
  }

  get exitStatus(): BotExit | undefined {
    return this.#exit;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.healthPort}${path}`;
  }

  /** GET a health-server path; `undefined` status while the server is not listening yet. */
  async get(path: string): Promise<{ status: number | undefined; body: unknown }> {
    if (path.startsWith('/metrics')) {
      // The bot renders /metrics at most once a second (every scrape in that second shares it):
      // wait until this test's previous scrape has aged out, so what it reads follows its actions.
      const wait = this.#lastMetricsAt + METRICS_MAX_AGE_MS + 50 - Date.now();
      if (wait > 0) await sleep(wait);
      this.#lastMetricsAt = Date.now();
    }
    try {
      const response = await fetch(this.url(path), { signal: AbortSignal.timeout(2000) });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (e.g. /metrics): keep the text.
      }
      return { status: response.status, body };
    } catch {
      return { status: undefined, body: undefined };
    }
  }

  /**
   * Polls `path` every `intervalMs` until it answers `status` and resolves with that answer's body;
   * rejects (with the last answer) after `timeoutMs`.
   */
  async waitForStatus(path: string, status: number, timeoutMs = 10_000, intervalMs = 50): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    let last: { status: number | undefined; body: unknown } = { status: undefined, body: undefined };
    while (Date.now() < deadline) {
      if (this.#exit)
        throw new Error(`bot exited (${JSON.stringify(this.#exit)}) while waiting for ${path} ${status}`);
      last = await this.get(path);
      if (last.status === status) return last.body;
      await sleep(intervalMs);
    }
    throw new Error(
      `${path} did not answer ${status} within ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${this.dump()}`,
    );
  }

  /** `/ready` answers 200 and the slash commands are registered: the bot serves interactions. */
  async waitUntilServing(readyTimeoutMs = 20_000): Promise<void> {
    await this.waitForStatus('/ready', 200, readyTimeoutMs);
    await this.waitForLog(
      (line) => typeof line.msg === 'string' && /slash commands (registered|unchanged)/.test(line.msg),
    );
  }

  /** Resolves with the first log line (already seen or future) matching `predicate`. */
  async waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    return this.#waitUntil(() => this.logs.find(predicate), timeoutMs, 'log line');
  }

  /** Resolves when the process exits; rejects after `timeoutMs`. */
  async waitForExit(timeoutMs = 10_000): Promise<BotExit> {
    const timeout = sleep(timeoutMs).then(() => {
      throw new Error(`bot did not exit within ${timeoutMs} ms`);
    });
    return Promise.race([this.#exited, timeout]);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Kills the process if still running (SIGKILL) and removes its data directory. */
  async stop(): Promise<void> {
    if (!this.#exit) {
      this.child.kill('SIGKILL');
      await this.#exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
    if (this.secretLeaks.length > 0)
      throw new Error(`the bot logged a secret: ${this.secretLeaks.join('; ')}`);
  }

  /** Log lines joined for assertion messages. */
  dump(): string {
    return this.logs.map((l) => JSON.stringify(l)).join('\n');
  }

  async #waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = check();
    if (found !== undefined) return found;
    return new Promise<T>((resolveWait, reject) => {
      const wake = () => {
        const value = check();
        if (value !== undefined) {
          done();
          resolveWait(value);
        } else if (this.#exit) {
          done();
          reject(
            new Error(
              `bot exited (${JSON.stringify(this.#exit)}) before the ${what} appeared\n${this.dump()}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms\n${this.dump()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      this.#waiters.add(wake);
      wake();
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
