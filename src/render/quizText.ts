/** Text helpers shared by the quiz renderers. */

import { formatDecimal, type Translate } from '../i18n/index.js';

/**
 * Shows user-written text literally inside a line: emphasis, code, spoiler and link characters are
 * escaped (mentions are off anyway; headings and quotes only act at a line start, which we own).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|[\]])/g, '\\$1');
}

/** Lines shown verbatim in a code block (backticks are swapped so the block cannot be closed early). */
export function codeBlock(lines: readonly string[]): string {
  return `\`\`\`\n${lines.map((line) => line.replaceAll('`', "'")).join('\n')}\n\`\`\``;
}

/** Cuts to `max` code points (Discord counts them), marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** A user-written name for a sentence: escaped, at most `max` characters, in the language's quotes ("…" / „…“). */
export function quoted(text: string, t: Translate, max = 100): string {
  return t('common.quoted', { text: escapeMarkdown(truncate(text.trim(), max)) });
}

/** The "…and N more." line under a list that was cut (N > 0). */
export function moreLine(count: number, t: Translate): string {
  return t('authoring.more', { count });
}

/** Joins a heading and bullet lines, dropping bullets that would pass `maxLength` (Discord: 2000). */
export function bulletList(
  heading: string,
  lines: readonly string[],
  t: Translate,
  maxLength = 2000,
): string {
  let out = heading;
  for (let i = 0; i < lines.length; i++) {
    const next = `\n• ${lines[i]}`;
    const rest = lines.length - i - 1;
    const more = rest > 0 ? `\n${moreLine(rest, t)}` : '';
    if (out.length + next.length + more.length > maxLength) {
      const left = lines.length - i;
      return `${out}\n${moreLine(left, t)}`;
    }
    out += next;
  }
  return out;
}

/** A size in bytes, KiB or MiB with the locale's decimal sign (no grouping: "1000 KiB"). */
export function formatBytes(bytes: number, t: Translate): string {
  const number = (value: number, digits: number) => formatDecimal(value, digits, t.locale);
  if (bytes < 1024) return t('authoring.size.bytes', { size: number(bytes, 0) });
  const kib = bytes / 1024;
  return kib < 1024
    ? t('authoring.size.kib', { size: number(kib, kib < 10 ? 1 : 0) })
    : t('authoring.size.mib', { size: number(kib / 1024, 1) });
}

/** A Discord timestamp tag (`<t:…:f>`), rendered in each reader's time zone. */
export function discordTime(ms: number, style: 'f' | 'R' | 'D' = 'f'): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}
