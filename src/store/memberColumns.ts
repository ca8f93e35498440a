/**
 * Every column of every table that can hold a member's Discord id, and how `/mydata delete`
 * erases it. Typed over `StoreSchema`, so a new table does not compile until it is listed here
 * (with `[]` when it holds no member id); `test/integration/scores/scoresRepository.test.ts` also
 * compares this list with the tables the migrations actually create, and scans every column of
 * every table for the id after an erasure.
 */
import type { LiveGameState } from '../quiz/live/LiveGame.js';
import type { StoreSchema } from './schema.js';

export interface MemberColumn<Table extends keyof StoreSchema> {
  column: keyof StoreSchema[Table] & string;
  /**
   * `delete`: the rows are the member's (attempts, leaderboard entries) and go.
   * `clear`: the row belongs to the server (a quiz someone created) and stays; the id becomes ''.
   * `scrub`: JSON text that mentions members among others (a live game's players): the row stays,
   * `SCRUBBERS[table]` takes the member out of it.
   */
  erase: 'delete' | 'clear' | 'scrub';
}

/** In erase order: rows that reference others first. Every table listed with a column has `guild_id`. */
export const MEMBER_ID_COLUMNS: { [Table in keyof StoreSchema]: readonly MemberColumn<Table>[] } = {
  best_scores: [{ column: 'user_id', erase: 'delete' }],
  attempts: [{ column: 'user_id', erase: 'delete' }],
  quizzes: [{ column: 'creator_id', erase: 'clear' }],
  live_games: [{ column: 'state', erase: 'scrub' }],
  questions: [],
  guild_settings: [],
};

/** A finished live game without the member: not a player, not an answer; an empty host if it was them. */
function scrubLiveGameState(json: string, userId: string): string {
  const state = JSON.parse(json) as LiveGameState;
  const players = Object.fromEntries(
    Object.entries(state.players ?? {}).filter(([id, player]) => id !== userId && player.userId !== userId),
  );
  const answers = (state.answers ?? []).filter((answer) => answer.userId !== userId);
  return JSON.stringify({ ...state, hostId: state.hostId === userId ? '' : state.hostId, players, answers });
}

/** How each `scrub` column's text loses one member. */
export const SCRUBBERS: Partial<Record<keyof StoreSchema, (text: string, userId: string) => string>> = {
  live_games: scrubLiveGameState,
};
