/**
 * The quiz domain's data, shared by the domain services, the store and the renderers.
 * Ids of Discord objects are snowflake strings; times are epoch milliseconds.
 */

export interface Quiz {
  id: number;
  guildId: string;
  name: string;
  description: string | null;
  creatorId: string;
  /** Seconds a member has for each question. */
  timerSeconds: number;
  /** Ask at most this many questions per attempt (null: all). */
  questionLimit: number | null;
  /** Shuffle question order per attempt. */
  shuffle: boolean;
  /** Attempts may start only at/after this time (null: always open). */
  opensAt: number | null;
  /** Attempts may start only before this time (null: never closes). */
  closesAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Question {
  id: number;
  quizId: number;
  /** 0-based order within the quiz. */
  position: number;
  text: string;
  /** 2..5 answer options (one button each). */
  options: string[];
  /** Index into `options` of the correct answer. */
  correctIndex: number;
  /** Points for an instant correct answer; decays over the timer. Default 10. */
  points: number;
  explanation: string | null;
}

/** What a manager supplies to create or replace a quiz (no ids, no timestamps). */
export interface QuizInput {
  name: string;
  description: string | null;
  timerSeconds: number;
  questionLimit: number | null;
  shuffle: boolean;
  opensAt: number | null;
  closesAt: number | null;
}

export type QuestionInput = Omit<Question, 'id' | 'quizId' | 'position'>;

export const ATTEMPT_STATUSES = ['in_progress', 'completed', 'interrupted', 'abandoned'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export interface Attempt {
  id: number;
  guildId: string;
  userId: string;
  quizId: number;
  score: number;
  maxScore: number;
  correctCount: number;
  questionCount: number;
  startedAt: number;
  completedAt: number | null;
  durationSeconds: number | null;
  status: AttemptStatus;
}

export const ATTEMPT_MODES = ['solo', 'live'] as const;
/** `solo`: /quiz take; `live`: a game the whole channel plays. */
export type AttemptMode = (typeof ATTEMPT_MODES)[number];

export const RETAKE_POLICIES = ['once', 'unlimited'] as const;
export type RetakePolicy = (typeof RETAKE_POLICIES)[number];

export interface GuildSettings {
  guildId: string;
  /** Where public results are posted (null: the channel the quiz was taken in). */
  resultsChannelId: string | null;
  /** Roles whose members manage quizzes, besides members with Manage Guild. */
  managerRoleIds: string[];
  retakePolicy: RetakePolicy;
  /**
   * The language of the server's public posts (results, live games) chosen with
   * `/settings language`; null: the server's Discord language (its preferred locale).
   */
  language: string | null;
}

export const LEADERBOARD_PERIODS = ['all', 'month', 'week', 'day'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];

export interface LeaderboardRow {
  rank: number;
  userId: string;
  /** Sum of best scores (all quizzes) or the best score (one quiz) within the period. */
  score: number;
  attempts: number;
}
