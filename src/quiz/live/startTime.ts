/**
 * The `starts` option of `/quiz host`: a relative time (`10m`, `2h`, `1h30m`, `3d`) or an ISO 8601
 * date-time WITH a zone (`2026-05-01T19:30:00+02:00`, `…Z`): a time without a zone would depend on
 * where the bot runs. At most 14 days ahead, and in the future.
 */
import { err, ok, type Result } from '../result.js';

export const MAX_START_AHEAD_DAYS = 14;
export const MAX_START_AHEAD_MS = MAX_START_AHEAD_DAYS * 24 * 3_600_000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RELATIVE = /^(?:\d+\s*[smhd]\s*)+$/i;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Why a `starts` text was refused; `value` is the member's text (trimmed, at most 40 characters
 * for `unreadable`). render/liveGame.ts words it in the member's language.
 */
export type StartTimeError =
  | { kind: 'empty' }
  | { kind: 'notARealDate'; value: string }
  | { kind: 'noTimeZone'; value: string }
  | { kind: 'unreadable'; value: string }
  | { kind: 'past' }
  | { kind: 'tooFarAhead'; maxDays: number };

/** Epoch ms of the start, or why the text cannot be placed in time. */
export function parseStartTime(text: string, now: number): Result<number, StartTimeError> {
  const value = text.trim();
  if (value === '') return err({ kind: 'empty' });
  let at: number;
  if (RELATIVE.test(value)) {
    let total = 0;
    for (const [, amount, unit] of value.toLowerCase().matchAll(/(\d+)\s*([smhd])/g))
      total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0);
    at = now + total;
  } else if (ISO_WITH_ZONE.test(value)) {
    at = Date.parse(value.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(at)) return err({ kind: 'notARealDate', value });
  } else if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    return err({ kind: 'noTimeZone', value });
  } else {
    return err({ kind: 'unreadable', value: value.slice(0, 40) });
  }
  if (at <= now) return err({ kind: 'past' });
  if (at - now > MAX_START_AHEAD_MS) return err({ kind: 'tooFarAhead', maxDays: MAX_START_AHEAD_DAYS });
  return ok(at);
}
