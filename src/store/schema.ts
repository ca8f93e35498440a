/** Table shapes as stored (snake_case, epoch-ms integers, JSON text, 0/1 flags). Internal to store/. */
import type { Generated } from 'kysely';

export interface QuizzesTable {
  id: Generated<number>;
  guild_id: string;
  name: string;
  /** Normalised name (see `quizNameKey`): the per-guild unique key and the autocomplete prefix. */
  name_key: string;
  description: string | null;
  creator_id: string;
  timer_seconds: number;
  question_limit: number | null;
  shuffle: number;
  opens_at: number | null;
  closes_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface QuestionsTable {
  id: Generated<number>;
  quiz_id: number;
  position: number;
  text: string;
  /** JSON array of strings. */
  options: string;
  correct_index: number;
  points: Generated<number>;
  explanation: string | null;
}

export interface AttemptsTable {
  id: Generated<number>;
  guild_id: string;
  user_id: string;
  quiz_id: number;
  score: number;
  max_score: number;
  correct_count: number;
  question_count: number;
  started_at: number;
  completed_at: number | null;
  duration_seconds: number | null;
  status: string;
  /** `solo` (/quiz take) or `live` (a channel game). */
  mode: Generated<string>;
  /** The session taking it (button custom ids carry it); null before migration 0003. */
  session_id: string | null;
  /** The session's stored state while resumable; null once completed or given up. */
  session_state: string | null;
  /** When the state was last written (epoch ms). */
  saved_at: number | null;
}

export interface LiveGamesTable {
  id: string;
  guild_id: string;
  channel_id: string;
  quiz_id: number;
  status: string;
  starts_at: number | null;
  /** The whole LiveGameState as JSON. */
  state: string;
  lease_owner: string | null;
  lease_expires_at: number;
  created_at: number;
  updated_at: number;
}

export interface BestScoresTable {
  guild_id: string;
  user_id: string;
  quiz_id: number;
  score: number;
  attempt_id: number;
  achieved_at: number;
}

export interface GuildSettingsTable {
  guild_id: string;
  results_channel_id: string | null;
  /** JSON array of role ids. */
  manager_role_ids: string;
  retake_policy: string;
  /** A message-catalogue locale (`/settings language`); null: the server's Discord language. */
  language: string | null;
  updated_at: number;
}

export interface StoreSchema {
  quizzes: QuizzesTable;
  questions: QuestionsTable;
  attempts: AttemptsTable;
  best_scores: BestScoresTable;
  guild_settings: GuildSettingsTable;
  live_games: LiveGamesTable;
}

export type DialectName = 'sqlite' | 'postgres';

/** Case-insensitive, Unicode-aware name key, computed in JS so both databases agree. */
export function quizNameKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}
