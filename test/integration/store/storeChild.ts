/**
 * A separate process using the store, for cross-process tests. Prints `ready`, waits for `go` on
 * stdin (so siblings start together), opens the database, runs the command, prints one JSON line
 * and exits.
 *   migrate URL                 → {"applied": [...]}
 *   complete URL JOB_JSON       → {"completed": n}   JOB_JSON = [{attemptId, score}]
 */
import { createInterface } from 'node:readline';
import pino from 'pino';
import { openDatabase } from '../../../src/store/openDatabase.js';

const [command, url, arg] = process.argv.slice(2);
if (!command || !url) throw new Error('usage: storeChild migrate|complete URL [JOB_JSON]');

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line.trim() === 'go') break;
lines.close();

// Opened after `go`, as at a real start: siblings race on opening a fresh file too (the WAL switch).
const db = await openDatabase({ url, logger: pino({ level: 'silent' }), poolSize: 12 });

try {
  if (command === 'migrate') {
    const applied = await db.migrate();
    process.stdout.write(`${JSON.stringify({ applied })}\n`);
  } else if (command === 'complete') {
    const job = JSON.parse(arg ?? '[]') as { attemptId: number; score: number }[];
    const results = await Promise.all(
      job.map((j) =>
        db.attempts.complete(j.attemptId, {
          score: j.score,
          correctCount: 1,
          completedAt: Date.now(),
          durationSeconds: 1,
        }),
      ),
    );
    process.stdout.write(`${JSON.stringify({ completed: results.length })}\n`);
  } else {
    throw new Error(`unknown command ${command}`);
  }
} finally {
  await db.close();
}
