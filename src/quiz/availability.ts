import { err, ok, type Result } from './result.js';
import type { Quiz, RetakePolicy } from './types.js';

/** Structured refusals: render/ words them (`renderTakeError`, `renderAvailabilityError`). */
export type StartPolicyError = { kind: 'alreadyTaken' };

/** The guild's retake policy: `once` (as the original) refuses a second attempt; `unlimited` keeps the best score. */
export function canStart({
  policy,
  hasCompleted,
}: {
  policy: RetakePolicy;
  /** The member already has a completed attempt at this quiz. */
  hasCompleted: boolean;
}): Result<void, StartPolicyError> {
  if (policy === 'once' && hasCompleted) return err({ kind: 'alreadyTaken' });
  return ok(undefined);
}

export type AvailabilityError =
  | { kind: 'notYetOpen'; opensAt: number }
  | { kind: 'closed'; closesAt: number };

/** Whether attempts may start at `nowMs` (opens_at inclusive, closes_at exclusive). */
export function isOpen(
  quiz: Pick<Quiz, 'opensAt' | 'closesAt'>,
  nowMs: number,
): Result<void, AvailabilityError> {
  if (quiz.opensAt !== null && nowMs < quiz.opensAt)
    return err({ kind: 'notYetOpen', opensAt: quiz.opensAt });
  if (quiz.closesAt !== null && nowMs >= quiz.closesAt)
    return err({ kind: 'closed', closesAt: quiz.closesAt });
  return ok(undefined);
}
