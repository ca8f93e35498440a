/**
 * Simulated members against the real bot through the emulator, with every injected interaction
 * tracked (first-reply latency, callbacks, refused calls) and the bot's `/health` polled each
 * second (RSS, event-loop delay, and how long `/health` itself took). Used by `npm run load`
 * (bench/load.ts) and by the fault tests in test/faults/.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { type ELDHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { APIMessage } from 'discord-api-types/v10';
import type { BotProcess } from '../botProcess.js';
import type { InteractionHandle, StoredMessage } from '../discord-emulator/index.js';
import type { LoadWorld } from './LoadWorld.js';
import {
  answerButtons,
  isErrorReply,
  isFinalMessage,
  isResultMessage,
  messageText,
  nextButton,
  questionKey,
  startOverButton,
} from './quizMessages.js';
import type { SeededQuiz } from './seedQuizzes.js';

export type InteractionKind = 'take' | 'answer' | 'next' | 'restart' | 'help' | 'status';

export interface TrackedInteraction {
  kind: InteractionKind;
  member: number;
  handle: InteractionHandle;
}

export type MemberMode = 'take' | 'commands';

export interface MemberRunOptions {
  /** Members taking part (the first N of the world's members). */
  members: number;
  /** Members start linearly over this many ms (0: all at once). */
  rampMs: number;
  /** No new quiz or command starts after this many ms from the start. */
  durationMs: number;
  /** 'take': `/quiz take` + answer buttons; 'commands': `/help` loops (when taking is not available). */
  mode: MemberMode;
  /** Random think time before each click / command, ms. Default [300, 1500]. */
  thinkMs?: [number, number];
  /** 'take': how many quizzes each member takes at most (default: as many as fit in the duration). */
  quizzesPerMember?: number;
  /** 'take': stop a member after this many answers in its current quiz (leaves the session running). */
  answersPerQuiz?: number;
  /** 'take': press "Next question" after the feedback instead of waiting for the auto-advance. Default true. */
  clickNext?: boolean;
  /** Abort everything (e.g. the test saw enough). */
  signal?: AbortSignal;
}

export interface HealthSample {
  /** Seconds since the driver was created. */
  t: number;
  /** How long GET /health took, ms (undefined: no answer). */
  latencyMs: number | undefined;
  status: number | undefined;
  rssMb: number | undefined;
  eventLoopDelayP99Ms: number | undefined;
  eventLoopDelayMaxMs: number | undefined;
  /** Sessions shown a question and not yet finished, by the members' count. */
  runningSessions: number;
}

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadErrors {
  /** Interactions delivered to the bot that never got an initial callback. */
  unanswered: number;
  /** Interactions whose callback was sent more than once (refused 40060 by the emulator). */
  answeredTwice: number;
  /** Replies telling the member something failed. */
  errorReplies: number;
  /** Bot REST calls answered 4xx (excluding injected faults). */
  http4xx: number;
  /** Bot REST calls answered 5xx (excluding injected faults). */
  http5xx: number;
  /** Quizzes where the next question or the result never came. */
  stalledQuizzes: number;
}

export interface LoadSummary {
  mode: MemberMode;
  members: number;
  durationSeconds: number;
  rampSeconds: number;
  /** Wall time from the first injection to the end of the drain. */
  elapsedSeconds: number;
  interactions: number;
  interactionsPerSecond: number;
  firstReplyMs: Percentiles;
  quizzesStarted: number;
  quizzesCompleted: number;
  answeredQuestions: number;
  restCalls: number;
  /** REST calls by the bot per answered question (take mode; null otherwise). */
  restCallsPerAnsweredQuestion: number | null;
  errors: LoadErrors;
  healthLatencyMs: Percentiles;
  rssMb: { idle: number | undefined; peak: number | undefined; atPeakSessions: number | undefined };
  peakRunningSessions: number;
  eventLoopDelayP99MaxMs: number | undefined;
  /**
   * Event-loop delay of THIS process (emulator + simulated members) over the run: when it is high,
   * part of the measured latency is the load generator's, not the bot's.
   */
  loadGeneratorLoopDelayMs: { p50: number; p99: number; max: number };
  timeline: HealthSample[];
}

interface MemberView {
  latest: APIMessage | undefined;
  wake: Set<() => void>;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The first response, or undefined after `timeoutMs` or once `signal` aborts (never rejects). */
async function firstResponse(
  handle: InteractionHandle,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<InteractionHandle['responses'][number] | undefined> {
  if (handle.deliveredTo === 0) return undefined; // no gateway session got it: nobody will answer
  const response = handle.waitForResponse(timeoutMs).catch(() => undefined);
  if (!signal) return response;
  if (signal.aborted) return handle.responses[0];
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([response, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** The bot's resident set size from /proc (exact and instant); undefined where /proc is absent. */
export function processRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export class LoadDriver {
  readonly tracked: TrackedInteraction[] = [];
  readonly timeline: HealthSample[] = [];
  readonly #views = new Map<string, MemberView>();
  readonly #started = performance.now();
  readonly #ownLoopDelay: ELDHistogram = monitorEventLoopDelay({ resolution: 10 });
  readonly #onMessage: (stored: StoredMessage) => void;
  #restCallsAtStart: number;
  #healthTimer: NodeJS.Timeout | undefined;
  #healthInFlight = false;
  #running = new Set<number>();
  #peakRunning = 0;
  #rssAtPeakSessions: number | undefined;
  #quizzesStarted = 0;
  #quizzesCompleted = 0;
  #stalled = 0;
  #answered = 0;
  #runWindow: { start: number; end: number } | undefined;
  rssIdleMb: number | undefined;

  constructor(
    readonly world: LoadWorld,
    public bot: BotProcess,
  ) {
    this.#restCallsAtStart = world.emu.restCalls.length;
    // Every message a member's interaction produced (reply, update, edit, followup) wakes that member.
    this.#onMessage = (stored) => {
      const userId = stored.message.interaction_metadata?.user?.id;
      if (!userId) return;
      const view = this.#view(userId);
      view.latest = stored.message;
      for (const wake of view.wake) wake();
    };
    world.emu.on('message', this.#onMessage);
    this.#ownLoopDelay.enable();
  }

  /** Stops polling and listening. */
  dispose(): void {
    this.stopHealthPolling();
    this.#ownLoopDelay.disable();
    this.world.emu.off('message', this.#onMessage);
  }

  // ── health polling ─────────────────────────────────────────────────────

  /** Polls GET /health every `intervalMs` (skipping a tick while one is still in flight). */
  startHealthPolling(intervalMs = 1000): void {
    this.stopHealthPolling();
    const poll = async () => {
      if (this.#healthInFlight) return;
      this.#healthInFlight = true;
      try {
        this.timeline.push(await this.sampleHealth());
      } finally {
        this.#healthInFlight = false;
      }
    };
    void poll();
    this.#healthTimer = setInterval(() => void poll(), intervalMs);
  }

  stopHealthPolling(): void {
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    this.#healthTimer = undefined;
  }

  async sampleHealth(): Promise<HealthSample> {
    const t = (performance.now() - this.#started) / 1000;
    const started = performance.now();
    const runningSessions = this.#running.size;
    try {
      const response = await fetch(this.bot.url('/health'), { signal: AbortSignal.timeout(5000) });
      const body = (await response.json()) as {
        memory_usage_mb?: number;
        event_loop_delay_ms?: { p99?: number; max?: number };
      };
      return {
        t,
        latencyMs: performance.now() - started,
        status: response.status,
        rssMb: body.memory_usage_mb,
        eventLoopDelayP99Ms: body.event_loop_delay_ms?.p99,
        eventLoopDelayMaxMs: body.event_loop_delay_ms?.max,
        runningSessions,
      };
    } catch {
      return {
        t,
        latencyMs: undefined,
        status: undefined,
        rssMb: undefined,
        eventLoopDelayP99Ms: undefined,
        eventLoopDelayMaxMs: undefined,
        runningSessions,
      };
    }
  }

  // ── interactions ───────────────────────────────────────────────────────

  /** Called synchronously for every injected interaction (before the bot can answer it). */
  onTrack: ((tracked: TrackedInteraction) => void) | undefined;

  track(kind: InteractionKind, member: number, handle: InteractionHandle): InteractionHandle {
    const tracked = { kind, member, handle };
    this.tracked.push(tracked);
    this.onTrack?.(tracked);
    return handle;
  }

  help(member: number): InteractionHandle {
    const user = this.world.members[member];
    if (!user) throw new Error(`no member ${member}`);
    return this.track(
      'help',
      member,
      this.world.emu.injectChatInput({
        guildId: this.world.guild.id,
        channelId: this.world.channelId,
        userId: user.user.id,
        name: 'help',
      }),
    );
  }

  /** `/status` by the world's admin (member index -1). */
  status(): InteractionHandle {
    return this.track(
      'status',
      -1,
      this.world.emu.injectChatInput({
        guildId: this.world.guild.id,
        channelId: this.world.channelId,
        userId: this.world.admin.user.id,
        name: 'status',
      }),
    );
  }

  take(member: number, quiz: SeededQuiz): InteractionHandle {
    const user = this.world.members[member];
    if (!user) throw new Error(`no member ${member}`);
    return this.track(
      'take',
      member,
      this.world.emu.injectChatInput({
        guildId: this.world.guild.id,
        channelId: this.world.channelId,
        userId: user.user.id,
        name: 'quiz',
        options: [{ type: 1, name: 'take', options: [{ type: 3, name: 'quiz', value: String(quiz.id) }] }],
      }),
    );
  }

  /** The member's newest quiz message (the one its answer buttons are on). */
  latestMessage(member: number): APIMessage | undefined {
    const user = this.world.members[member];
    return user ? this.#views.get(user.user.id)?.latest : undefined;
  }

  /**
   * Waits until `ready(latest message)` holds for the member's newest quiz message; resolves with
   * that message, or undefined after `timeoutMs` (or on abort).
   */
  async waitForMemberMessage(
    member: number,
    ready: (message: APIMessage) => boolean,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<APIMessage | undefined> {
    const user = this.world.members[member];
    if (!user) throw new Error(`no member ${member}`);
    const view = this.#view(user.user.id);
    const check = () => (view.latest !== undefined && ready(view.latest) ? view.latest : undefined);
    const now = check();
    if (now || signal?.aborted) return now;
    return new Promise((resolve) => {
      const done = (value: APIMessage | undefined) => {
        clearTimeout(timer);
        view.wake.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const wake = () => {
        const found = check();
        if (found) done(found);
      };
      const onAbort = () => done(undefined);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      view.wake.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Presses the answer button `choice` (default random) on `message`. */
  answer(member: number, message: APIMessage, choice?: number): InteractionHandle | undefined {
    const buttons = answerButtons(message);
    if (buttons.length === 0) return undefined;
    const index = choice ?? Math.floor(Math.random() * buttons.length);
    const button = buttons[Math.min(index, buttons.length - 1)] as { customId: string };
    return this.click(member, message, button.customId, 'answer');
  }

  click(member: number, message: APIMessage, customId: string, kind: InteractionKind): InteractionHandle {
    const user = this.world.members[member];
    if (!user) throw new Error(`no member ${member}`);
    return this.track(
      kind,
      member,
      this.world.emu.injectComponent({ messageId: message.id, customId, userId: user.user.id }),
    );
  }

  /**
   * One member takes one quiz: `/quiz take`, then for every question a think time and a click on
   * an answer (and, when `clickNext`, on "Next question" instead of waiting for the auto-advance),
   * until the result (or `answers` answers, or the signal). Returns how it ended.
   */
  async takeQuiz(
    member: number,
    quiz: SeededQuiz,
    options: { thinkMs?: [number, number]; answers?: number; clickNext?: boolean; signal?: AbortSignal } = {},
  ): Promise<'completed' | 'ended' | 'stopped' | 'stalled' | 'failed'> {
    const [thinkMin, thinkMax] = options.thinkMs ?? [300, 1500];
    const think = () => sleep(thinkMin + Math.random() * (thinkMax - thinkMin), options.signal);
    const waitMs = quiz.timerSeconds * 1000 + 15_000; // a timeout + the feedback pause + slack
    this.#forgetLatest(member); // the previous quiz's result is not this one's
    const start = this.take(member, quiz);
    this.#quizzesStarted += 1;
    if (!(await firstResponse(start, 10_000, options.signal))) return 'failed';
    let answers = 0;
    let leftRunning = false;
    let answered: string | undefined; // question key of the last answered question
    let nextClicked: string | undefined;
    try {
      for (;;) {
        const message = await this.waitForMemberMessage(
          member,
          (m) =>
            isFinalMessage(m) ||
            startOverButton(m) !== undefined ||
            (questionKey(m) !== undefined && questionKey(m) !== answered) ||
            (options.clickNext === true && nextButton(m) !== undefined && nextClicked !== answered),
          waitMs,
          options.signal,
        );
        if (options.signal?.aborted) return 'stopped';
        if (!message) {
          this.#stalled += 1;
          return 'stalled';
        }
        const startOver = startOverButton(message);
        if (startOver) {
          // This quiz's attempt was interrupted (a restart, a kill -9) and is offered back: the member
          // meant to take the quiz, so begins anew, as a person would.
          const restart = this.click(member, message, startOver, 'restart');
          if (!(await firstResponse(restart, 10_000, options.signal))) return 'failed';
          continue;
        }
        if (isFinalMessage(message)) {
          if (!isResultMessage(message)) return 'ended'; // refused, or ended early (e.g. shutdown)
          this.#quizzesCompleted += 1;
          return 'completed';
        }
        const key = questionKey(message);
        if (key === undefined || key === answered) {
          // Feedback with a "Next question" button: press it after a moment.
          const next = nextButton(message);
          nextClicked = answered;
          await think();
          if (options.signal?.aborted) return 'stopped';
          if (next) await firstResponse(this.click(member, message, next, 'next'), 10_000, options.signal);
          continue;
        }
        this.#markRunning(member, true);
        if (options.answers !== undefined && answers >= options.answers) {
          leftRunning = true; // the session stays open on purpose (e.g. to be interrupted)
          return 'stopped';
        }
        await think();
        if (options.signal?.aborted) return 'stopped';
        const click = this.answer(member, message);
        if (!click) continue;
        answered = key;
        answers += 1;
        if (!(await firstResponse(click, 10_000, options.signal))) return 'failed';
        this.#answered += 1;
      }
    } finally {
      if (!leftRunning) this.#markRunning(member, false);
    }
  }

  /** Marks a member's session finished for the running-sessions count (e.g. after SIGTERM). */
  #markRunning(member: number, running: boolean): void {
    if (running) this.#running.add(member);
    else this.#running.delete(member);
    if (this.#running.size > this.#peakRunning) {
      this.#peakRunning = this.#running.size;
      this.#rssAtPeakSessions = processRssMb(this.bot.child.pid);
    }
  }

  get runningSessions(): number {
    return this.#running.size;
  }

  /** RSS (from /proc) measured when the running-session count last reached a new peak. */
  get rssAtPeakSessionsMb(): number | undefined {
    return this.#rssAtPeakSessions;
  }

  /**
   * Runs `members` member scripts with a linear start ramp for `durationMs`, then lets the ones in
   * a quiz finish it (bounded) and waits for every reply (bounded).
   */
  async runMembers(options: MemberRunOptions): Promise<void> {
    const count = Math.min(options.members, this.world.members.length);
    const start = performance.now();
    const deadline = start + options.durationMs;
    const think = options.thinkMs ?? [300, 1500];
    const stop = options.signal;
    // Every member waits on the same signal.
    if (stop) setMaxListeners(count * 4 + 10, stop);
    const memberScript = async (member: number) => {
      await sleep(count > 1 ? (options.rampMs * member) / count : 0, stop);
      let taken = 0;
      while (!stop?.aborted && performance.now() < deadline) {
        if (options.mode === 'take') {
          if (options.quizzesPerMember !== undefined && taken >= options.quizzesPerMember) break;
          const quiz = this.world.quizzes[(member + taken) % this.world.quizzes.length];
          if (!quiz) break;
          taken += 1;
          const outcome = await this.takeQuiz(member, quiz, {
            thinkMs: think,
            clickNext: options.clickNext ?? true,
            ...(options.answersPerQuiz !== undefined ? { answers: options.answersPerQuiz } : {}),
            ...(stop ? { signal: stop } : {}),
          });
          if (outcome === 'stopped' && options.answersPerQuiz !== undefined) break;
          if (outcome === 'failed' || outcome === 'ended') await sleep(think[1], stop);
        } else {
          await firstResponse(this.help(member), 10_000, stop);
          await sleep(think[0] + Math.random() * (think[1] - think[0]), stop);
        }
      }
    };
    const adminScript = async () => {
      // In commands mode the admin also asks for /status now and then (a heavier, DB-free reply).
      while (options.mode === 'commands' && !stop?.aborted && performance.now() < deadline) {
        await firstResponse(this.status(), 10_000, stop);
        await sleep(1000, stop);
      }
    };
    await Promise.all([...Array.from({ length: count }, (_, i) => memberScript(i)), adminScript()]);
    // Stopped from outside: the caller decides whether to wait for the replies (drain()).
    if (!stop?.aborted) await this.drain(10_000);
    this.#runWindow = { start, end: performance.now() };
  }

  /** Waits (bounded) until every tracked interaction delivered to the bot has an initial callback. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.tracked.every((t) => t.handle.deliveredTo === 0 || callbacksOf(t.handle) > 0)) return;
      await sleep(100);
    }
  }

  // ── results ────────────────────────────────────────────────────────────

  errors(): LoadErrors {
    let unanswered = 0;
    let answeredTwice = 0;
    let errorReplies = 0;
    for (const t of this.tracked) {
      const callbacks = callbacksOf(t.handle);
      if (t.handle.deliveredTo > 0 && callbacks === 0) unanswered += 1;
      if (callbacks + t.handle.errors.filter((e) => e.code === 40060).length > 1) answeredTwice += 1;
      if (t.handle.responses.some((r) => isErrorReply(messageText(r.data as unknown as APIMessage))))
        errorReplies += 1;
    }
    const calls = this.world.emu.restCalls.slice(this.#restCallsAtStart).filter((c) => !c.fault);
    return {
      unanswered,
      answeredTwice,
      errorReplies,
      http4xx: calls.filter((c) => c.status >= 400 && c.status < 500).length,
      http5xx: calls.filter((c) => c.status >= 500).length,
      stalledQuizzes: this.#stalled,
    };
  }

  summary(options: Pick<MemberRunOptions, 'mode' | 'members' | 'durationMs' | 'rampMs'>): LoadSummary {
    const window = this.#runWindow ?? { start: this.#started, end: performance.now() };
    const elapsedSeconds = (window.end - window.start) / 1000;
    const firstReplies = this.tracked
      .map((t) => t.handle.responses[0]?.elapsedMs)
      .filter((ms): ms is number => ms !== undefined);
    const restCalls = this.world.emu.restCalls.length - this.#restCallsAtStart;
    const rss = this.timeline.map((s) => s.rssMb).filter((v): v is number => v !== undefined);
    const loop = this.timeline.map((s) => s.eventLoopDelayP99Ms).filter((v): v is number => v !== undefined);
    return {
      mode: options.mode,
      members: options.members,
      durationSeconds: options.durationMs / 1000,
      rampSeconds: options.rampMs / 1000,
      elapsedSeconds,
      interactions: this.tracked.length,
      interactionsPerSecond: elapsedSeconds > 0 ? this.tracked.length / elapsedSeconds : 0,
      firstReplyMs: percentiles(firstReplies),
      quizzesStarted: this.#quizzesStarted,
      quizzesCompleted: this.#quizzesCompleted,
      answeredQuestions: this.#answered,
      restCalls,
      restCallsPerAnsweredQuestion: this.#answered > 0 ? restCalls / this.#answered : null,
      errors: this.errors(),
      healthLatencyMs: percentiles(
        this.timeline.map((s) => s.latencyMs).filter((v): v is number => v !== undefined),
      ),
      rssMb: {
        idle: this.rssIdleMb,
        peak: rss.length > 0 ? Math.max(...rss) : undefined,
        atPeakSessions: this.#rssAtPeakSessions,
      },
      peakRunningSessions: this.#peakRunning,
      eventLoopDelayP99MaxMs: loop.length > 0 ? Math.max(...loop) : undefined,
      loadGeneratorLoopDelayMs: {
        p50: this.#ownLoopDelay.percentile(50) / 1e6,
        p99: this.#ownLoopDelay.percentile(99) / 1e6,
        max: this.#ownLoopDelay.max / 1e6,
      },
      timeline: this.timeline,
    };
  }

  #forgetLatest(member: number): void {
    const user = this.world.members[member];
    if (user) this.#view(user.user.id).latest = undefined;
  }

  #view(userId: string): MemberView {
    let view = this.#views.get(userId);
    if (!view) {
      view = { latest: undefined, wake: new Set() };
      this.#views.set(userId, view);
    }
    return view;
  }
}

/** Initial callbacks the emulator accepted for an interaction. */
export function callbacksOf(handle: InteractionHandle): number {
  return handle.responses.filter((r) => r.kind === 'callback').length;
}
