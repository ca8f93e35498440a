import { err, ok, type Result } from './result.js';
import type { Quiz, RetakePolicy } from './types.js';

export type StartPolicyError = { kind: 'alreadyTaken'; message: string };

/** The guild's retake policy: `once` (as the original) refuses a second attempt; `unlimited` keeps the best score. */
export function canStart({
  policy,
  hasCompleted,
}: {
  policy: RetakePolicy;
  /** The member already has a completed attempt at this quiz. */
  hasCompleted: boolean;
}): Result<void, StartPolicyError> {
  if (policy === 'once' && hasCompleted) {
    return err({
      kind: 'alreadyTaken',
      message: 'You have already taken this quiz; this server allows one attempt.',
    });
  }
  return ok(undefined);
}

export type AvailabilityError =
  | { kind: 'notYetOpen'; opensAt: number; message: string }
  | { kind: 'closed'; closesAt: number; message: string };

/** Whether attempts may start at `nowMs` (opens_at inclusive, closes_at exclusive). Messages use Discord timestamps. */
export function isOpen(
  quiz: Pick<Quiz, 'opensAt' | 'closesAt'>,
  nowMs: number,
): Result<void, AvailabilityError> {
  if (quiz.opensAt !== null && nowMs < quiz.opensAt) {
    return err({
      kind: 'notYetOpen',
      opensAt: quiz.opensAt,
      message: `This quiz opens <t:${Math.floor(quiz.opensAt / 1000)}:R>.`,
    });
  }
  if (quiz.closesAt !== null && nowMs >= quiz.closesAt) {
    return err({
      kind: 'closed',
      closesAt: quiz.closesAt,
      message: `This quiz closed <t:${Math.floor(quiz.closesAt / 1000)}:R>.`,
    });
  }
  return ok(undefined);
}
