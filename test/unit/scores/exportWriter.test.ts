import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EXPORT_COLUMNS,
  ExportTooLargeError,
  type MemberNames,
  writeExport,
} from '../../../src/scores/exportWriter.js';
import type { ExportedAttempt } from '../../../src/scores/ports.js';

const NASTY_TITLES = [
  'Capitals, rivers, and "mountains"',
  'Line one\nline two\r\nline three',
  '漢字クイズ：第１回',
  'Викторина «Космос»',
  '=HYPERLINK("http://example.org")',
  'اختبار العواصم',
];

function attempt(i: number, overrides: Partial<ExportedAttempt> = {}): ExportedAttempt {
  const startedAt = Date.UTC(2026, 0, 1, 12, 0, 0) + i * 60_000;
  return {
    attemptId: i + 1,
    quizId: 7,
    quizName: NASTY_TITLES[i % NASTY_TITLES.length] ?? '',
    userId: `3000000000000000${10 + (i % 3)}`,
    score: 10 * i,
    maxScore: 50,
    correctCount: i,
    questionCount: 5,
    startedAt,
    completedAt: startedAt + 42_500,
    durationSeconds: 42.5,
    mode: 'solo',
    status: 'completed',
    ...overrides,
  };
}

async function* rowsOf(rows: ExportedAttempt[]): AsyncIterable<ExportedAttempt> {
  for (const row of rows) yield row;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'badgey-export-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeExport', () => {
  it('writes RFC 4180 CSV that parses back to the same values (commas, quotes, newlines, non-Latin titles)', async () => {
    const rows = NASTY_TITLES.map((_, i) => attempt(i));
    rows.push(attempt(6, { completedAt: null, durationSeconds: null, status: 'in_progress', score: 0 }));
    const names: MemberNames = async (ids) =>
      new Map(
        ids.map((id) => [
          id,
          id.endsWith('10') ? 'Ada "the quick", Lovelace' : id.endsWith('11') ? 'Борис\nБ.' : null,
        ]),
      );
    const path = join(dir, 'out.csv');
    const written = await writeExport(rowsOf(rows), { format: 'csv', path, maxBytes: 1_000_000, names });
    const text = readFileSync(path, 'utf8');
    expect(written).toEqual({ rows: 7, bytes: Buffer.byteLength(text) });

    const parsed = parse(text, { columns: true, relax_quotes: false }) as Record<string, string>[];
    expect(Object.keys(parsed[0] ?? {})).toEqual([...EXPORT_COLUMNS]);
    expect(parsed).toHaveLength(7);
    // Titles come back exactly, except a formula-looking one, which gets a leading ' (CSV injection).
    expect(parsed.map((r) => r.quiz)).toEqual([
      ...NASTY_TITLES.map((t) => (t.startsWith('=') ? `'${t}` : t)),
      NASTY_TITLES[0],
    ]);
    expect(parsed[0]).toMatchObject({
      quiz_id: '7',
      member_id: '300000000000000010',
      member_name: 'Ada "the quick", Lovelace',
      score: '0',
      max_score: '50',
      correct: '0',
      questions: '5',
      started_at: '2026-01-01T12:00:00.000Z',
      finished_at: '2026-01-01T12:00:42.500Z',
      duration_seconds: '42.5',
      mode: 'solo',
      status: 'completed',
    });
    expect(parsed[1]?.member_name).toBe('Борис\nБ.');
    expect(parsed[2]?.member_name).toBe('');
    expect(parsed[6]).toMatchObject({ finished_at: '', duration_seconds: '', status: 'in_progress' });
  });

  it('writes a JSON array that parses back, with nulls for what is unknown', async () => {
    const rows = [attempt(0), attempt(1, { completedAt: null, durationSeconds: null, status: 'abandoned' })];
    const path = join(dir, 'out.json');
    await writeExport(rowsOf(rows), { format: 'json', path, maxBytes: 1_000_000 });
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[];
    expect(parsed).toEqual([
      {
        quiz: NASTY_TITLES[0],
        quiz_id: 7,
        member_id: '300000000000000010',
        member_name: null,
        score: 0,
        max_score: 50,
        correct: 0,
        questions: 5,
        started_at: '2026-01-01T12:00:00.000Z',
        finished_at: '2026-01-01T12:00:42.500Z',
        duration_seconds: 42.5,
        mode: 'solo',
        status: 'completed',
      },
      expect.objectContaining({
        quiz: NASTY_TITLES[1],
        finished_at: null,
        duration_seconds: null,
        status: 'abandoned',
      }),
    ]);
    const emptyPath = join(dir, 'empty.json');
    await writeExport(rowsOf([]), { format: 'json', path: emptyPath, maxBytes: 100 });
    expect(JSON.parse(readFileSync(emptyPath, 'utf8'))).toEqual([]);
  });

  it('stops reading as soon as the file would pass the byte limit', async () => {
    let read = 0;
    async function* endless(): AsyncIterable<ExportedAttempt> {
      for (let i = 0; ; i++) {
        read++;
        yield attempt(i);
      }
    }
    const error = await writeExport(endless(), {
      format: 'csv',
      path: join(dir, 'big.csv'),
      maxBytes: 50_000,
      batchSize: 100,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportTooLargeError);
    expect((error as ExportTooLargeError).rowsWritten).toBeGreaterThan(100);
    // Streams buffer a little ahead, but nowhere near "everything".
    expect(read).toBeLessThan(5_000);
  });

  it('looks names up once per batch, for the distinct ids of that batch', async () => {
    const calls: string[][] = [];
    const names: MemberNames = async (ids) => {
      calls.push([...ids]);
      return new Map();
    };
    const rows = Array.from({ length: 25 }, (_, i) => attempt(i));
    await writeExport(rowsOf(rows), {
      format: 'json',
      path: join(dir, 'n.json'),
      maxBytes: 1e6,
      names,
      batchSize: 10,
    });
    expect(calls.map((c) => c.length)).toEqual([3, 3, 3]);
  });
});
