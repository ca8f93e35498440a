/**
 * The `starts` option of `/quiz host`: a relative time (`10m`, `2h`, `1h30m`, `3d`) or an ISO 8601
 * date-time WITH a zone (`2026-05-01T19:30:00+02:00`, `…Z`): a time without a zone would depend on
 * where the bot runs. At most 14 days ahead, and in the future.
 */
import { err, ok, type Result } from '../result.js';

export const MAX_START_AHEAD_MS = 14 * 24 * 3_600_000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RELATIVE = /^(?:\d+\s*[smhd]\s*)+$/i;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of the start, or a problem sentence (lower case, for "I couldn't read `starts`: …"). */
export function parseStartTime(text: string, now: number): Result<number, string> {
  const value = text.trim();
  if (value === '') return err('it is empty');
  let at: number;
  if (RELATIVE.test(value)) {
    let total = 0;
    for (const [, amount, unit] of value.toLowerCase().matchAll(/(\d+)\s*([smhd])/g))
      total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0);
    at = now + total;
  } else if (ISO_WITH_ZONE.test(value)) {
    at = Date.parse(value.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(at)) return err(`"${value}" is not a real date and time`);
  } else if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    return err(`"${value}" has no time zone (add Z for UTC or an offset like +02:00)`);
  } else {
    return err(`"${value.slice(0, 40)}" is neither a relative time nor an ISO 8601 date-time`);
  }
  if (at <= now) return err('that time has already passed');
  if (at - now > MAX_START_AHEAD_MS) return err('that is more than 14 days ahead');
  return ok(at);
}
