import fc from 'fast-check';
import { describe, it } from 'vitest';
import { translatorFor } from '../../src/i18n/index.js';
import { QUIZ_LIMITS } from '../../src/quiz/limits.js';
import {
  importQuizFile,
  isYamlErrorCode,
  type QuizFileError,
  type QuizFileFormat,
  serializeQuizFile,
} from '../../src/quiz/quizFile.js';
import type { QuestionInput, QuizInput } from '../../src/quiz/types.js';
import { fileErrorLine, renderQuizFileError } from '../../src/render/quizFileIssues.js';
import { checkProperty, FUZZ_RUNS, fuzzTimeout } from './fuzzHarness.js';

// Invariant: importing any text gives a Result — a valid quiz or errors that say where (line and
// column, or the path of the bad field) — and never throws, crashes the process or hangs.

const formats = fc.constantFrom<QuizFileFormat | 'auto'>('auto', 'yaml', 'json');
const YAML_JSON_CHARS = [...'{}[]:,-?#&*!|>\'"%@`\\ \t\n\r0123456789.eE+aby~né😀\u0000\uFEFF'];
const syntaxChar = fc.constantFrom(...YAML_JSON_CHARS);

function lineCount(text: string): number {
  return text.split('\n').length;
}

/** Throws (failing the property) unless `result` is a well-formed Result for `text`. */
function assertClearResult(text: string, result: ReturnType<typeof importQuizFile>): void {
  if (result.ok) {
    for (const question of result.value.questions) {
      const { options, correctIndex } = question;
      if (options.length < QUIZ_LIMITS.minOptions || options.length > QUIZ_LIMITS.maxOptions)
        throw new Error(`accepted a question with ${options.length} options`);
      if (!(correctIndex >= 0 && correctIndex < options.length))
        throw new Error(`accepted a question whose answer is not an option (${correctIndex})`);
    }
    return;
  }
  const errors = result.error;
  if (!Array.isArray(errors) || errors.length === 0 || errors.length > 20)
    throw new Error(`expected 1-20 errors, got ${JSON.stringify(errors)}`);
  for (const error of errors) assertLocated(text, error);
}

function assertLocated(text: string, error: QuizFileError): void {
  // Every error words in every language (no missing placeholder); the en-US words are checked below.
  const message = renderQuizFileError(error, translatorFor('en-US'));
  for (const t of [translatorFor('en-US'), translatorFor('de')]) {
    const line = fileErrorLine(error, t);
    if (line.trim() === '') throw new Error(`error without a message: ${JSON.stringify(error)}`);
  }
  const lines = lineCount(text);
  const inFile = (line: number, column: number | null) =>
    Number.isInteger(line) && line >= 1 && line <= lines + 1 && (column === null || column >= 1);
  switch (error.kind) {
    case 'fileTooLarge':
      if (!(error.actualBytes > error.maxBytes)) throw new Error(`fileTooLarge below the limit: ${message}`);
      return;
    case 'syntaxError':
      if (!inFile(error.line, error.column))
        throw new Error(`syntax error outside the file (${lines} lines): ${JSON.stringify(error)}`);
      // German readers would get the library's English for a code the catalogue does not word.
      if (error.issue.code === 'yamlSyntax' && !isYamlErrorCode(error.issue.yamlCode))
        throw new Error(`yaml error code not in the catalogue: ${JSON.stringify(error)}`);
      return;
    case 'invalidQuiz':
      if (error.line !== null && !inFile(error.line, error.column))
        throw new Error(`position outside the file (${lines} lines): ${JSON.stringify(error)}`);
      // The file as a whole (empty, a list, a number) has no path; everything else names one.
      if (error.line === null && error.path === '' && !/^the (file|quiz)\b/.test(message))
        throw new Error(`error with neither position nor path: ${JSON.stringify(error)}`);
      return;
    default:
      throw new Error(`unknown error kind: ${JSON.stringify(error)}`);
  }
}

function importText(text: string, format: QuizFileFormat | 'auto'): void {
  assertClearResult(text, importQuizFile(text, format, { defaultTimerSeconds: 30 }));
}

// A small valid quiz, serialized and then damaged.
const word = fc.string({ unit: fc.constantFrom(...'abcdefgh xyz:#-"\'é'), minLength: 1, maxLength: 12 });
const quizArb = fc
  .record({
    name: word,
    questions: fc.array(
      fc.record({
        text: word,
        options: fc.uniqueArray(word, {
          minLength: 2,
          maxLength: 5,
          selector: (o) => o.trim().toLowerCase(),
        }),
        pick: fc.nat(),
        points: fc.integer({ min: 1, max: 1000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ name, questions }) => {
    const quiz: QuizInput = {
      name: name.trim() || 'q',
      description: null,
      timerSeconds: 30,
      questionLimit: null,
      shuffle: false,
      opensAt: null,
      closesAt: null,
    };
    const inputs: QuestionInput[] = questions.map((q) => ({
      text: q.text.trim() || 'q',
      options: q.options.map((o) => o.trim() || 'o'),
      correctIndex: q.pick % q.options.length,
      points: q.points,
      explanation: null,
    }));
    return { quiz, questions: inputs };
  });

type Mutation =
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicateLine'; line: number }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'truncate'; at: number }
  | { op: 'number'; nth: number; value: string }
  | { op: 'indent'; line: number; by: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ unit: syntaxChar, maxLength: 12 }),
      fc.constantFrom(
        '&a',
        '*a',
        '<<: *a',
        '!!binary',
        '!!js/function',
        '- ',
        ': ',
        '\n  ',
        '\t',
        'null',
        '~',
      ),
    ),
  }),
  fc.record({ op: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('number' as const),
    nth: fc.nat(),
    value: fc.constantFrom(
      '0',
      '-1',
      '1e309',
      '1.5',
      '99999999999999999999',
      'NaN',
      '.inf',
      '0x10',
      '"10"',
      'null',
      '[]',
      '{}',
    ),
  }),
  fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 8 }) }),
);

function mutate(text: string, mutation: Mutation): string {
  const lines = text.split('\n');
  const pick = (n: number, length: number) => (length === 0 ? 0 : n % length);
  switch (mutation.op) {
    case 'delete': {
      const at = pick(mutation.at, text.length + 1);
      return text.slice(0, at) + text.slice(at + mutation.length);
    }
    case 'insert': {
      const at = pick(mutation.at, text.length + 1);
      return text.slice(0, at) + mutation.text + text.slice(at);
    }
    case 'duplicateLine': {
      const i = pick(mutation.line, lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 'swapLines': {
      const a = pick(mutation.a, lines.length);
      const b = pick(mutation.b, lines.length);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, pick(mutation.at, text.length + 1));
    case 'number': {
      const numbers = [...text.matchAll(/\b\d+\b/g)];
      const match = numbers[pick(mutation.nth, numbers.length)];
      if (!match || match.index === undefined) return text;
      return text.slice(0, match.index) + mutation.value + text.slice(match.index + match[0].length);
    }
    case 'indent': {
      const i = pick(mutation.line, lines.length);
      const line = lines[i] ?? '';
      lines[i] = mutation.by >= 0 ? ' '.repeat(mutation.by) + line : line.slice(-mutation.by);
      return lines.join('\n');
    }
  }
}

// Nesting within the size limit: flow collections, block sequences and mappings, many levels deep.
const deepArb = fc
  .record({
    opener: fc.constantFrom('[', '{"a":', '[{"q":', '- ', '? ', '{', 'a: {', '!!seq [', '&x ['),
    depth: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 200, max: 60_000 })),
    tail: fc.constantFrom('', '1', '-1e5', 'x', '"s"', '"\\u12', 'true', '*x'),
    closed: fc.boolean(),
    indentedBlock: fc.boolean(),
  })
  .map(({ opener, depth, tail, closed, indentedBlock }) => {
    if (indentedBlock) {
      // a:\n  a:\n    a: … — block mappings, depth bounded by the byte limit (indent grows per level).
      const levels = Math.min(depth, 700);
      return `${Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} ${tail}`;
    }
    const levels = Math.min(depth, Math.floor(QUIZ_LIMITS.maxFileBytes / (opener.length * 2 + 1)));
    const closer = opener.includes('{') ? '}' : opener.includes('[') ? ']' : '';
    return opener.repeat(levels) + tail + (closed ? closer.repeat(levels) : '');
  });

// Anchors and aliases that expand exponentially (a "billion laughs" file) within the size limit.
const aliasBombArb = fc
  .record({
    levels: fc.integer({ min: 1, max: 12 }),
    fanOut: fc.integer({ min: 2, max: 12 }),
    asQuiz: fc.boolean(),
  })
  .map(({ levels, fanOut, asQuiz }) => {
    const lines = ['a0: &a0 ["lol", "lol"]'];
    for (let i = 1; i <= levels; i++)
      lines.push(
        `a${i}: &a${i} [${Array(fanOut)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    if (asQuiz) lines.push('version: 1', 'name: x', `questions: *a${levels}`);
    return lines.join('\n');
  });

describe('fuzz: quiz files (YAML/JSON import)', () => {
  it(
    'arbitrary text → a located error or a quiz, never a throw',
    async () => {
      await checkProperty(
        'quiz file: arbitrary text',
        fc.property(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 400 }),
            fc.string({ unit: syntaxChar, maxLength: 400 }),
            fc.json({ maxDepth: 4 }),
          ),
          formats,
          (text, format) => importText(text, format),
        ),
      );
    },
    fuzzTimeout(5),
  );

  it(
    'mutated valid YAML and JSON quiz files → a located error or a valid quiz',
    async () => {
      await checkProperty(
        'quiz file: mutated valid files',
        fc.property(
          quizArb,
          fc.constantFrom<QuizFileFormat>('yaml', 'json'),
          fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
          formats,
          ({ quiz, questions }, written, mutations, read) => {
            const text = mutations.reduce(mutate, serializeQuizFile(quiz, questions, written));
            importText(text, read);
          },
        ),
      );
    },
    fuzzTimeout(5),
  );

  it(
    'deep nesting and alias bombs → an error, not a stack overflow or a resource exhaustion throw',
    async () => {
      await checkProperty(
        'quiz file: deep nesting and aliases',
        fc.property(fc.oneof(deepArb, aliasBombArb), formats, (text, format) => importText(text, format)),
        { numRuns: Math.min(FUZZ_RUNS, 2_000) },
      );
    },
    fuzzTimeout(40),
  );

  it(
    'inputs around the 512 KiB limit (multi-byte text included) → refused by size or parsed',
    async () => {
      const chunk = fc.constantFrom(
        'a',
        'é',
        '😀',
        '- x\n',
        '{"a":1}',
        '[1]',
        'a: b\n',
        '\n',
        '#',
        '}',
        '&a ',
      );
      await checkProperty(
        'quiz file: huge inputs',
        fc.property(
          chunk,
          fc.oneof(
            fc.integer({ min: QUIZ_LIMITS.maxFileBytes - 8, max: QUIZ_LIMITS.maxFileBytes }),
            fc.integer({ min: QUIZ_LIMITS.maxFileBytes + 1, max: QUIZ_LIMITS.maxFileBytes * 4 }),
          ),
          formats,
          (unit, bytes, format) => {
            const text = unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
            importText(text, format);
          },
        ),
        // A just-under-the-limit file of YAML garbage costs 1-3 s of parsing: fewer cases here.
        { numRuns: Math.max(10, Math.round(FUZZ_RUNS / 200)) },
      );
    },
    fuzzTimeout(30),
  );
});
