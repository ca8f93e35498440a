/**
 * Shared pieces of the fault tests: a load world per test (torn down after it, pass or fail), a
 * background load that runs until stopped, and the "nothing lost" checks over every interaction.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeAll } from 'vitest';
import type { BotProcess, LogLine } from '../support/botProcess.js';
import {
  callbacksOf,
  LoadDriver,
  type MemberMode,
  type TrackedInteraction,
} from '../support/load/LoadDriver.js';
import { LoadWorld, type LoadWorldOptions } from '../support/load/LoadWorld.js';

const ENTRY = resolve(import.meta.dirname, '../../dist/main.js');
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
});

afterEach(async () => {
  while (cleanups.length > 0)
    await cleanups
      .pop()?.()
      .catch(() => undefined);
});

/** Registers a cleanup run after the current test (last registered, first run). */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(async () => cleanup());
}

/**
 * A world whose emulator allows 10 s (Discord: 3 s) for the first callback: these tests prove that
 * nothing is lost or doubled, not how fast replies are on a shared 2-core machine (that is
 * `npm run load`, which keeps Discord's 3 s).
 */
export async function loadWorld(options: LoadWorldOptions): Promise<LoadWorld> {
  const world = await LoadWorld.create({
    ...options,
    emulator: { ackDeadlineMs: 10_000, ...options.emulator },
  });
  onCleanup(() => world.close());
  return world;
}

export function driverFor(world: LoadWorld, bot: BotProcess): LoadDriver {
  const driver = new LoadDriver(world, bot);
  onCleanup(() => driver.dispose());
  return driver;
}

export interface BackgroundLoad {
  /** Stops starting new work and waits (bounded) for the replies of what was started. */
  stop(): Promise<void>;
}

/**
 * Members keep using the bot until `stop()`: quizzes when `/quiz take` exists, else `/help` loops.
 * Short think times keep a steady stream of interactions in flight while faults happen.
 */
export function backgroundLoad(
  driver: LoadDriver,
  options: { members: number; mode?: MemberMode; thinkMs?: [number, number] },
): BackgroundLoad {
  const abort = new AbortController();
  const mode = options.mode ?? (driver.world.takingAvailable() ? 'take' : 'commands');
  const running = driver.runMembers({
    members: options.members,
    durationMs: 120_000,
    rampMs: 500,
    mode,
    thinkMs: options.thinkMs ?? [100, 400],
    signal: abort.signal,
  });
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}

/** A readable list of what went wrong with the interactions that were not answered exactly once. */
export function notAnsweredExactlyOnce(tracked: readonly TrackedInteraction[]): string[] {
  const problems: string[] = [];
  for (const t of tracked) {
    if (t.handle.deliveredTo === 0) continue; // Discord never delivered it (no session): not the bot's to answer
    const callbacks = callbacksOf(t.handle);
    const doubleAcks = t.handle.errors.filter((e) => e.code === 40060).length;
    if (callbacks !== 1 || doubleAcks > 0) {
      const refused = t.handle.errors.map((e) => `${e.status}/${e.code}`).join(',');
      problems.push(`${t.kind} ${t.handle.id}: ${callbacks} callbacks, refused [${refused}]`);
    }
  }
  return problems;
}

/** Resolves with the first log line at or after index `from` matching `predicate`. */
export async function logAfter(
  bot: BotProcess,
  from: number,
  predicate: (line: LogLine) => boolean,
  timeoutMs = 15_000,
): Promise<LogLine> {
  const earlier = new Set(bot.logs.slice(0, from));
  return bot.waitForLog((line) => !earlier.has(line) && predicate(line), timeoutMs);
}

export const readinessChange =
  (component: RegExp, ready: boolean) =>
  (line: LogLine): boolean =>
    line.msg === 'readiness changed' &&
    typeof line.component === 'string' &&
    component.test(line.component) &&
    line.ready === ready;
