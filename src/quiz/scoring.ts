/**
 * Time-decay scoring, as the original bot: a correct answer earns
 * `trunc(points × max(0, 1 − t / timer))`; a wrong answer or a timeout earns 0.
 */
export interface ScoreAnswerInput {
  /** The question's points (its value for an instant answer). */
  points: number;
  timerSeconds: number;
  /** From the question's delivery to the click (the interaction id's timestamp). Negative counts as 0. */
  elapsedMs: number;
  correct: boolean;
}

export function scoreAnswer({ points, timerSeconds, elapsedMs, correct }: ScoreAnswerInput): number {
  if (!correct || timerSeconds <= 0) return 0;
  const elapsedSeconds = Math.max(0, elapsedMs) / 1000;
  const ratio = Math.max(0, 1 - elapsedSeconds / timerSeconds);
  // The original used Python's int(): truncation toward zero.
  return Math.trunc(points * ratio);
}
