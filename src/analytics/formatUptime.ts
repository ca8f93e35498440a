/**
 * Formats a duration the way the original bot's `/health` and analytics did: `2d 3h 45m 12s`.
 * Shared by the analytics statistics and the health server so both print uptime identically.
 */
export function formatUptime(totalSeconds: number): string {
  const seconds = Number.isFinite(totalSeconds) && totalSeconds > 0 ? Math.floor(totalSeconds) : 0;
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const secs = seconds % 60;
  return `${days}d ${hours}h ${minutes}m ${secs}s`;
}
