/**
 * The rules of a live channel game, as a pure state machine: `reduceLiveGame(state, event, now)`
 * returns the next state and the effects to carry out (post a question, reveal, persist, wake
 * later). No I/O, no timers, no Discord: the clock is the `now` argument, so tests drive it.
 *
 * Life of a game: `scheduled` (waits for `startsAt`) or `lobby` (waits for the host's Start now)
 * → `running` (per question: `posting` → `asking` until the timer ends → `revealed` for a short
 * interlude) → `finished` (or `cancelled` before it started). Scores of a question are added to
 * the players' totals at its reveal, so the persisted state always holds exactly the scores that
 * were announced; an interrupted question is asked again after a restart.
 */
import { scoreAnswer } from '../scoring.js';

export const LIVE_STATUSES = ['scheduled', 'lobby', 'running', 'finished', 'cancelled'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];
/** A game that still holds its channel (one per channel). */
export const ACTIVE_LIVE_STATUSES: readonly LiveStatus[] = ['scheduled', 'lobby', 'running'];

export type LivePhase = 'posting' | 'asking' | 'revealed';

/** Why a game ended: played to the end, cancelled, or its channel/quiz/messages became unusable. */
export type LiveEndReason = 'completed' | 'cancelled' | 'channel_deleted' | 'no_access' | 'quiz_deleted';

export interface LiveQuestion {
  text: string;
  options: string[];
  correctIndex: number;
  points: number;
  explanation: string | null;
}

export interface LivePlayer {
  userId: string;
  score: number;
  correct: number;
  answered: number;
  /** Sum of the time to each correct answer (ms): breaks ties, faster first. */
  correctMs: number;
}

export interface LiveAnswer {
  userId: string;
  optionIndex: number;
  elapsedMs: number;
  points: number;
}

export interface LiveGameState {
  id: string;
  guildId: string;
  channelId: string;
  quizId: number;
  quizName: string;
  hostId: string;
  /**
   * The language of the game's public posts (a locale code), fixed when it is hosted from the
   * server's language, so a game resumed by another process keeps speaking it.
   */
  locale: string;
  timerSeconds: number;
  /** A snapshot taken when the game was hosted: editing the quiz later does not change a game. */
  questions: LiveQuestion[];
  status: LiveStatus;
  /** When a scheduled game starts (epoch ms); null for a lobby waiting for Start now. */
  startsAt: number | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  endReason: LiveEndReason | null;
  lobbyMessageId: string | null;
  /** The current question (0-based); -1 before the first. */
  index: number;
  phase: LivePhase | null;
  questionMessageId: string | null;
  /** The question message's own timestamp: `t` of the time-decay score counts from here. */
  askedAt: number | null;
  revealAt: number | null;
  nextAt: number | null;
  /** Times the current question was asked again after a restart. */
  reasked: number;
  /** Scored players (totals up to the last reveal). */
  players: Record<string, LivePlayer>;
  /** First answers to the current question (not persisted across a restart: it is asked again). */
  answers: LiveAnswer[];
}

export interface RankedPlayer extends LivePlayer {
  rank: number;
}

export type LiveEvent =
  | { type: 'lobbyPosted'; messageId: string }
  | { type: 'start' }
  | { type: 'questionPosted'; index: number; messageId: string; postedAt: number }
  | { type: 'answer'; userId: string; messageId: string; optionIndex: number; clickedAt: number }
  | { type: 'tick' }
  /** This process took the game over (start-up, or another process's lease expired). */
  | { type: 'resumed' }
  | { type: 'end'; reason: Exclude<LiveEndReason, 'completed'> };

export type LiveEffect =
  /** Store the state (always first when scores or the phase changed). */
  | { kind: 'persist' }
  /** Run a `tick` at this time. */
  | { kind: 'wake'; at: number }
  | { kind: 'lobby'; state: 'started' | 'cancelled' }
  | { kind: 'askQuestion'; index: number; reasked: boolean }
  | {
      kind: 'reveal';
      index: number;
      messageId: string;
      counts: number[];
      answered: number;
      fastest: { userId: string; elapsedMs: number }[];
    }
  | { kind: 'standings'; index: number; top: RankedPlayer[]; more: number }
  /** The game is over: store every player's attempt, then show the podium. */
  | { kind: 'finish'; ranking: RankedPlayer[]; reason: LiveEndReason };

export type AnswerOutcome =
  | { ok: true; optionIndex: number }
  | { ok: false; reason: 'closed' }
  | { ok: false; reason: 'already'; optionIndex: number };

export interface LiveTransition {
  state: LiveGameState;
  effects: LiveEffect[];
  /** Set for `answer` events: what the clicking member is told. */
  answer?: AnswerOutcome;
}

export interface LiveRules {
  /** Pause between a reveal and the next question. */
  interludeMs: number;
  /** Players listed in the standings after each question. */
  standingsSize: number;
  /** Fastest correct players named in a reveal. */
  fastestSize: number;
}

export const DEFAULT_LIVE_RULES: LiveRules = { interludeMs: 5_000, standingsSize: 5, fastestSize: 3 };

/** The language of games stored before they had one (they spoke English). */
export const DEFAULT_LIVE_LOCALE = 'en-US';

/** What hosting a game fixes (the locale defaults to English); the rest of its state starts empty. */
export type NewLiveGame = Partial<Pick<LiveGameState, 'locale'>> &
  Pick<
    LiveGameState,
    | 'id'
    | 'guildId'
    | 'channelId'
    | 'quizId'
    | 'quizName'
    | 'hostId'
    | 'timerSeconds'
    | 'questions'
    | 'startsAt'
  >;

export function newLiveGame(input: NewLiveGame, now: number): LiveGameState {
  if (input.questions.length === 0) throw new RangeError('a live game needs at least one question');
  return {
    ...input,
    locale: input.locale ?? DEFAULT_LIVE_LOCALE,
    status: input.startsAt === null ? 'lobby' : 'scheduled',
    createdAt: now,
    startedAt: null,
    endedAt: null,
    endReason: null,
    lobbyMessageId: null,
    index: -1,
    phase: null,
    questionMessageId: null,
    askedAt: null,
    revealAt: null,
    nextAt: null,
    reasked: 0,
    players: {},
    answers: [],
  };
}

/** A stored state as read back: rows written before games had a locale get the default. */
export function restoreLiveGameState(
  stored: Omit<LiveGameState, 'locale'> & { locale?: string },
): LiveGameState {
  return { ...stored, locale: stored.locale ?? DEFAULT_LIVE_LOCALE };
}

/** Players by score (desc), then by total time to correct answers (asc), then by id; competition ranks. */
export function rankPlayers(players: Record<string, LivePlayer>): RankedPlayer[] {
  const sorted = Object.values(players).sort(
    (a, b) => b.score - a.score || a.correctMs - b.correctMs || (a.userId < b.userId ? -1 : 1),
  );
  const ranked: RankedPlayer[] = [];
  for (const [i, player] of sorted.entries()) {
    const previous = ranked[i - 1];
    const tied = previous && previous.score === player.score && previous.correctMs === player.correctMs;
    ranked.push({ ...player, rank: tied ? previous.rank : i + 1 });
  }
  return ranked;
}

/** The highest possible total, for attempts' max score. */
export function maxScoreOf(questions: readonly LiveQuestion[]): number {
  return questions.reduce((sum, q) => sum + q.points, 0);
}

export function isActive(state: LiveGameState): boolean {
  return ACTIVE_LIVE_STATUSES.includes(state.status);
}

/** When the game next needs a `tick`, or null when nothing is due by time. */
export function nextDeadline(state: LiveGameState): number | null {
  if (state.status === 'scheduled') return state.startsAt;
  if (state.status !== 'running') return null;
  if (state.phase === 'asking') return state.revealAt;
  if (state.phase === 'revealed') return state.nextAt;
  return null;
}

function start(state: LiveGameState, now: number): LiveTransition {
  const next: LiveGameState = {
    ...state,
    status: 'running',
    startedAt: now,
    index: 0,
    phase: 'posting',
    answers: [],
  };
  return {
    state: next,
    effects: [{ kind: 'persist' }, { kind: 'lobby', state: 'started' }, ask(next, false)],
  };
}

function ask(state: LiveGameState, reasked: boolean): LiveEffect {
  return { kind: 'askQuestion', index: state.index, reasked };
}

function reveal(state: LiveGameState, now: number, rules: LiveRules): LiveTransition {
  const question = state.questions[state.index];
  if (!question) throw new RangeError(`no question ${state.index}`);
  const players = { ...state.players };
  const counts = question.options.map(() => 0);
  for (const answer of state.answers) {
    counts[answer.optionIndex] = (counts[answer.optionIndex] ?? 0) + 1;
    const correct = answer.optionIndex === question.correctIndex;
    const before = players[answer.userId] ?? {
      userId: answer.userId,
      score: 0,
      correct: 0,
      answered: 0,
      correctMs: 0,
    };
    players[answer.userId] = {
      ...before,
      score: before.score + answer.points,
      answered: before.answered + 1,
      correct: before.correct + (correct ? 1 : 0),
      correctMs: before.correctMs + (correct ? answer.elapsedMs : 0),
    };
  }
  const fastest = state.answers
    .filter((a) => a.optionIndex === question.correctIndex)
    .sort((a, b) => a.elapsedMs - b.elapsedMs)
    .slice(0, rules.fastestSize)
    .map((a) => ({ userId: a.userId, elapsedMs: a.elapsedMs }));
  const last = state.index >= state.questions.length - 1;
  const revealEffect: LiveEffect = {
    kind: 'reveal',
    index: state.index,
    messageId: state.questionMessageId ?? '',
    counts,
    answered: state.answers.length,
    fastest,
  };
  const ranking = rankPlayers(players);
  if (last) {
    const done: LiveGameState = {
      ...state,
      players,
      answers: [],
      status: 'finished',
      phase: 'revealed',
      endedAt: now,
      endReason: 'completed',
      revealAt: null,
      nextAt: null,
    };
    // `finish` stores the attempts and the final state in one transaction: no separate persist.
    return { state: done, effects: [revealEffect, { kind: 'finish', ranking, reason: 'completed' }] };
  }
  const nextAt = now + rules.interludeMs;
  const revealed: LiveGameState = { ...state, players, answers: [], phase: 'revealed', nextAt };
  return {
    state: revealed,
    effects: [
      { kind: 'persist' },
      revealEffect,
      {
        kind: 'standings',
        index: state.index,
        top: ranking.slice(0, rules.standingsSize),
        more: Math.max(0, ranking.length - rules.standingsSize),
      },
      { kind: 'wake', at: nextAt },
    ],
  };
}

function tick(state: LiveGameState, now: number, rules: LiveRules): LiveTransition {
  const due = nextDeadline(state);
  if (due === null) return { state, effects: [] };
  if (now < due) return { state, effects: [{ kind: 'wake', at: due }] };
  if (state.status === 'scheduled') return start(state, now);
  if (state.phase === 'asking') return reveal(state, now, rules);
  // Interlude over: the next question.
  const next: LiveGameState = {
    ...state,
    index: state.index + 1,
    phase: 'posting',
    questionMessageId: null,
    askedAt: null,
    revealAt: null,
    nextAt: null,
    reasked: 0,
    answers: [],
  };
  return { state: next, effects: [{ kind: 'persist' }, ask(next, false)] };
}

function answer(state: LiveGameState, event: Extract<LiveEvent, { type: 'answer' }>): LiveTransition {
  const question = state.questions[state.index];
  if (
    state.status !== 'running' ||
    state.phase !== 'asking' ||
    !question ||
    event.messageId !== state.questionMessageId ||
    state.askedAt === null ||
    state.revealAt === null ||
    event.clickedAt >= state.revealAt
  ) {
    return { state, effects: [], answer: { ok: false, reason: 'closed' } };
  }
  const previous = state.answers.find((a) => a.userId === event.userId);
  if (previous) {
    return {
      state,
      effects: [],
      answer: { ok: false, reason: 'already', optionIndex: previous.optionIndex },
    };
  }
  if (
    !Number.isInteger(event.optionIndex) ||
    event.optionIndex < 0 ||
    event.optionIndex >= question.options.length
  )
    return { state, effects: [], answer: { ok: false, reason: 'closed' } };
  const elapsedMs = Math.max(0, event.clickedAt - state.askedAt);
  const points = scoreAnswer({
    points: question.points,
    timerSeconds: state.timerSeconds,
    elapsedMs,
    correct: event.optionIndex === question.correctIndex,
  });
  const added: LiveAnswer = { userId: event.userId, optionIndex: event.optionIndex, elapsedMs, points };
  return {
    state: { ...state, answers: [...state.answers, added] },
    effects: [],
    answer: { ok: true, optionIndex: event.optionIndex },
  };
}

function end(state: LiveGameState, reason: Exclude<LiveEndReason, 'completed'>, now: number): LiveTransition {
  if (!isActive(state)) return { state, effects: [] };
  if (state.status !== 'running') {
    const cancelled: LiveGameState = { ...state, status: 'cancelled', endedAt: now, endReason: reason };
    return { state: cancelled, effects: [{ kind: 'persist' }, { kind: 'lobby', state: 'cancelled' }] };
  }
  // Results so far: the revealed questions. Answers to the question in flight are not scored.
  const done: LiveGameState = {
    ...state,
    status: 'finished',
    endedAt: now,
    endReason: reason,
    answers: [],
    revealAt: null,
    nextAt: null,
  };
  return { state: done, effects: [{ kind: 'finish', ranking: rankPlayers(state.players), reason }] };
}

/** The machine. Unknown or out-of-place events leave the state unchanged with no effects. */
export function reduceLiveGame(
  state: LiveGameState,
  event: LiveEvent,
  now: number,
  rules: LiveRules = DEFAULT_LIVE_RULES,
): LiveTransition {
  switch (event.type) {
    case 'lobbyPosted':
      return { state: { ...state, lobbyMessageId: event.messageId }, effects: [{ kind: 'persist' }] };
    case 'start':
      if (state.status !== 'lobby' && state.status !== 'scheduled') return { state, effects: [] };
      return start(state, now);
    case 'questionPosted': {
      if (state.status !== 'running' || state.phase !== 'posting' || event.index !== state.index)
        return { state, effects: [] };
      const revealAt = event.postedAt + state.timerSeconds * 1000;
      const asking: LiveGameState = {
        ...state,
        phase: 'asking',
        questionMessageId: event.messageId,
        askedAt: event.postedAt,
        revealAt,
        answers: [],
      };
      return { state: asking, effects: [{ kind: 'persist' }, { kind: 'wake', at: revealAt }] };
    }
    case 'answer':
      return answer(state, event);
    case 'tick':
      return tick(state, now, rules);
    case 'resumed': {
      if (state.status === 'running' && state.phase !== 'revealed') {
        // The question in flight is asked again; its answers were never scored.
        const again: LiveGameState = {
          ...state,
          phase: 'posting',
          questionMessageId: null,
          askedAt: null,
          revealAt: null,
          answers: [],
          reasked: state.reasked + 1,
        };
        return { state: again, effects: [{ kind: 'persist' }, ask(again, true)] };
      }
      const due = nextDeadline(state);
      return { state, effects: due === null ? [] : [{ kind: 'wake', at: due }] };
    }
    case 'end':
      return end(state, event.reason, now);
  }
}
