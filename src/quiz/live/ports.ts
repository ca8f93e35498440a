/**
 * What live games need from storage and from the channel they run in, in domain terms. `store/`
 * implements the repository; `discord/` implements the channel.
 */
import type { LiveEndReason, LiveGameState, RankedPlayer } from './LiveGame.js';

/** A process's hold on a game: only the lease owner runs it and may write its state. */
export interface LiveLease {
  owner: string;
  /** Epoch ms; after it any process may take the game over. */
  until: number;
}

export type LiveCreateOutcome =
  | { ok: true }
  /** The channel already has a scheduled or running game. */
  | { ok: false; reason: 'channel_busy'; gameId: string }
  /** The server already runs as many games as the cap allows. */
  | { ok: false; reason: 'guild_cap'; cap: number };

/** One player's result, stored as an attempt with mode `live`. */
export interface LiveAttemptInput {
  userId: string;
  score: number;
  correctCount: number;
}

export interface LiveFinishInput {
  state: LiveGameState;
  owner: string;
  /** Empty when no attempt should be stored (nobody played, or the quiz is gone). */
  attempts: LiveAttemptInput[];
  maxScore: number;
  questionCount: number;
}

export type LiveFinishOutcome = 'stored' | 'lost_lease' | 'quiz_gone';

export interface LiveGameRepository {
  /** Stores a new game holding `lease`, unless the channel is busy or the guild is at `maxActivePerGuild`. */
  create(state: LiveGameState, lease: LiveLease, maxActivePerGuild: number): Promise<LiveCreateOutcome>;
  get(id: string): Promise<LiveGameState | null>;
  /** Scheduled, lobby and running games of a guild, oldest first. */
  listActive(guildId: string): Promise<LiveGameState[]>;
  /** Writes the state if `owner` still holds the lease and the game is still active; false otherwise. */
  save(state: LiveGameState, owner: string): Promise<boolean>;
  /** Active games nobody holds (no lease or an expired one) at `now`, oldest first. */
  claimable(now: number, limit: number): Promise<{ id: string; guildId: string }[]>;
  /** Takes the lease of an active game that is free at `now`; returns its state, or null if another process holds it. */
  claim(id: string, lease: LiveLease, now: number): Promise<LiveGameState | null>;
  /** Extends the leases `owner` still holds among `ids`; returns those ids. */
  renew(owner: string, ids: readonly string[], until: number): Promise<string[]>;
  /** Gives the leases up (shutdown): the games are free for the next process at once. */
  release(owner: string, ids: readonly string[]): Promise<void>;
  /** Stores the final state and, in the same transaction, the players' attempts and best scores. */
  finish(input: LiveFinishInput): Promise<LiveFinishOutcome>;
  /** Cancels an active game of the guild whoever runs it (its runner stops at its next write). */
  cancel(guildId: string, id: string, now: number): Promise<boolean>;
}

/** The channel cannot be used any more: the game ends with its results so far. */
export class LiveChannelGoneError extends Error {
  override readonly name = 'LiveChannelGoneError';
  constructor(
    readonly reason: Extract<LiveEndReason, 'channel_deleted' | 'no_access'>,
    options?: { cause?: unknown },
  ) {
    super(`live game channel unusable: ${reason}`, options);
  }
}

export interface LiveQuestionView {
  game: LiveGameState;
  index: number;
  reasked: boolean;
}

export interface LiveRevealView {
  game: LiveGameState;
  index: number;
  messageId: string;
  counts: number[];
  answered: number;
  fastest: { userId: string; elapsedMs: number }[];
}

export interface LivePodiumView {
  game: LiveGameState;
  ranking: RankedPlayer[];
  reason: LiveEndReason;
  /** The attempts were stored (false: the quiz was deleted, or nobody played). */
  stored: boolean;
}

/**
 * The channel a game runs in. Methods throw `LiveChannelGoneError` when the channel is deleted or
 * the bot lost access; other errors (network, 5xx after retries) are transient. Rate limits are
 * waited out inside (a 429 never loses a message).
 */
export interface LiveGameChannel {
  postLobby(game: LiveGameState): Promise<string>;
  editLobby(game: LiveGameState): Promise<void>;
  /** Returns the message id and its timestamp (epoch ms). */
  postQuestion(view: LiveQuestionView): Promise<{ messageId: string; postedAt: number }>;
  /** "N answered" on the question message. */
  updateCounter(game: LiveGameState, answered: number): Promise<void>;
  reveal(view: LiveRevealView): Promise<void>;
  postStandings(game: LiveGameState, top: RankedPlayer[], more: number): Promise<void>;
  postPodium(view: LivePodiumView): Promise<void>;
  /** The results post in the guild's results channel. */
  postResults(channelId: string, view: LivePodiumView): Promise<void>;
}
