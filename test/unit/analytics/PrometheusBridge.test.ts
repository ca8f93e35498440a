import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createAnalyticsMetrics, QuizAnalytics } from '../../../src/analytics/index.js';

const USER = '123456789012345678';
const GUILD = '876543210987654321';

async function exercised() {
  const registry = new Registry();
  const analytics = new QuizAnalytics({ salt: 's', observer: createAnalyticsMetrics(registry) });
  analytics.recordQuizStart(USER, 4242, GUILD);
  analytics.recordQuizStart('222222222222222222', 4242, GUILD);
  analytics.recordAnswer(true, 2.5);
  analytics.recordAnswer(false, 4);
  analytics.recordAnswer(false, 20, { timedOut: true });
  analytics.recordQuizCompletion(USER, 4242, 95, 17);
  analytics.recordCommand('take_quiz', 0.12);
  analytics.recordCommand('Take Quiz!', 0.2, 'rejected');
  analytics.recordDbQuery(0.003);
  analytics.recordError('DatabaseError', `failed for ${USER}`);
  return { registry, text: await registry.metrics() };
}

describe('createAnalyticsMetrics', () => {
  it('exposes every analytics series with low-cardinality labels', async () => {
    const { text } = await exercised();
    expect(text).toContain('badgey_quizzes_started_total 2');
    expect(text).toContain('badgey_quizzes_completed_total 1');
    expect(text).toContain('badgey_answers_total{outcome="correct"} 1');
    expect(text).toContain('badgey_answers_total{outcome="incorrect"} 1');
    expect(text).toContain('badgey_answers_total{outcome="timeout"} 1');
    expect(text).toContain('badgey_answer_time_seconds_count 2');
    expect(text).toContain('badgey_quiz_duration_seconds_sum 95');
    expect(text).toContain('badgey_quiz_score_sum 17');
    expect(text).toContain('badgey_command_duration_seconds_count{command="take_quiz",outcome="ok"} 1');
    expect(text).toContain('badgey_command_duration_seconds_count{command="take_quiz",outcome="rejected"} 1');
    expect(text).toContain('badgey_db_query_duration_seconds_count 1');
    expect(text).toContain('badgey_errors_total{type="database_error"} 1');
    expect(text).toContain('badgey_active_users 2');
  });

  it('never puts a user, guild or quiz id in the exposition', async () => {
    const { text } = await exercised();
    expect(text).not.toContain(USER);
    expect(text).not.toContain(GUILD);
    expect(text).not.toContain('4242');
  });

  // promtool comes from scripts/test-deps.sh; a missing promtool fails here rather than skipping.
  it('passes promtool check metrics', async () => {
    const { text } = await exercised();
    const dir = mkdtempSync(join(tmpdir(), 'badgey-prom-'));
    try {
      const file = join(dir, 'metrics.txt');
      writeFileSync(file, text);
      const output = execFileSync('sh', ['-c', `promtool check metrics < ${file} 2>&1; echo "exit=$?"`], {
        encoding: 'utf8',
      });
      expect(output).toContain('exit=0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
