/**
 * Writes an attempt export to a file as it is read: rows → records (with member names looked
 * up a page at a time) → CSV (csv-stringify) or a JSON array → a byte limit → the file. Memory
 * holds one page, whatever the history's size; the limit stops reading as soon as the file would
 * be larger than Discord accepts.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { ExportedAttempt } from './ports.js';

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The columns (CSV header, JSON keys), in order. Times are UTC ISO 8601. */
export const EXPORT_COLUMNS = [
  'quiz',
  'quiz_id',
  'member_id',
  'member_name',
  'score',
  'max_score',
  'correct',
  'questions',
  'started_at',
  'finished_at',
  'duration_seconds',
  'mode',
  'status',
] as const;

export type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

/**
 * Display names for a page's member ids, looked up at export time (absent or null: unknown, e.g.
 * the member left). Names are written to the file only, never logged.
 */
export type MemberNames = (userIds: readonly string[]) => Promise<ReadonlyMap<string, string | null>>;

export class ExportTooLargeError extends Error {
  override readonly name = 'ExportTooLargeError';
  constructor(
    readonly maxBytes: number,
    /** Rows written before the limit was reached. */
    readonly rowsWritten: number,
  ) {
    super(`export is larger than ${maxBytes} bytes`);
  }
}

export interface ExportWriteOptions {
  format: ExportFormat;
  path: string;
  maxBytes: number;
  names?: MemberNames;
  /** Rows per name lookup. Default 1000. */
  batchSize?: number;
}

export interface ExportWritten {
  rows: number;
  bytes: number;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toRecord(row: ExportedAttempt, name: string | null): ExportRecord {
  return {
    quiz: row.quizName,
    quiz_id: row.quizId,
    member_id: row.userId,
    member_name: name,
    score: row.score,
    max_score: row.maxScore,
    correct: row.correctCount,
    questions: row.questionCount,
    started_at: iso(row.startedAt),
    finished_at: iso(row.completedAt),
    duration_seconds: row.durationSeconds,
    mode: row.mode,
    status: row.status,
  };
}

/** Records in batches, each batch's unknown member names looked up once. */
async function* records(
  rows: AsyncIterable<ExportedAttempt>,
  names: MemberNames | undefined,
  batchSize: number,
  counter: { rows: number },
): AsyncGenerator<ExportRecord> {
  let batch: ExportedAttempt[] = [];
  async function* flush(): AsyncGenerator<ExportRecord> {
    const found = names ? await names([...new Set(batch.map((r) => r.userId))]) : new Map<string, null>();
    for (const row of batch) {
      counter.rows++;
      yield toRecord(row, found.get(row.userId) ?? null);
    }
    batch = [];
  }
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= batchSize) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}

/** A JSON array, one record per line. */
async function* jsonText(source: AsyncIterable<ExportRecord>): AsyncGenerator<string> {
  let first = true;
  for await (const record of source) {
    yield `${first ? '[\n' : ',\n'}${JSON.stringify(record)}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

/** Passes bytes through until more than `maxBytes` went by, then fails the pipeline. */
class ByteLimit extends Transform {
  bytes = 0;
  constructor(
    readonly maxBytes: number,
    readonly counter: { rows: number },
  ) {
    super();
  }
  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.bytes += buffer.length;
    if (this.bytes > this.maxBytes) done(new ExportTooLargeError(this.maxBytes, this.counter.rows));
    else done(null, buffer);
  }
}

/**
 * Streams `rows` into `options.path`. Throws `ExportTooLargeError` (the partial file is left for
 * the caller to remove) or whatever reading the rows threw.
 */
export async function writeExport(
  rows: AsyncIterable<ExportedAttempt>,
  options: ExportWriteOptions,
): Promise<ExportWritten> {
  const counter = { rows: 0 };
  const source = Readable.from(records(rows, options.names, options.batchSize ?? 1000, counter));
  const limit = new ByteLimit(options.maxBytes, counter);
  const file = createWriteStream(options.path, { flags: 'wx', mode: 0o600 });
  if (options.format === 'csv') {
    // RFC 4180 quoting (commas, quotes, line breaks); formula-looking cells get a leading ' so a
    // spreadsheet never runs a quiz title or a member name as a formula.
    const csv = stringify({
      header: true,
      columns: [...EXPORT_COLUMNS],
      record_delimiter: '\r\n',
      escape_formulas: true,
    });
    await pipeline(source, csv, limit, file);
  } else {
    await pipeline(Readable.from(jsonText(source)), limit, file);
  }
  return { rows: counter.rows, bytes: limit.bytes };
}
