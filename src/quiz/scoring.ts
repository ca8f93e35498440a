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
  const timerMs = timerSeconds * 1000;
  const remainingMs = Math.max(0, timerMs - Math.max(0, elapsedMs));
  // Same formula as the original's int(points * (1 - t/timer)), truncating, but computed as one
  // division so float error cannot steal a point: 18 s of 20 s at 10 points is 1, not 0.99… → 0.
  return Math.trunc((points * remainingMs) / timerMs);
}
