/**
 * Writes an attempt export to a file as it is read: rows → records (with member names looked
 * up a page at a time) → CSV (csv-stringify) or a JSON array → a byte limit → the file. Memory
 * holds one page, whatever the history's size; the limit stops reading as soon as the file would
 * be larger than Discord accepts.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
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

/** Records a batch at a time, each batch's member names looked up once (for its distinct ids). */
async function* recordBatches(
  rows: AsyncIterable<ExportedAttempt>,
  names: MemberNames | undefined,
  batchSize: number,
): AsyncGenerator<ExportRecord[]> {
  let batch: ExportedAttempt[] = [];
  const flush = async (): Promise<ExportRecord[]> => {
    const found = names ? await names([...new Set(batch.map((r) => r.userId))]) : new Map<string, null>();
    const records = batch.map((row) => toRecord(row, found.get(row.userId) ?? null));
    batch = [];
    return records;
  };
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= batchSize) yield await flush();
  }
  if (batch.length > 0) yield await flush();
}

/**
 * CSV text a batch at a time (one string per batch: per-record stream chunks cost more than the
 * formatting). RFC 4180 quoting (commas, quotes, line breaks); formula-looking cells get a leading
 * ' so a spreadsheet never runs a quiz title or a member name as a formula.
 */
async function* csvText(batches: AsyncIterable<ExportRecord[]>): AsyncGenerator<TextChunk> {
  let header = true;
  for await (const records of batches) {
    const text = stringify(records, {
      header,
      columns: [...EXPORT_COLUMNS],
      record_delimiter: '\r\n',
      escape_formulas: true,
    });
    yield { text, rows: records.length };
    header = false;
  }
  if (header) yield { text: `${EXPORT_COLUMNS.join(',')}\r\n`, rows: 0 };
}

/** A JSON array, one record per line, a batch at a time. */
async function* jsonText(batches: AsyncIterable<ExportRecord[]>): AsyncGenerator<TextChunk> {
  let first = true;
  for await (const records of batches) {
    if (records.length === 0) continue;
    const text = records.map((r) => JSON.stringify(r)).join(',\n');
    yield { text: `${first ? '[\n' : ',\n'}${text}`, rows: records.length };
    first = false;
  }
  yield { text: first ? '[]\n' : '\n]\n', rows: 0 };
}

/** A piece of the file and how many attempts it holds. */
interface TextChunk {
  text: string;
  rows: number;
}

/** Turns chunks into bytes until more than `maxBytes` went by, then fails the pipeline. */
class ByteLimit extends Transform {
  bytes = 0;
  rows = 0;
  constructor(readonly maxBytes: number) {
    super({ writableObjectMode: true });
  }
  override _transform(chunk: TextChunk, _encoding: BufferEncoding, done: TransformCallback): void {
    const buffer = Buffer.from(chunk.text, 'utf8');
    this.bytes += buffer.length;
    if (this.bytes > this.maxBytes) {
      done(new ExportTooLargeError(this.maxBytes, this.rows));
      return;
    }
    this.rows += chunk.rows;
    done(null, buffer);
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
  const batches = recordBatches(rows, options.names, options.batchSize ?? 1000);
  const text = options.format === 'csv' ? csvText(batches) : jsonText(batches);
  const limit = new ByteLimit(options.maxBytes);
  const file = createWriteStream(options.path, { flags: 'wx', mode: 0o600 });
  await pipeline(Readable.from(text), limit, file);
  return { rows: limit.rows, bytes: limit.bytes };
}
