/**
 * Reading a quiz file (YAML or JSON) into a validated `QuizFile`, with every error placed at its
 * line and column: size and nesting limits first, then the syntax, then the schema (validate.ts).
 */
import { isMap, isNode, isScalar, LineCounter, parseDocument, visit as visitYaml } from 'yaml';
import { QUIZ_LIMITS as L } from '../limits.js';
import { err, ok, type Result } from '../result.js';
import { describeValue, type QuizFileIssue, type QuizFileSyntaxIssue } from './issues.js';
import { locateJsonSyntaxError } from './jsonSyntax.js';
import {
  fileCrossIssues,
  PARSE_OPTIONS,
  type QuizFile,
  quizFileSchema,
  renderPath,
  withCrossIssues,
} from './validate.js';

// Parsing files
// ---------------------------------------------------------------------------------------------

export type QuizFileFormat = 'yaml' | 'json';

/** A problem of a file, as data: `render/quizFileIssues.ts` words it (with its line and column). */
export type QuizFileError =
  | { kind: 'fileTooLarge'; maxBytes: number; actualBytes: number }
  | { kind: 'syntaxError'; issue: QuizFileSyntaxIssue; line: number; column: number }
  | {
      kind: 'invalidQuiz';
      /** What is wrong at `path`, e.g. `{ code: 'tooManyOptions', …, actual: 6 }`. */
      issue: QuizFileIssue;
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
export const MAX_REPORTED_ERRORS = 20;

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
        issue: { code: 'tooDeep', max: MAX_NESTING_DEPTH },
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
      const problem = found?.problem ?? {
        code: 'engine' as const,
        message: error instanceof Error ? error.message : String(error),
      };
      return err([{ kind: 'syntaxError', issue: { code: 'json', problem }, line, column }]);
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
          issue: { code: 'jsonDuplicateKey' as const },
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
          issue: {
            code: 'yamlSyntax' as const,
            yamlCode: error.code,
            detail: error.message.split(/ at line \d+, column \d+/)[0]?.trim() ?? error.message,
          },
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
      return err([{ kind: 'syntaxError', issue: { code: 'yaml', reason }, line, column }]);
    }
  }

  const parsed = quizFileSchema.safeParse(data, PARSE_OPTIONS);
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
    const notAQuiz =
      issue.path.length === 0 && (issue.issue.code === 'wrongType' || issue.issue.code === 'required');
    return {
      kind: 'invalidQuiz',
      issue: notAQuiz ? { code: 'notAQuiz', actual: describeValue(data) } : issue.issue,
      path,
      ...locate(issue.path, issue.unknownKey),
    };
  });
  // Report in file order, as a compiler does.
  errors.sort((a, b) => positionKey(a) - positionKey(b));
  return err(errors.slice(0, MAX_REPORTED_ERRORS));
}

/** Deeper files are refused; a quiz file needs 4 levels (quiz → questions → question → options). */
export const MAX_NESTING_DEPTH = 64;

/**
 * Offset where `text` first nests deeper than `limit`, or null. Counts flow brackets outside
 * quoted strings and comments, plus block indentation levels and `- ` / `? ` entries; an
 * over-estimate is fine (only absurd files come near the limit).
 */
export function findExcessiveNesting(text: string, limit: number): number | null {
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
export function parseYamlDocument(
  source: string,
  lineCounter: LineCounter,
): ReturnType<typeof parseDocument> {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** A quote at `i` starts a quoted scalar (not an apostrophe inside plain text like `it's`). */
export function opensScalar(text: string, i: number, lineStart: number): boolean {
  let j = i - 1;
  while (j >= lineStart && (text[j] === ' ' || text[j] === '\t')) j--;
  return j < lineStart || '[{,:-?'.includes(text[j] ?? '');
}

/** Offset of the first alias (`*name`) in a YAML document, for errors about aliases. */
export function firstAliasOffset(doc: ReturnType<typeof parseDocument>): number | undefined {
  let offset: number | undefined;
  visitYaml(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visitYaml.BREAK;
    },
  });
  return offset;
}

export function positionKey(error: QuizFileError): number {
  return error.kind === 'invalidQuiz' && error.line !== null ? error.line * 1e6 + (error.column ?? 0) : 1e15;
}

export function detectFormat(text: string): QuizFileFormat {
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Offset of the node at `path`, or of its nearest existing ancestor; for an unknown key, that key. */
export function nodeOffset(
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
