/**
 * Every column of every table that can hold a member's Discord id, and how `/mydata delete`
 * erases it. Typed over `StoreSchema`, so a new table does not compile until it is listed here
 * (with `[]` when it holds no member id); `test/integration/store/memberErasure.test.ts` also
 * compares this list with the tables the migrations actually create.
 */
import type { StoreSchema } from './schema.js';

export interface MemberColumn<Table extends keyof StoreSchema> {
  column: keyof StoreSchema[Table] & string;
  /**
   * `delete`: the rows are the member's (attempts, leaderboard entries) and go.
   * `clear`: the row belongs to the server (a quiz someone created) and stays; the id becomes ''.
   */
  erase: 'delete' | 'clear';
}

/** In erase order: rows that reference others first. Every table has a `guild_id` to scope by. */
export const MEMBER_ID_COLUMNS: { [Table in keyof StoreSchema]: readonly MemberColumn<Table>[] } = {
  best_scores: [{ column: 'user_id', erase: 'delete' }],
  attempts: [{ column: 'user_id', erase: 'delete' }],
  quizzes: [{ column: 'creator_id', erase: 'clear' }],
  questions: [],
  guild_settings: [],
};
