/**
 * Reads the bot's SQLite file after the bot stopped (or was killed) and checks it the way an
 * operator would: integrity, foreign keys, and best scores that agree with completed attempts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AnalyticsExportFile } from '../../src/analytics/AnalyticsExporter.js';

export interface AttemptCounts {
  in_progress: number;
  completed: number;
  interrupted: number;
  abandoned: number;
}

export interface DatabaseReport {
  integrity: string;
  foreignKeyViolations: number;
  attempts: AttemptCounts;
  bestScores: number;
  /** Human-readable inconsistencies between best_scores and completed attempts (empty: consistent). */
  problems: string[];
}

export function inspectSqlite(path: string): DatabaseReport {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const foreignKeyViolations = (db.pragma('foreign_key_check') as unknown[]).length;
    const attempts: AttemptCounts = { in_progress: 0, completed: 0, interrupted: 0, abandoned: 0 };
    for (const row of db.prepare('select status, count(*) as n from attempts group by status').all() as {
      status: keyof AttemptCounts;
      n: number;
    }[])
      attempts[row.status] = row.n;
    const problems: string[] = [];
    // Every best score points at a completed attempt of the same member and quiz, with its score…
    for (const row of db
      .prepare(
        `select b.guild_id, b.user_id, b.quiz_id, b.score, a.status, a.score as attempt_score,
                a.user_id as attempt_user, a.quiz_id as attempt_quiz
           from best_scores b left join attempts a on a.id = b.attempt_id`,
      )
      .all() as {
      user_id: string;
      quiz_id: number;
      score: number;
      status: string | null;
      attempt_score: number | null;
      attempt_user: string | null;
      attempt_quiz: number | null;
    }[]) {
      if (row.status !== 'completed' || row.attempt_user !== row.user_id || row.attempt_quiz !== row.quiz_id)
        problems.push(
          `best score of ${row.user_id}/${row.quiz_id} points at a ${row.status ?? 'missing'} attempt`,
        );
      else if (row.attempt_score !== row.score)
        problems.push(
          `best score ${row.score} of ${row.user_id}/${row.quiz_id} ≠ its attempt's ${row.attempt_score}`,
        );
    }
    // …and is the highest completed score; every completed attempt has one.
    for (const row of db
      .prepare(
        `select a.guild_id, a.user_id, a.quiz_id, max(a.score) as top, b.score as best
           from attempts a left join best_scores b
             on b.guild_id = a.guild_id and b.user_id = a.user_id and b.quiz_id = a.quiz_id
          where a.status = 'completed'
          group by a.guild_id, a.user_id, a.quiz_id`,
      )
      .all() as { user_id: string; quiz_id: number; top: number; best: number | null }[]) {
      if (row.best !== row.top)
        problems.push(
          `best score of ${row.user_id}/${row.quiz_id} is ${row.best}, highest completed ${row.top}`,
        );
    }
    // Finished attempts have an end; running ones do not.
    const badEnds = db
      .prepare(
        `select count(*) as n from attempts
          where (status = 'in_progress') = (completed_at is not null)`,
      )
      .get() as { n: number };
    if (badEnds.n > 0) problems.push(`${badEnds.n} attempts whose completed_at disagrees with their status`);
    const bestScores = (db.prepare('select count(*) as n from best_scores').get() as { n: number }).n;
    return { integrity, foreignKeyViolations, attempts, bestScores, problems };
  } finally {
    db.close();
  }
}

/** Parses every JSON file of the export directory (a partial file fails here); returns the latest. */
export function readExports(dir: string): { latest: AnalyticsExportFile; files: string[] } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  for (const file of files) JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const latest = JSON.parse(readFileSync(join(dir, 'analytics-latest.json'), 'utf8')) as AnalyticsExportFile;
  return { latest, files };
}
