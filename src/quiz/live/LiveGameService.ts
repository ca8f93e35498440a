/**
 * Runs live games: feeds events into the pure machine (`LiveGame.ts`), carries out its effects
 * one at a time per game (channel messages, fenced writes, timers), and holds a lease on every
 * game it runs so that two processes never run the same game. Games it does not run are taken
 * over when their lease is free (after a restart, a rollout or a crash) by a process that sees
 * the game's guild, and continue from their stored state.
 */
import { randomBytes } from 'node:crypto';
import type { QuizAnalytics } from '../../analytics/index.js';
import type { Clock, Scheduler } from '../../clock.js';
import { retry } from '../../retry.js';
import type { GuildSettingsRepository, QuizRepository } from '../ports.js';
import type { Quiz } from '../types.js';
import {
  type AnswerOutcome,
  DEFAULT_LIVE_RULES,
  isActive,
  type LiveEffect,
  type LiveEndReason,
  type LiveEvent,
  type LiveGameState,
  type LiveRules,
  maxScoreOf,
  newLiveGame,
  type RankedPlayer,
  reduceLiveGame,
} from './LiveGame.js';
import {
  LiveChannelGoneError,
  type LiveCreateOutcome,
  type LiveGameChannel,
  type LiveGameRepository,
  type LivePodiumView,
} from './ports.js';

/** The analytics calls a live game makes (answers and completions with mode `live`). */
export type LiveAnalytics = Pick<
  QuizAnalytics,
  'recordQuizStart' | 'recordAnswer' | 'recordQuizCompletion' | 'recordError'
>;

export interface LiveLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Prometheus: `badgey_game_players`, `badgey_live_edits_deferred_total` (games running is read from the service). */
export interface LiveObserver {
  gameFinished(players: number): void;
  counterDeferred(): void;
}

export interface LiveGameServiceOptions {
  repository: LiveGameRepository;
  quizzes: Pick<QuizRepository, 'listQuestions'>;
  guildSettings: Pick<GuildSettingsRepository, 'get'>;
  channel: LiveGameChannel;
  clock: Clock;
  scheduler: Scheduler;
  analytics: LiveAnalytics;
  logger: LiveLogger;
  observer?: LiveObserver;
  /** This process's lease owner name (unique per process). Default: random. */
  ownerId?: string;
  /** How long a lease lasts without renewal. Default 30 s. */
  leaseMs?: number;
  /** How often leases are renewed and free games looked for. Default leaseMs / 3. */
  pollIntervalMs?: number;
  /** Scheduled + running games per guild. */
  maxGamesPerGuild: number;
  rules?: Partial<LiveRules>;
  /** Whether this process serves the guild (its shard is here). Free games of other guilds are left alone. */
  isLocalGuild(guildId: string): boolean;
  /** How often the "N answered" counter may be refreshed. Default 3 s. */
  counterIntervalMs?: number;
}

export type HostError =
  | { kind: 'noQuestions'; quizName: string }
  | { kind: 'channelBusy' }
  | { kind: 'guildCap'; cap: number }
  | { kind: 'channelGone'; reason: 'channel_deleted' | 'no_access' };

export type HostResult = { ok: true; game: LiveGameState } | { ok: false; error: HostError };

export interface HostInput {
  guildId: string;
  channelId: string;
  hostId: string;
  quiz: Quiz;
  /** Epoch ms; null: a lobby with Start now / Cancel. */
  startsAt: number | null;
  /** The language of the game's public posts (the server's, decided by the command); default en-US. */
  locale?: string;
}

/** What a click is told. `elsewhere`: another process runs this game and answers it. */
export type LiveAnswerResult = AnswerOutcome | { ok: false; reason: 'elsewhere' };

/** Calls to one channel within this window count against the budget the counter may use. */
/** Mode label for analytics (`answers_by_mode`, `quizzes_*_by_mode`) and attempts. */
const LIVE_MODE = 'live';
const CHANNEL_WINDOW_MS = 5_000;
/** The counter is refreshed only while fewer calls than this were made in the window, leaving room for reveals. */
const COUNTER_BUDGET = 2;
/** No counter refresh this close to the reveal: the reveal edit must not queue behind one. */
const COUNTER_QUIET_MS = 2_500;
const EFFECT_RETRIES = 4;

class RunningGame {
  state: LiveGameState;
  #queue: Promise<void> = Promise.resolve();
  #cancelWake: (() => void) | undefined;
  #cancelCounter: (() => void) | undefined;
  #counterShown = 0;
  #counterBusy = false;
  readonly calls: number[] = [];
  stopped = false;

  constructor(
    state: LiveGameState,
    readonly service: LiveGameService,
  ) {
    this.state = state;
  }

  dispatch(event: LiveEvent): AnswerOutcome | undefined {
    if (this.stopped) return undefined;
    const t = reduceLiveGame(this.state, event, this.service.clock.now(), this.service.rules);
    this.state = t.state;
    const snapshot = t.state;
    for (const effect of t.effects) {
      if (effect.kind === 'wake') {
        this.#wake(effect.at);
        continue;
      }
      this.#queue = this.#queue
        .then(() => (this.stopped ? undefined : this.service.runEffect(this, effect, snapshot)))
        .catch((error: unknown) => this.service.effectFailed(this, effect, error));
    }
    return t.answer;
  }

  /** Resolves when every queued effect has run. */
  idle(): Promise<void> {
    return this.#queue;
  }

  #wake(at: number): void {
    this.#cancelWake?.();
    const delay = Math.max(0, at - this.service.clock.now());
    this.#cancelWake = this.service.scheduler.schedule(delay, () => {
      this.#cancelWake = undefined;
      this.dispatch({ type: 'tick' });
    });
  }

  noteCall(): void {
    const now = this.service.clock.now();
    this.calls.push(now);
    while (this.calls.length > 0 && (this.calls[0] ?? now) <= now - CHANNEL_WINDOW_MS) this.calls.shift();
  }

  startCounter(): void {
    this.stopCounter();
    this.#counterShown = 0;
    const tick = (): void => {
      this.#cancelCounter = this.service.scheduler.schedule(this.service.counterIntervalMs, () => {
        void this.#refreshCounter().finally(() => {
          if (!this.stopped && this.state.phase === 'asking') tick();
        });
      });
    };
    tick();
  }

  stopCounter(): void {
    this.#cancelCounter?.();
    this.#cancelCounter = undefined;
  }

  async #refreshCounter(): Promise<void> {
    const state = this.state;
    const answered = state.answers.length;
    if (state.phase !== 'asking' || answered === this.#counterShown || this.#counterBusy) return;
    const now = this.service.clock.now();
    this.noteCall();
    this.calls.pop(); // only counting, not a call yet
    if ((state.revealAt ?? 0) - now < COUNTER_QUIET_MS || this.calls.length >= COUNTER_BUDGET) {
      this.service.observer?.counterDeferred();
      return;
    }
    this.#counterBusy = true;
    try {
      this.noteCall();
      await this.service.channel.updateCounter(state, answered);
      this.#counterShown = answered;
    } catch {
      // A counter is cosmetic: the reveal reports the real numbers.
    } finally {
      this.#counterBusy = false;
    }
  }

  stop(): void {
    this.stopped = true;
    this.#cancelWake?.();
    this.stopCounter();
  }
}

export class LiveGameService {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly channel: LiveGameChannel;
  readonly observer: LiveObserver | undefined;
  readonly rules: LiveRules;
  readonly counterIntervalMs: number;
  readonly ownerId: string;
  readonly #options: LiveGameServiceOptions;
  readonly #repo: LiveGameRepository;
  readonly #running = new Map<string, RunningGame>();
  readonly #leaseMs: number;
  readonly #pollMs: number;
  #cancelPoll: (() => void) | undefined;
  #polling = false;
  #stopped = false;

  constructor(options: LiveGameServiceOptions) {
    this.#options = options;
    this.#repo = options.repository;
    this.clock = options.clock;
    this.scheduler = options.scheduler;
    this.channel = options.channel;
    this.observer = options.observer;
    this.rules = { ...DEFAULT_LIVE_RULES, ...options.rules };
    this.counterIntervalMs = options.counterIntervalMs ?? 3_000;
    this.ownerId = options.ownerId ?? `badgey-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#pollMs = options.pollIntervalMs ?? Math.max(250, Math.floor(this.#leaseMs / 3));
  }

  /** Games this process runs right now (`badgey_games_running`). */
  get runningCount(): number {
    return this.#running.size;
  }

  /** Ids of the games this process runs (tests, /quiz games). */
  runningIds(): string[] {
    return [...this.#running.keys()];
  }

  /** Starts renewing leases and taking over free games of local guilds; the first look is immediate. */
  start(): void {
    if (this.#stopped || this.#cancelPoll) return;
    const loop = (): void => {
      this.#cancelPoll = this.scheduler.schedule(this.#pollMs, () => {
        void this.poll().finally(() => {
          if (!this.#stopped) loop();
        });
      });
    };
    void this.poll().finally(() => {
      if (!this.#stopped) loop();
    });
  }

  /** One round: renew held leases (dropping games another process took), then claim free local games. */
  async poll(): Promise<void> {
    if (this.#polling || this.#stopped) return;
    this.#polling = true;
    try {
      const now = this.clock.now();
      const ids = [...this.#running.keys()];
      if (ids.length > 0) {
        const held = new Set(await this.#repo.renew(this.ownerId, ids, now + this.#leaseMs));
        for (const id of ids) {
          if (held.has(id)) continue;
          const game = this.#running.get(id);
          // Cancelled elsewhere, or another process took over after we stalled: stop quietly.
          if (game && isActive(game.state)) this.#drop(game, 'lease lost or game cancelled elsewhere');
        }
      }
      const free = await this.#repo.claimable(now, 50);
      for (const { id, guildId } of free) {
        if (this.#stopped || this.#running.has(id) || !this.#options.isLocalGuild(guildId)) continue;
        const state = await this.#repo.claim(id, { owner: this.ownerId, until: now + this.#leaseMs }, now);
        if (!state) continue;
        this.#options.logger.info(
          { gameId: id, status: state.status, question: state.index + 1 },
          'live game taken over',
        );
        const game = this.#track(state);
        game.dispatch({ type: 'resumed' });
      }
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'live games: lease round failed');
    } finally {
      this.#polling = false;
    }
  }

  async host(input: HostInput): Promise<HostResult> {
    const questions = await this.#options.quizzes.listQuestions(input.guildId, input.quiz.id);
    if (questions.length === 0)
      return { ok: false, error: { kind: 'noQuestions', quizName: input.quiz.name } };
    const limited =
      input.quiz.questionLimit === null ? questions : questions.slice(0, input.quiz.questionLimit);
    const ordered = input.quiz.shuffle ? shuffled(limited) : limited;
    const now = this.clock.now();
    const state = newLiveGame(
      {
        id: randomBytes(6).toString('hex'),
        guildId: input.guildId,
        channelId: input.channelId,
        quizId: input.quiz.id,
        quizName: input.quiz.name,
        hostId: input.hostId,
        ...(input.locale === undefined ? {} : { locale: input.locale }),
        timerSeconds: input.quiz.timerSeconds,
        questions: ordered.map((q) => ({
          text: q.text,
          options: q.options,
          correctIndex: q.correctIndex,
          points: q.points,
          explanation: q.explanation,
        })),
        startsAt: input.startsAt,
      },
      now,
    );
    const created: LiveCreateOutcome = await this.#repo.create(
      state,
      { owner: this.ownerId, until: now + this.#leaseMs },
      this.#options.maxGamesPerGuild,
    );
    if (!created.ok)
      return {
        ok: false,
        error:
          created.reason === 'guild_cap' ? { kind: 'guildCap', cap: created.cap } : { kind: 'channelBusy' },
      };
    const game = this.#track(state);
    try {
      const messageId = await this.channel.postLobby(state);
      game.dispatch({ type: 'lobbyPosted', messageId });
    } catch (error) {
      const reason = error instanceof LiveChannelGoneError ? error.reason : 'no_access';
      game.dispatch({ type: 'end', reason });
      await game.idle();
      return { ok: false, error: { kind: 'channelGone', reason } };
    }
    game.dispatch({ type: 'resumed' }); // a scheduled game waits for its start time
    return { ok: true, game: game.state };
  }

  /** Start now (lobby). False when the game is not waiting here. */
  startNow(gameId: string): boolean {
    const game = this.#running.get(gameId);
    if (!game || (game.state.status !== 'lobby' && game.state.status !== 'scheduled')) return false;
    game.dispatch({ type: 'start' });
    return true;
  }

  /** Cancels (before the start) or ends (running) a game of the guild, wherever it runs. */
  async cancel(guildId: string, gameId: string): Promise<boolean> {
    const game = this.#running.get(gameId);
    if (game && game.state.guildId === guildId && isActive(game.state)) {
      game.dispatch({ type: 'end', reason: 'cancelled' });
      await game.idle();
      return true;
    }
    return this.#repo.cancel(guildId, gameId, this.clock.now());
  }

  /** A click on an answer button. Synchronous in memory: the acknowledgement never waits for I/O. */
  async answer(input: {
    gameId: string;
    userId: string;
    messageId: string;
    optionIndex: number;
    clickedAt: number;
  }): Promise<LiveAnswerResult> {
    const game = this.#running.get(input.gameId);
    if (game) {
      return (
        game.dispatch({
          type: 'answer',
          userId: input.userId,
          messageId: input.messageId,
          optionIndex: input.optionIndex,
          clickedAt: input.clickedAt,
        }) ?? { ok: false, reason: 'closed' }
      );
    }
    // Not ours: if another process runs it, that process answers the click.
    const stored = await this.#repo.get(input.gameId);
    if (stored && isActive(stored) && stored.status === 'running') return { ok: false, reason: 'elsewhere' };
    return { ok: false, reason: 'closed' };
  }

  /** The game a question/lobby belongs to, when this process runs it. */
  local(gameId: string): LiveGameState | undefined {
    return this.#running.get(gameId)?.state;
  }

  listActive(guildId: string): Promise<LiveGameState[]> {
    return this.#repo.listActive(guildId);
  }

  /** A quiz was deleted: its running games end with results so far (no attempts can be stored). */
  quizDeleted(quizId: number): void {
    for (const game of this.#running.values()) {
      if (game.state.quizId === quizId && isActive(game.state))
        game.dispatch({ type: 'end', reason: 'quiz_deleted' });
    }
  }

  /** A channel was deleted (gateway event): its game ends at once instead of at its next message. */
  channelDeleted(channelId: string): void {
    for (const game of this.#running.values()) {
      if (game.state.channelId === channelId && isActive(game.state))
        game.dispatch({ type: 'end', reason: 'channel_deleted' });
    }
  }

  /**
   * SIGTERM: stop timers, let the effect in progress finish (bounded), and give the leases up so
   * the next process resumes every game at once. Nothing is ended: state is stored at every step.
   */
  async shutdown(timeoutMs = 3_000): Promise<number> {
    this.#stopped = true;
    this.#cancelPoll?.();
    const games = [...this.#running.values()];
    for (const game of games) game.stop();
    await Promise.race([
      Promise.allSettled(games.map((g) => g.idle())),
      new Promise((resolve) => setTimeout(resolve, timeoutMs)),
    ]);
    const ids = games.filter((g) => isActive(g.state)).map((g) => g.state.id);
    this.#running.clear();
    try {
      await this.#repo.release(this.ownerId, ids);
    } catch (error) {
      // The leases then expire on their own; the games resume a little later.
      this.#options.logger.warn({ err: error }, 'live games: could not release leases at shutdown');
    }
    return ids.length;
  }

  #track(state: LiveGameState): RunningGame {
    const game = new RunningGame(state, this);
    this.#running.set(state.id, game);
    return game;
  }

  #drop(game: RunningGame, why: string): void {
    game.stop();
    this.#running.delete(game.state.id);
    this.#options.logger.info({ gameId: game.state.id }, `live game stopped here: ${why}`);
  }

  /** Runs one effect of a game (called in order from the game's queue). */
  async runEffect(game: RunningGame, effect: LiveEffect, snapshot: LiveGameState): Promise<void> {
    switch (effect.kind) {
      case 'persist': {
        const saved = await retryEffect(() => this.#repo.save(snapshot, this.ownerId));
        if (!saved) this.#drop(game, 'lease lost or game cancelled elsewhere');
        return;
      }
      case 'wake':
        return;
      case 'lobby':
        if (snapshot.lobbyMessageId !== null) {
          game.noteCall();
          await this.channel.editLobby(snapshot).catch((error: unknown) => {
            // A lobby that cannot be edited does not stop a game; a gone channel shows at the first question.
            if (!(error instanceof LiveChannelGoneError)) throw error;
          });
        }
        if (!isActive(snapshot)) {
          // Cancelled before it started: nothing more to run here.
          this.#running.delete(snapshot.id);
          game.stop();
        }
        return;
      case 'askQuestion': {
        game.noteCall();
        const posted = await retryEffect(() =>
          this.channel.postQuestion({ game: snapshot, index: effect.index, reasked: effect.reasked }),
        );
        game.dispatch({ type: 'questionPosted', index: effect.index, ...posted });
        game.startCounter();
        return;
      }
      case 'reveal': {
        game.stopCounter();
        for (const answer of snapshot.answers) {
          const question = snapshot.questions[effect.index];
          this.#options.analytics.recordAnswer(
            answer.optionIndex === question?.correctIndex,
            answer.elapsedMs / 1000,
            {
              mode: LIVE_MODE,
            },
          );
        }
        game.noteCall();
        await retryEffect(() =>
          this.channel.reveal({
            game: snapshot,
            index: effect.index,
            messageId: effect.messageId,
            counts: effect.counts,
            answered: effect.answered,
            fastest: effect.fastest,
          }),
        );
        return;
      }
      case 'standings':
        game.noteCall();
        await retryEffect(() => this.channel.postStandings(snapshot, effect.top, effect.more));
        return;
      case 'finish':
        await this.#finish(game, snapshot, effect.ranking, effect.reason);
        return;
    }
  }

  async #finish(
    game: RunningGame,
    state: LiveGameState,
    ranking: RankedPlayer[],
    reason: LiveEndReason,
  ): Promise<void> {
    game.stop();
    const revealed = reason === 'completed' ? state.questions.length : countRevealed(state);
    const questionCount = Math.max(1, revealed);
    const maxScore = maxScoreOf(state.questions.slice(0, questionCount));
    const attempts =
      revealed === 0
        ? []
        : ranking.map((p) => ({ userId: p.userId, score: p.score, correctCount: p.correct }));
    const outcome = await retryEffect(() =>
      this.#repo.finish({ state, owner: this.ownerId, attempts, maxScore, questionCount }),
    );
    this.#running.delete(state.id);
    if (outcome === 'lost_lease') {
      this.#options.logger.warn(
        { gameId: state.id },
        'live game finished elsewhere; not storing results here',
      );
      return;
    }
    const stored = outcome === 'stored' && attempts.length > 0;
    const durationSeconds = Math.max(
      0,
      ((state.endedAt ?? this.clock.now()) - (state.startedAt ?? state.createdAt)) / 1000,
    );
    if (stored) {
      for (const p of ranking) {
        this.#options.analytics.recordQuizStart(p.userId, state.quizId, state.guildId, { mode: LIVE_MODE });
        this.#options.analytics.recordQuizCompletion(p.userId, state.quizId, durationSeconds, p.score, {
          mode: LIVE_MODE,
        });
      }
    }
    this.observer?.gameFinished(ranking.length);
    this.#options.logger.info(
      { gameId: state.id, reason, players: ranking.length, questions: revealed },
      'live game finished',
    );
    const view: LivePodiumView = { game: state, ranking, reason, stored };
    if (reason !== 'channel_deleted' && reason !== 'no_access') {
      await this.channel.postPodium(view).catch((error: unknown) => {
        if (!(error instanceof LiveChannelGoneError)) throw error;
      });
    }
    if (reason === 'cancelled' && ranking.length === 0) return;
    const settings = await this.#options.guildSettings.get(state.guildId);
    const resultsChannel = settings.resultsChannelId;
    if (resultsChannel && resultsChannel !== state.channelId) {
      await this.channel.postResults(resultsChannel, view).catch((error: unknown) => {
        this.#options.logger.warn({ err: error, gameId: state.id }, 'live game: results post failed');
      });
    }
  }

  /** An effect failed after its retries. A gone channel ends the game; anything else is logged. */
  effectFailed(game: RunningGame, effect: LiveEffect, error: unknown): void {
    if (error instanceof LiveChannelGoneError) {
      if (isActive(game.state)) {
        this.#options.logger.info(
          { gameId: game.state.id, reason: error.reason },
          'live game channel unusable',
        );
        game.dispatch({ type: 'end', reason: error.reason });
      }
      return;
    }
    this.#options.logger.error(
      { err: error, gameId: game.state.id, effect: effect.kind },
      'live game step failed',
    );
    this.#options.analytics.recordError('live_game_step_failed', error);
    // The stored state is the last good step: let another round (this process or another) resume it.
    if (isActive(game.state)) {
      this.#running.delete(game.state.id);
      game.stop();
      void this.#repo.release(this.ownerId, [game.state.id]).catch(() => undefined);
    }
  }
}

function countRevealed(state: LiveGameState): number {
  if (state.index < 0) return 0;
  return state.phase === 'revealed' ? state.index + 1 : state.index;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomBytes(4).readUInt32BE(0) % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Retries transient failures (not a gone channel) with a short backoff, through the one retry helper. */
function retryEffect<T>(work: () => Promise<T>): Promise<T> {
  return retry(() => work(), {
    initialDelayMs: 500,
    attempts: EFFECT_RETRIES,
    retryIf: (error) => !(error instanceof LiveChannelGoneError),
  });
}
