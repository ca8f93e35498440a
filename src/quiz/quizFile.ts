/**
 * The quiz file format (YAML or JSON) and the ONE validator behind import, the question modal,
 * the quiz create/edit options, the CLI and the editor JSON Schema (generated from the same zod
 * schema, see `toJsonSchema`).
 *
 * ```yaml
 * version: 1
 * name: Solar system
 * description: Planets and moons   # optional
 * timer_seconds: 30                # optional, 5..600 (default: the bot's QUIZ_DEFAULT_TIMER_SECONDS)
 * question_limit: 1                # optional: ask at most this many per attempt (≤ questions)
 * shuffle: true                    # optional, default false
 * opens_at: 2026-05-01T18:00:00Z   # optional ISO 8601 date-time with a time zone
 * closes_at: 2026-05-08T18:00:00Z  # optional, after opens_at
 * questions:
 *   - question: Which planet is largest?
 *     options: [Mars, Jupiter, Venus]
 *     answer: Jupiter              # the exact text of the correct option
 *     points: 10                   # optional, 1..1000, default 10
 *     explanation: Jupiter is 11 Earths wide.   # optional, shown on a wrong answer or timeout
 *   - question: Which planet has a moon called Phobos?
 *     options:
 *       - Mars
 *       - Earth
 *     answer: Mars
 * ```
 */

import { isMap, isNode, isScalar, LineCounter, parseDocument, stringify as stringifyYaml, visit } from 'yaml';
import { z } from 'zod';
import { QUIZ_LIMITS as L, OPTION_LETTERS } from './limits.js';
import { err, ok, type Result } from './result.js';
import type { QuestionInput, QuizInput } from './types.js';

// ---------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------

const EXAMPLE_DATE = '2026-05-01T18:00:00Z';

function boundedText(max: number, description: string) {
  return z.string().trim().min(1).max(max).meta({ description });
}

function optionalText(max: number, description: string) {
  return z.string().trim().max(max).nullable().optional().meta({ description });
}

const dateTime = z.iso
  .datetime({ offset: true, error: `must be an ISO 8601 date-time with a time zone, like ${EXAMPLE_DATE}` })
  .nullable()
  .optional();

/** The quiz-level settings: shared by the file and by `/quiz create` / `/quiz edit`. */
const settingsShape = {
  name: boundedText(L.nameMaxLength, 'Quiz name, shown as the embed title and in autocomplete.'),
  description: optionalText(L.descriptionMaxLength, 'Optional description, shown in the quiz list.'),
  timer_seconds: z
    .number()
    .int()
    .min(L.minTimerSeconds)
    .max(L.maxTimerSeconds)
    .nullable()
    .optional()
    .meta({ description: 'Seconds per question. Points decay linearly to 0 over this time.' }),
  question_limit: z
    .number()
    .int()
    .min(1)
    .max(L.maxQuestions)
    .nullable()
    .optional()
    .meta({ description: 'Ask at most this many questions per attempt (at most the number of questions).' }),
  shuffle: z
    .boolean()
    .nullable()
    .optional()
    .meta({ description: 'Shuffle the question order for every attempt. Default false.' }),
  opens_at: dateTime.meta({
    description: `Attempts may start from this time (ISO 8601 with time zone, e.g. ${EXAMPLE_DATE}).`,
  }),
  closes_at: dateTime.meta({ description: 'Attempts may start only before this time; after opens_at.' }),
};

/** A rule that spans fields (zod reports it as a custom issue at `path`). */
interface CrossIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Cross-field rules as plain functions over unvalidated input: zod runs them as refinements, and
 * `parseQuizFile` also runs them when a field already failed (zod then skips refinements), so one
 * reply lists every mistake. Hence the defensive reads: a failed field may hold anything.
 */
function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && z.iso.datetime({ offset: true }).safeParse(value).success;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function settingsCrossIssues(value: unknown, questionCount: number | undefined): CrossIssue[] {
  if (!isRecord(value)) return [];
  const issues: CrossIssue[] = [];
  const { opens_at: opensAt, closes_at: closesAt, question_limit: limit } = value;
  if (isDateTime(opensAt) && isDateTime(closesAt) && Date.parse(opensAt) >= Date.parse(closesAt)) {
    issues.push({ path: ['closes_at'], message: 'must be later than opens_at' });
  }
  if (
    questionCount !== undefined &&
    questionCount > 0 &&
    typeof limit === 'number' &&
    limit > questionCount
  ) {
    issues.push({
      path: ['question_limit'],
      message: `must be at most the number of questions (${questionCount}), got ${limit}`,
    });
  }
  return issues;
}

function questionCrossIssues(value: unknown): CrossIssue[] {
  if (!isRecord(value) || !Array.isArray(value.options)) return [];
  const issues: CrossIssue[] = [];
  const options = value.options.map((o: unknown) => (typeof o === 'string' ? o.trim() : ''));
  const seen = new Map<string, number>();
  options.forEach((option, index) => {
    if (option === '') return;
    const key = option.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: ['options', index],
        message: `repeats option ${first + 1} ("${option}"); options must differ (ignoring case)`,
      });
    } else {
      seen.set(key, index);
    }
  });
  const answer = value.answer;
  if (options.length > 0 && typeof answer === 'string' && answer.trim() !== '') {
    if (findOptionIndex(options, answer) === -1) {
      issues.push({
        path: ['answer'],
        message: `"${answer.trim()}" is not one of the options (${options.map((o) => `"${o}"`).join(', ')})`,
      });
    }
  }
  return issues;
}

function fileCrossIssues(value: unknown): CrossIssue[] {
  if (!isRecord(value)) return [];
  const questions = Array.isArray(value.questions) ? value.questions : undefined;
  const issues = settingsCrossIssues(value, questions?.length);
  questions?.forEach((question, index) => {
    for (const issue of questionCrossIssues(question)) {
      issues.push({ path: ['questions', index, ...issue.path], message: issue.message });
    }
  });
  return issues;
}

function refineWith<T>(rule: (value: T) => CrossIssue[]) {
  return (value: T, ctx: z.RefinementCtx<T>) => {
    for (const issue of rule(value))
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  };
}

const optionsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(L.optionMaxLength)
      // The modal edits options one per line, so an option must fit on one.
      .regex(/^[^\r\n]*$/, { error: 'must be a single line' }),
  )
  .min(L.minOptions, {
    error: (iss) => `must list ${L.minOptions} to ${L.maxOptions} options (has ${countOf(iss.input)})`,
  })
  .max(L.maxOptions, {
    error: (iss) =>
      `must list ${L.minOptions} to ${L.maxOptions} options (has ${countOf(iss.input)}): one row of answer buttons holds ${L.maxOptions}`,
  })
  .meta({
    description: `${L.minOptions} to ${L.maxOptions} answer options (button labels, ≤ ${L.optionMaxLength} characters each).`,
  });

const questionSchema = z
  .strictObject({
    question: boundedText(L.questionMaxLength, 'The question text.'),
    options: optionsSchema,
    answer: z
      .string()
      .trim()
      .min(1)
      .meta({ description: 'The exact text of the correct option (case is ignored when matching).' }),
    points: z
      .number()
      .int()
      .min(L.minPoints)
      .max(L.maxPoints)
      .nullable()
      .optional()
      .meta({ description: `Points for an instant correct answer. Default ${L.defaultPoints}.` }),
    explanation: optionalText(L.explanationMaxLength, 'Shown after a wrong answer or a timeout.'),
  })
  .superRefine(refineWith(questionCrossIssues));

/** The whole file. Unknown keys are refused so a typo (`timer: 30`) is not silently ignored. */
export const quizFileSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Editors may point this at the JSON Schema.' }),
    version: z.literal(1, { error: 'must be 1 (the only quiz file version this Badgey reads)' }),
    ...settingsShape,
    questions: z
      .array(questionSchema)
      .max(L.maxQuestions, {
        error: (iss) => `must have at most ${L.maxQuestions} questions (has ${countOf(iss.input)})`,
      })
      .meta({ description: `Up to ${L.maxQuestions} questions, in order.` }),
  })
  .superRefine(refineWith((value) => settingsCrossIssues(value, value.questions.length)))
  .meta({
    title: 'Badgey quiz file',
    description: 'A quiz for the Badgey Discord bot: `/quiz import` reads it, `/quiz export` writes it.',
  });

export type QuizFile = z.output<typeof quizFileSchema>;
export type QuizFileQuestion = z.output<typeof questionSchema>;

const settingsSchema = z.strictObject(settingsShape);

/** Index of `answer` among `options`: exact text first, then ignoring case (options are unique ignoring case). */
export function findOptionIndex(options: readonly string[], answer: string): number {
  const wanted = answer.trim();
  const exact = options.indexOf(wanted);
  if (exact !== -1) return exact;
  const lower = wanted.toLowerCase();
  return options.findIndex((option) => option.toLowerCase() === lower);
}

function countOf(input: unknown): number {
  return Array.isArray(input) ? input.length : 0;
}

// ---------------------------------------------------------------------------------------------
// Error messages: one wording for file, modal and command options
// ---------------------------------------------------------------------------------------------

function describeValue(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
};

/** Per-parse error map: friendly predicate phrases ("must be at most 80 characters (has 93)"). */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'is required';
      if (iss.expected === 'int') return `must be a whole number, not ${describeValue(iss.input)}`;
      return `must be ${EXPECTED_NAMES[iss.expected] ?? iss.expected}, not ${describeValue(iss.input)}`;
    case 'too_small':
      if (iss.origin === 'string')
        return iss.minimum === 1 ? 'must not be empty' : `must be at least ${iss.minimum} characters`;
      if (iss.origin === 'array') return `must have at least ${iss.minimum} items`;
      return `must be at least ${iss.minimum}, got ${String(iss.input)}`;
    case 'too_big':
      if (iss.origin === 'string') {
        // zod counts code points, as Discord does.
        const length = typeof iss.input === 'string' ? [...iss.input].length : 0;
        return `must be at most ${iss.maximum} characters (has ${length})`;
      }
      if (iss.origin === 'array') return `must have at most ${iss.maximum} items (has ${countOf(iss.input)})`;
      return `must be at most ${iss.maximum}, got ${String(iss.input)}`;
    case 'unrecognized_keys':
      return `has unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_format':
      return iss.format === 'datetime'
        ? `must be an ISO 8601 date-time with a time zone, like ${EXAMPLE_DATE}`
        : `is not a valid ${iss.format}`;
    case 'invalid_value':
      return `must be ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    default:
      return undefined;
  }
};

/** Renders an issue path like `questions[3].options[1]`. */
export function renderPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing files
// ---------------------------------------------------------------------------------------------

export type QuizFileFormat = 'yaml' | 'json';

export type QuizFileError =
  | { kind: 'fileTooLarge'; message: string; maxBytes: number; actualBytes: number }
  | { kind: 'syntaxError'; message: string; line: number; column: number }
  | {
      kind: 'invalidQuiz';
      /** Includes the path, e.g. `questions[3].options must list 2 to 5 options (has 6)`. */
      message: string;
      /** e.g. `questions[3].options`; empty for the file as a whole. */
      path: string;
      line: number | null;
      column: number | null;
    };

export interface ParseQuizFileOptions {
  /** Refuse larger inputs (UTF-8 bytes). @defaultValue QUIZ_LIMITS.maxFileBytes */
  maxBytes?: number;
}

/** At most this many errors are reported per file, so a wildly wrong file gives a readable reply. */
const MAX_REPORTED_ERRORS = 20;

/**
 * Parses and validates a quiz file. `auto` picks JSON when the text starts with `{`, else YAML
 * (YAML 1.2 reads JSON too, but JSON gets the stricter JSON parser and its own error positions).
 */
export function parseQuizFile(
  text: string,
  format: QuizFileFormat | 'auto',
  opts: ParseQuizFileOptions = {},
): Result<QuizFile, QuizFileError[]> {
  const maxBytes = opts.maxBytes ?? L.maxFileBytes;
  const actualBytes = Buffer.byteLength(text, 'utf8');
  if (actualBytes > maxBytes) {
    return err([
      {
        kind: 'fileTooLarge',
        message: `the file is ${formatBytes(actualBytes)}; the limit is ${formatBytes(maxBytes)}`,
        maxBytes,
        actualBytes,
      },
    ]);
  }
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const resolved = format === 'auto' ? detectFormat(source) : format;

  // Refused before parsing: near the stack limit V8 can abort the whole process (not throw) when
  // it compiles a regular expression, and both parsers recurse per level (found by test/fuzz).
  const tooDeep = findExcessiveNesting(source, MAX_NESTING_DEPTH);
  if (tooDeep !== null) {
    const { line, column } = lineAndColumn(source, tooDeep);
    return err([
      {
        kind: 'syntaxError',
        message: `the file is nested more than ${MAX_NESTING_DEPTH} levels deep (a quiz needs 4)`,
        line,
        column,
      },
    ]);
  }

  let data: unknown;
  if (resolved === 'json') {
    try {
      data = JSON.parse(source);
    } catch (error) {
      const found = locateJsonSyntaxError(source);
      const offset = found?.offset ?? source.length;
      const { line, column } = lineAndColumn(source, offset);
      const message = found?.message ?? (error instanceof Error ? error.message : 'invalid JSON');
      return err([{ kind: 'syntaxError', message: `JSON syntax error: ${message}`, line, column }]);
    }
  }
  // Parsed as YAML only after JSON.parse accepted JSON text: yaml is slow on garbage (found by test/fuzz).
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(source, lineCounter);
  const linePosition = (error: { pos: [number, number] }) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { line, column: col };
  };
  if (resolved === 'json') {
    // JSON.parse keeps the last of two equal keys; an author who wrote two meant something else.
    const duplicates = doc.errors.filter((error) => error.code === 'DUPLICATE_KEY');
    if (duplicates.length > 0) {
      return err(
        duplicates.slice(0, MAX_REPORTED_ERRORS).map((error) => ({
          kind: 'syntaxError' as const,
          message: 'JSON error: the same key appears twice in one object',
          ...linePosition(error),
        })),
      );
    }
  } else {
    if (doc.errors.length > 0) {
      return err(
        doc.errors.slice(0, MAX_REPORTED_ERRORS).map((error) => ({
          kind: 'syntaxError' as const,
          // yaml appends " at line L, column C:" and a source excerpt; we report the position separately.
          message: `YAML syntax error: ${error.message.split(/ at line \d+, column \d+/)[0]?.trim() ?? error.message}`,
          ...linePosition(error),
        })),
      );
    }
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // yaml throws (not reports) for an alias bomb or an unresolved `<<: *alias` merge (found by test/fuzz).
      const reason = error instanceof Error ? error.message : String(error);
      const offset = firstAliasOffset(doc) ?? 0;
      const { line, column } = lineAndColumn(source, offset);
      return err([{ kind: 'syntaxError', message: `YAML error: ${reason}`, line, column }]);
    }
  }

  const parsed = quizFileSchema.safeParse(data, { error: errorMap });
  if (parsed.success) return ok(parsed.data);

  const locate = (
    path: readonly PropertyKey[],
    key?: string,
  ): { line: number | null; column: number | null } => {
    // JSON that YAML could not read (e.g. duplicate keys) has no positions; errors still name the path.
    if (doc.errors.length > 0) return { line: null, column: null };
    const offset = nodeOffset(doc, path, key);
    if (offset === undefined) return { line: null, column: null };
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const errors = withCrossIssues(parsed.error.issues, fileCrossIssues(data)).map((issue): QuizFileError => {
    const path = renderPath(issue.path);
    const message =
      issue.path.length === 0 && issue.code === 'invalid_type'
        ? `the file must hold a quiz (a mapping with version, name and questions), not ${describeValue(data)}`
        : `${path === '' ? 'the quiz' : path} ${issue.message}`;
    return { kind: 'invalidQuiz', message, path, ...locate(issue.path, issue.unknownKey) };
  });
  // Report in file order, as a compiler does.
  errors.sort((a, b) => positionKey(a) - positionKey(b));
  return err(errors.slice(0, MAX_REPORTED_ERRORS));
}

/** Deeper files are refused; a quiz file needs 4 levels (quiz → questions → question → options). */
const MAX_NESTING_DEPTH = 64;

/**
 * Offset where `text` first nests deeper than `limit`, or null. Counts flow brackets outside
 * quoted strings and comments, plus block indentation levels and `- ` / `? ` entries; an
 * over-estimate is fine (only absurd files come near the limit).
 */
function findExcessiveNesting(text: string, limit: number): number | null {
  let flow = 0;
  const indents: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a line: block depth from indentation and leading sequence/complex-key indicators.
    const lineStart = i;
    while (i < n && text[i] === ' ') i++;
    const indent = i - lineStart;
    if (i < n && text[i] !== '\n' && text[i] !== '\r' && text[i] !== '#' && flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      let compact = 0;
      while ((text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        compact++;
        i += 2;
        while (text[i] === ' ' || text[i] === '\t') i++;
      }
      if (indents.length + compact > limit) return i;
    }
    // Rest of the line: flow brackets outside strings and comments.
    while (i < n && text[i] !== '\n') {
      const c = text[i];
      if ((c === '"' || c === "'") && opensScalar(text, i, lineStart)) {
        const quote = c;
        i++;
        while (i < n && text[i] !== quote) i += text[i] === '\\' && quote === '"' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        while (i < n && text[i] !== '\n') i++;
        break;
      }
      if (c === '[' || c === '{') {
        flow++;
        if (flow + indents.length > limit) return i;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      }
      i++;
    }
    i++;
  }
  return null;
}

/**
 * yaml's parseDocument without its costs on hostile input: `prettyErrors` builds a source excerpt
 * per error (quadratic on one long line) and every error captures a stack trace; a 512 KiB file of
 * `{"a":1}` took minutes before. Positions come from the LineCounter instead.
 */
function parseYamlDocument(source: string, lineCounter: LineCounter): ReturnType<typeof parseDocument> {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** A quote at `i` starts a quoted scalar (not an apostrophe inside plain text like `it's`). */
function opensScalar(text: string, i: number, lineStart: number): boolean {
  let j = i - 1;
  while (j >= lineStart && (text[j] === ' ' || text[j] === '\t')) j--;
  return j < lineStart || '[{,:-?'.includes(text[j] ?? '');
}

/** Offset of the first alias (`*name`) in a YAML document, for errors about aliases. */
function firstAliasOffset(doc: ReturnType<typeof parseDocument>): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function positionKey(error: QuizFileError): number {
  return error.kind === 'invalidQuiz' && error.line !== null ? error.line * 1e6 + (error.column ?? 0) : 1e15;
}

interface ReportedIssue {
  path: PropertyKey[];
  message: string;
  code: string;
  unknownKey?: string;
}

/** zod's issues plus the cross-field rules zod skipped because a field had already failed. */
function withCrossIssues(issues: readonly z.core.$ZodIssue[], cross: CrossIssue[]): ReportedIssue[] {
  const out: ReportedIssue[] = issues.map((issue) => ({
    path: issue.path,
    message: issue.message,
    code: issue.code,
    ...(issue.code === 'unrecognized_keys' ? { unknownKey: issue.keys[0] } : {}),
  }));
  const seen = new Set(out.map((issue) => `${renderPath(issue.path)}\0${issue.message}`));
  for (const issue of cross) {
    const key = `${renderPath(issue.path)}\0${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ path: issue.path, message: issue.message, code: 'custom' });
    }
  }
  return out;
}

function detectFormat(text: string): QuizFileFormat {
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)` : `${bytes} bytes`;
}

/** Offset of the node at `path`, or of its nearest existing ancestor; for an unknown key, that key. */
function nodeOffset(
  doc: ReturnType<typeof parseDocument>,
  path: readonly PropertyKey[],
  key: string | undefined,
): number | undefined {
  const segments = path.map((s) => (typeof s === 'symbol' ? String(s) : s));
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true);
    if (!isNode(node)) continue;
    if (key !== undefined && depth === segments.length && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node.range) return node.range[0];
  }
  return undefined;
}

/** 1-based line and column (UTF-16 units) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'JsonScanError';
  }
}

/**
 * Finds where JSON text goes wrong. Node 20's JSON.parse messages carry no position, so this small
 * scanner (RFC 8259 grammar) supplies the offset and a plain-words reason.
 */
export function locateJsonSyntaxError(text: string): { offset: number; message: string } | null {
  let i = 0;
  const n = text.length;
  const show = (c: string | undefined) => (c === undefined ? 'end of file' : `"${c}"`);
  const fail = (message: string): never => {
    throw new JsonScanError(i, message);
  };
  const skipWhitespace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const scanString = () => {
    const start = i;
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) {
        i = start;
        fail('unterminated string');
      } else if (c === '"') {
        i++;
        return;
      } else if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            fail('invalid \\u escape: needs 4 hex digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          fail(`invalid escape "\\${e ?? ''}" in string`);
        }
      } else if (c.charCodeAt(0) < 0x20) {
        fail('line break or control character inside a string (write \\n instead)');
      } else {
        i++;
      }
    }
  };
  const scanValue = (): void => {
    skipWhitespace();
    const c = text[i];
    if (c === '{') {
      i++;
      skipWhitespace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipWhitespace();
        if (text[i] !== '"') {
          fail(
            text[i] === '}'
              ? 'trailing comma before "}"'
              : `expected a property name in double quotes, found ${show(text[i])}`,
          );
        }
        scanString();
        skipWhitespace();
        if (text[i] !== ':') fail(`expected ":" after the property name, found ${show(text[i])}`);
        i++;
        scanValue();
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected "," or "}" after a property value, found ${show(text[i])}`);
      }
    }
    if (c === '[') {
      i++;
      skipWhitespace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        skipWhitespace();
        if (text[i] === ']') fail('trailing comma before "]"');
        scanValue();
        skipWhitespace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected "," or "]" after a list item, found ${show(text[i])}`);
      }
    }
    if (c === '"') {
      scanString();
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      number.lastIndex = i;
      if (!number.test(text)) fail('invalid number');
      i = number.lastIndex;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    fail(
      c === undefined
        ? 'unexpected end of file: expected a value'
        : `unexpected ${show(c)}: expected a value`,
    );
  };
  try {
    scanValue();
    skipWhitespace();
    if (i < n) fail(`unexpected ${show(text[i])} after the end of the JSON value`);
    return null;
  } catch (error) {
    if (error instanceof JsonScanError) return { offset: error.offset, message: error.message };
    // Nesting deep enough to exhaust the stack: report at the start rather than crash.
    return { offset: 0, message: 'JSON nested too deeply' };
  }
}

// ---------------------------------------------------------------------------------------------
// File ⇄ domain
// ---------------------------------------------------------------------------------------------

export interface QuizFileContent {
  quiz: QuizInput;
  questions: QuestionInput[];
}

/** Turns a validated file into what the store saves. */
export function quizFileToInputs(file: QuizFile, opts: { defaultTimerSeconds: number }): QuizFileContent {
  return {
    quiz: {
      name: file.name,
      description: file.description || null,
      timerSeconds: file.timer_seconds ?? opts.defaultTimerSeconds,
      questionLimit: file.question_limit ?? null,
      shuffle: file.shuffle ?? false,
      opensAt: file.opens_at ? Date.parse(file.opens_at) : null,
      closesAt: file.closes_at ? Date.parse(file.closes_at) : null,
    },
    questions: file.questions.map((q) => ({
      text: q.question,
      options: [...q.options],
      correctIndex: findOptionIndex(q.options, q.answer),
      points: q.points ?? L.defaultPoints,
      explanation: q.explanation || null,
    })),
  };
}

/** Parses and converts in one step (import). */
export function importQuizFile(
  text: string,
  format: QuizFileFormat | 'auto',
  opts: ParseQuizFileOptions & { defaultTimerSeconds: number },
): Result<QuizFileContent, QuizFileError[]> {
  const parsed = parseQuizFile(text, format, opts);
  return parsed.ok ? ok(quizFileToInputs(parsed.value, opts)) : parsed;
}

/**
 * Writes a quiz in the file format (export). `question_limit` is written only when it is at most
 * the number of questions (a larger limit means "all", and the file format refuses it).
 * Questions are written in the order given (pass them by position).
 */
export function serializeQuizFile(
  quiz: QuizInput,
  questions: readonly QuestionInput[],
  format: QuizFileFormat,
): string {
  const file: Record<string, unknown> = { version: 1, name: quiz.name };
  if (quiz.description) file.description = quiz.description;
  file.timer_seconds = quiz.timerSeconds;
  if (quiz.questionLimit !== null && quiz.questionLimit <= questions.length)
    file.question_limit = quiz.questionLimit;
  file.shuffle = quiz.shuffle;
  if (quiz.opensAt !== null) file.opens_at = new Date(quiz.opensAt).toISOString();
  if (quiz.closesAt !== null) file.closes_at = new Date(quiz.closesAt).toISOString();
  file.questions = questions.map((q) => {
    const out: Record<string, unknown> = {
      question: q.text,
      options: [...q.options],
      answer: q.options[q.correctIndex] ?? '',
      points: q.points,
    };
    if (q.explanation) out.explanation = q.explanation;
    return out;
  });
  if (format === 'json') return `${JSON.stringify(file, null, 2)}\n`;
  // lineWidth 0: never fold long lines, so what is exported is byte-for-byte what was authored.
  return stringifyYaml(file, { lineWidth: 0 });
}

/** The editor JSON Schema, generated from the same zod schema the validator uses. */
export function toJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(quizFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// The question modal and the quiz create/edit options (same schema, field-named errors)
// ---------------------------------------------------------------------------------------------

export type QuestionField = 'question' | 'options' | 'correct' | 'points' | 'explanation';
export type QuizField =
  | 'name'
  | 'description'
  | 'timerSeconds'
  | 'questionLimit'
  | 'shuffle'
  | 'opensAt'
  | 'closesAt';

export interface FieldError<F extends string = string> {
  field: F;
  /** A full sentence naming the field, e.g. `Options must list 2 to 5 options (has 1)`. */
  message: string;
}

const QUESTION_FIELD_LABELS: Record<QuestionField, string> = {
  question: 'Question',
  options: 'Options',
  correct: 'Correct answer',
  points: 'Points',
  explanation: 'Explanation',
};

/** The raw text of the question modal's inputs. */
export interface QuestionModalInput {
  question: string;
  /** One option per line; blank lines are ignored. */
  options: string;
  /** The correct option's text, its letter (A–E) or its number (1–5). */
  correct: string;
  /** Empty: the default (10). */
  points?: string | null;
  explanation?: string | null;
}

/** Splits the modal's options text: one option per line, trimmed, blank lines dropped. */
export function splitOptionLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Resolves "correct" typed in the modal: exact/case-insensitive text, then a letter, then a 1-based number. */
export function resolveCorrectOption(options: readonly string[], correct: string): number {
  const byText = findOptionIndex(options, correct);
  if (byText !== -1) return byText;
  const trimmed = correct.trim();
  const letter = OPTION_LETTERS.indexOf(trimmed.toUpperCase() as (typeof OPTION_LETTERS)[number]);
  if (trimmed.length === 1 && letter !== -1 && letter < options.length) return letter;
  if (/^\d+$/.test(trimmed)) {
    const number = Number(trimmed);
    if (number >= 1 && number <= options.length) return number - 1;
  }
  return -1;
}

/** Prefills the modal when editing: `parseQuestionModal(questionToModalInput(q))` gives `q` back. */
export function questionToModalInput(question: QuestionInput): Required<QuestionModalInput> {
  return {
    question: question.text,
    options: question.options.join('\n'),
    correct: question.options[question.correctIndex] ?? '',
    points: String(question.points),
    explanation: question.explanation ?? '',
  };
}

/** Validates the question modal with the file's question schema; errors name the modal field. */
export function parseQuestionModal(
  input: QuestionModalInput,
): Result<QuestionInput, FieldError<QuestionField>[]> {
  const options = splitOptionLines(input.options);
  const correctIndex = resolveCorrectOption(options, input.correct);
  const pointsText = (input.points ?? '').trim();
  const candidate = {
    question: input.question,
    options,
    answer: correctIndex === -1 ? input.correct : (options[correctIndex] ?? ''),
    points:
      pointsText === '' ? undefined : /^[+-]?\d+(\.\d+)?$/.test(pointsText) ? Number(pointsText) : pointsText,
    explanation: input.explanation ?? undefined,
  };
  const parsed = questionSchema.safeParse(candidate, { error: errorMap });
  const errors: FieldError<QuestionField>[] = [];
  if (!parsed.success) {
    for (const issue of withCrossIssues(parsed.error.issues, questionCrossIssues(candidate))) {
      const key = issue.path[0];
      const field: QuestionField = key === 'answer' ? 'correct' : (key as QuestionField);
      if (field === 'correct') continue; // reported below, with the modal's own wording
      const label = QUESTION_FIELD_LABELS[field] ?? 'Question';
      const which =
        field === 'options' && typeof issue.path[1] === 'number' ? ` (option ${issue.path[1] + 1})` : '';
      errors.push({ field, message: `${label}${which} ${issue.message}` });
    }
  }
  if (correctIndex === -1 && options.length >= L.minOptions) {
    const last = OPTION_LETTERS[Math.min(options.length, OPTION_LETTERS.length) - 1];
    errors.push({
      field: 'correct',
      message: `Correct answer "${input.correct.trim()}" matches no option: type the option's text, its letter (A–${last}) or its number (1–${options.length})`,
    });
  }
  if (errors.length > 0 || !parsed.success) return err(dedupe(errors));
  return ok({
    text: parsed.data.question,
    options: parsed.data.options,
    correctIndex,
    points: parsed.data.points ?? L.defaultPoints,
    explanation: parsed.data.explanation || null,
  });
}

const QUIZ_FIELD_LABELS: Record<QuizField, string> = {
  name: 'Name',
  description: 'Description',
  timerSeconds: 'Timer (seconds)',
  questionLimit: 'Question limit',
  shuffle: 'Shuffle',
  opensAt: 'Opens at',
  closesAt: 'Closes at',
};

const FILE_KEY_TO_FIELD: Record<string, QuizField> = {
  name: 'name',
  description: 'description',
  timer_seconds: 'timerSeconds',
  question_limit: 'questionLimit',
  shuffle: 'shuffle',
  opens_at: 'opensAt',
  closes_at: 'closesAt',
};

/** `/quiz create` and `/quiz edit` options (already merged with the current values when editing). */
export interface QuizSettingsInput {
  name: string;
  description?: string | null;
  timerSeconds?: number | null;
  questionLimit?: number | null;
  shuffle?: boolean | null;
  /** ISO 8601 text (as typed) or epoch ms. */
  opensAt?: string | number | null;
  closesAt?: string | number | null;
}

/** Validates quiz settings with the file's schema; errors name the option. */
export function validateQuizInput(
  input: QuizSettingsInput,
  opts: { defaultTimerSeconds: number; questionCount?: number },
): Result<QuizInput, FieldError<QuizField>[]> {
  const toIso = (value: string | number | null | undefined): string | null | undefined => {
    if (typeof value !== 'number') return value;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
  };
  const candidate = {
    name: input.name,
    description: input.description,
    timer_seconds: input.timerSeconds,
    question_limit: input.questionLimit,
    shuffle: input.shuffle,
    opens_at: toIso(input.opensAt),
    closes_at: toIso(input.closesAt),
  };
  const parsed = settingsSchema
    .superRefine(refineWith((value) => settingsCrossIssues(value, opts.questionCount)))
    .safeParse(candidate, { error: errorMap });
  if (!parsed.success) {
    return err(
      dedupe(
        withCrossIssues(parsed.error.issues, settingsCrossIssues(candidate, opts.questionCount)).map(
          (issue) => {
            const field = FILE_KEY_TO_FIELD[String(issue.path[0])] ?? 'name';
            const message = issue.message.replace('opens_at', QUIZ_FIELD_LABELS.opensAt.toLowerCase());
            return { field, message: `${QUIZ_FIELD_LABELS[field]} ${message}` };
          },
        ),
      ),
    );
  }
  const v = parsed.data;
  return ok({
    name: v.name,
    description: v.description || null,
    timerSeconds: v.timer_seconds ?? opts.defaultTimerSeconds,
    questionLimit: v.question_limit ?? null,
    shuffle: v.shuffle ?? false,
    opensAt: v.opens_at ? Date.parse(v.opens_at) : null,
    closesAt: v.closes_at ? Date.parse(v.closes_at) : null,
  });
}

function dedupe<F extends string>(errors: FieldError<F>[]): FieldError<F>[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (seen.has(e.message)) return false;
    seen.add(e.message);
    return true;
  });
}

/** `FILE:LINE:COL: message` (or `FILE: message` without a position), as compilers print. */
export function formatQuizFileError(error: QuizFileError, fileName: string): string {
  if (error.kind === 'syntaxError') return `${fileName}:${error.line}:${error.column}: ${error.message}`;
  if (error.kind === 'invalidQuiz' && error.line !== null) {
    return `${fileName}:${error.line}:${error.column ?? 1}: ${error.message}`;
  }
  return `${fileName}: ${error.message}`;
}
