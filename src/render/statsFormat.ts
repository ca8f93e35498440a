/**
 * Durations, weekdays and score ranges of `/stats` and `/status` in the reader's locale (numbers:
 * `formatDecimal` of i18n/).
 */
import { uptimeParts } from '../analytics/formatUptime.js';
import type { Translate } from '../i18n/index.js';

/** An uptime as days, hours, minutes and seconds (`1d 2h 3m 4s` in English). */
export function uptimeText(totalSeconds: number, t: Translate): string {
  return t('status.uptime', uptimeParts(totalSeconds));
}

/** Weekday names in the locale of `t`, Monday first (the order of the weekday rows in stats). */
export function weekdayNames(t: Pick<Translate, 'locale'>, width: 'long' | 'short'): string[] {
  const format = new Intl.DateTimeFormat(t.locale, { weekday: width, timeZone: 'UTC' });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, day) => format.format(Date.UTC(2024, 0, 1 + day)));
}

/** The range of score bin `i` of 10 (`0–9 %` … `90–100 %`): the chart's bars and the embed's text. */
export function scoreRange(i: number, t: Translate): string {
  return t('stats.scoreRange', { from: i * 10, to: i === 9 ? 100 : i * 10 + 9 });
}
