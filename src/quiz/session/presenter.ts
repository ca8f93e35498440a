/**
 * What the Discord layer draws for a member's session, and the views it draws from. Pure types:
 * the SoloRunner calls a presenter; discord/DiscordSessionPresenter implements it.
 */
import type { AnswerOutcome, EndReason, SessionQuestion, SessionSummary } from './SoloSession.js';

/** The interaction a member just used: a reply handle and its times (set by the Discord layer). */
export interface InteractionRef<TReply> {
  reply: TReply;
  /** When Discord issued the interaction (its id's snowflake time): the click's own time. */
  issuedAtMs: number;
  /** After this the reply can no longer be edited (Discord's token age, minus a margin). */
  expiresAtMs: number;
}

export interface QuestionView {
  sessionId: string;
  quizName: string;
  questionIndex: number;
  /** 1-based. */
  questionNumber: number;
  questionCount: number;
  question: SessionQuestion;
  /** When the time is up (epoch ms): shown as a relative Discord timestamp. */
  deadlineMs: number;
  timerSeconds: number;
  /** Points so far. */
  score: number;
}

export interface FeedbackView {
  sessionId: string;
  quizName: string;
  questionNumber: number;
  questionCount: number;
  question: SessionQuestion;
  outcome: AnswerOutcome;
  /** When the next question (or the results) comes by itself. */
  nextAtMs: number;
}

/** Where the public results post went. */
export type ResultsPostOutcome =
  | { status: 'posted'; channelId: string }
  /** Badgey may not post there (Discord 50013 / 50001) or the channel is gone. */
  | { status: 'forbidden'; channelId: string }
  | { status: 'failed'; channelId: string | null };

export interface ResultsPost {
  /** The guild's results channel; null: the channel the quiz was taken in. */
  channelId: string | null;
  /** The server's `/settings language` choice; null: the server's Discord language. */
  language: string | null;
  guildId: string;
  userId: string;
  quizName: string;
  summary: SessionSummary;
}

export interface SummaryView {
  quizName: string;
  summary: SessionSummary;
  /** Best score on this quiz after this attempt; null when it could not be stored. */
  bestScore: number | null;
  isNewBest: boolean;
  /**
   * `pending`: the post is on its way (the summary is drawn first); the summary is drawn again only
   * when the post then fails. `channelId` null: the channel the quiz was taken in.
   */
  post: ResultsPostOutcome | { status: 'pending'; channelId: string | null };
}

export interface EndedView {
  sessionId: string;
  quizName: string;
  reason: Exclude<EndReason, 'completed'>;
  summary: SessionSummary;
  /** The progress was stored and can be continued. */
  saved: boolean;
}

/** An interrupted attempt, offered back: Continue / Start over / Give up. */
export interface ResumeOfferView {
  sessionId: string;
  quizName: string;
  /** 1-based number of the question Continue asks (again, with a full timer). */
  questionNumber: number;
  questionCount: number;
  score: number;
  /** False when the quiz changed so the attempt cannot continue (Start over / Give up only). */
  canContinue: boolean;
}

export interface GaveUpView {
  quizName: string;
  score: number;
  answeredCount: number;
  questionCount: number;
}

export type QueueLeftReason = 'tokenAge' | 'quizDeleted' | 'shutdown' | 'cancelled';

/** What the Discord layer does for sessions. Every method may reject; the runner records it and carries on. */
export interface SessionPresenter<TReply> {
  /** Shows a question; resolves with when the member could see it (Discord's edit time), if known. */
  showQuestion(reply: TReply, view: QuestionView): Promise<number | undefined>;
  showFeedback(reply: TReply, view: FeedbackView): Promise<void>;
  /** Posts the public results (mentions off). Never rejects for a missing permission: says so instead. */
  postResults(reply: TReply, post: ResultsPost): Promise<ResultsPostOutcome>;
  showSummary(reply: TReply, view: SummaryView): Promise<void>;
  /** Inactivity, token age, quiz deleted, or Badgey restarting. */
  showEnded(reply: TReply, view: EndedView): Promise<void>;
  /** `/quiz take` again during a running session: it continues in this reply (the next question is on its way). */
  showResumed(reply: TReply, view: { quizName: string }): Promise<void>;
  showResumeOffer(reply: TReply, view: ResumeOfferView): Promise<void>;
  showGaveUp(reply: TReply, view: GaveUpView): Promise<void>;
  showQueued(reply: TReply, view: { quizName: string; position: number }): Promise<void>;
  showQueueLeft(reply: TReply, view: { reason: QueueLeftReason }): Promise<void>;
}
