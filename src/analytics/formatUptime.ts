/** An uptime split into whole days, hours, minutes and seconds (negative or non-finite: zero). */
export function uptimeParts(totalSeconds: number): {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
} {
  const seconds = Number.isFinite(totalSeconds) && totalSeconds > 0 ? Math.floor(totalSeconds) : 0;
  return {
    days: Math.floor(seconds / 86_400),
    hours: Math.floor((seconds % 86_400) / 3_600),
    minutes: Math.floor((seconds % 3_600) / 60),
    seconds: seconds % 60,
  };
}

/**
 * Formats a duration the way the original bot's `/health` and analytics did: `2d 3h 45m 12s`.
 * Shared by the analytics statistics and the health server so both print uptime identically
 * (members read it localised: `render/statsFormat.ts`, from the same parts).
 */
export function formatUptime(totalSeconds: number): string {
  const { days, hours, minutes, seconds } = uptimeParts(totalSeconds);
  return `${days}d ${hours}h ${minutes}m ${seconds}s`;
}
