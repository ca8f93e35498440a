import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createSessionMetrics } from '../../../src/discord/sessionMetrics.js';

describe('createSessionMetrics', () => {
  it('reads running/queued at scrape time and counts endings by a snake_case reason', async () => {
    const registry = new Registry();
    let counts = { running: 3, queued: 1 };
    const observer = createSessionMetrics(registry, () => counts);
    observer.sessionEnded('tokenAge');
    observer.sessionEnded('completed');
    observer.sessionEnded('completed');
    counts = { running: 2, queued: 0 };
    const text = await registry.metrics();
    expect(text).toContain('badgey_sessions_running 2');
    expect(text).toContain('badgey_sessions_queued 0');
    expect(text).toContain('badgey_sessions_ended_total{reason="completed"} 2');
    expect(text).toContain('badgey_sessions_ended_total{reason="token_age"} 1');
    // Every reason is exposed from the start, so rate() works before the first ending.
    expect(text).toContain('badgey_sessions_ended_total{reason="quiz_deleted"} 0');
    expect(text).toContain('badgey_sessions_ended_total{reason="shutdown"} 0');
    expect(text).toContain('badgey_sessions_ended_total{reason="idle"} 0');
  });
});
