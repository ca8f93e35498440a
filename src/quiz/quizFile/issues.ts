/**
 * What is wrong with a quiz file, a question modal or the quiz options, as data: a stable `code`
 * and its values. `render/quizFileIssues.ts` words them in the reader's language (the catalogue's
 * `quizFile` area); the CLI prints them in en-US.
 */
import type { ErrorCode as YamlErrorCode } from 'yaml';
import type { z } from 'zod';
import { QUIZ_LIMITS as L } from '../limits.js';

/** A value the author wrote, described by its kind (`not text "ten"`). */
export type ValueDescription =
  | { kind: 'null' }
  | { kind: 'list' }
  | { kind: 'mapping' }
  /** Up to 40 characters of the text, then `…`. */
  | { kind: 'text'; text: string }
  /** Another JavaScript type (`number 5`, `boolean true`, `undefined undefined`). */
  | { kind: 'other'; type: string; value: string };

/** The kinds of value the schema expects, each worded by the catalogue. */
export const EXPECTED_TYPES = ['string', 'number', 'int', 'boolean', 'array', 'object'] as const;
export type ExpectedType = (typeof EXPECTED_TYPES)[number];

/** One rule a value breaks. */
export type QuizFileIssue =
  | { code: 'required' }
  /** `expected` is one of EXPECTED_TYPES, or zod's own name for another type. */
  | { code: 'wrongType'; expected: string; actual: ValueDescription }
  | { code: 'wholeNumber'; actual: ValueDescription }
  | { code: 'empty' }
  | { code: 'tooShort'; min: number }
  | { code: 'tooFewItems'; min: number }
  | { code: 'tooSmall'; min: number; actual: string }
  | { code: 'tooLong'; max: number; actual: number }
  | { code: 'tooManyItems'; max: number; actual: number }
  | { code: 'tooBig'; max: number; actual: string }
  | { code: 'unknownKey'; key: string }
  | { code: 'unknownKeys'; keys: string[] }
  | { code: 'notDateTime'; example: string }
  | { code: 'invalidFormat'; format: string }
  | { code: 'notOneOf'; values: string[] }
  | { code: 'wrongVersion' }
  | { code: 'notSingleLine' }
  | { code: 'tooFewOptions'; min: number; max: number; actual: number }
  | { code: 'tooManyOptions'; min: number; max: number; actual: number }
  | { code: 'tooManyQuestions'; max: number; actual: number }
  | { code: 'closesBeforeOpens' }
  | { code: 'limitOverQuestions'; questions: number; limit: number }
  /** `first` is 1-based. */
  | { code: 'repeatedOption'; first: number; option: string }
  | { code: 'notOneOfOptions'; answer: string; options: string[] }
  /** The modal's "correct answer" field: `last` is the last option's letter, `count` the options. */
  | { code: 'correctMatchesNoOption'; correct: string; last: string; count: number }
  /** The whole file is not a mapping. */
  | { code: 'notAQuiz'; actual: ValueDescription }
  /** An issue zod reports that none of the above covers (a bug to add here). */
  | { code: 'other'; detail: string };

/** What JSON.parse refused, found by `jsonSyntax.ts`; `found` is a character or null (end of file). */
export type JsonSyntaxProblem =
  | { code: 'controlCharacter' }
  | { code: 'unterminatedString' }
  | { code: 'invalidEscape'; escape: string }
  | { code: 'invalidUnicode' }
  | { code: 'invalidNumber' }
  | { code: 'colonExpected'; found: string | null }
  | { code: 'separatorExpected'; container: 'object' | 'array'; found: string | null }
  | { code: 'trailingComma'; closing: string }
  | { code: 'propertyNameExpected'; found: string | null }
  | { code: 'afterEnd'; found: string | null }
  | { code: 'valueExpected'; found: string | null }
  | { code: 'nestedTooDeeply' }
  /** Only JSON.parse refused the text: its own (engine, English) message. */
  | { code: 'engine'; message: string };

/** Why a file could not be read as YAML or JSON at all. */
export type QuizFileSyntaxIssue =
  | { code: 'tooDeep'; max: number }
  | { code: 'json'; problem: JsonSyntaxProblem }
  | { code: 'jsonDuplicateKey' }
  /**
   * The yaml library's error code (a string: a newer yaml may report one not in YAML_ERROR_CODES)
   * and its message (English, without its position).
   */
  | { code: 'yamlSyntax'; yamlCode: string; detail: string }
  /** yaml threw while building the data (alias bombs, unresolved merges): its message. */
  | { code: 'yaml'; reason: string };

/**
 * Every error code of the yaml library, each worded for quiz authors at `quizFile.yaml.<code>`.
 * A Record, so a code added or removed by a yaml upgrade fails to compile until it is worded.
 */
const YAML_ERROR_CODES: Record<YamlErrorCode, true> = {
  ALIAS_PROPS: true,
  BAD_ALIAS: true,
  BAD_COLLECTION_TYPE: true,
  BAD_DIRECTIVE: true,
  BAD_DQ_ESCAPE: true,
  BAD_INDENT: true,
  BAD_PROP_ORDER: true,
  BAD_SCALAR_START: true,
  BLOCK_AS_IMPLICIT_KEY: true,
  BLOCK_IN_FLOW: true,
  DUPLICATE_KEY: true,
  IMPOSSIBLE: true,
  KEY_OVER_1024_CHARS: true,
  MISSING_CHAR: true,
  MULTILINE_IMPLICIT_KEY: true,
  MULTIPLE_ANCHORS: true,
  MULTIPLE_DOCS: true,
  MULTIPLE_TAGS: true,
  NON_STRING_KEY: true,
  RESOURCE_EXHAUSTION: true,
  TAB_AS_INDENT: true,
  TAG_RESOLVE_FAILED: true,
  UNEXPECTED_TOKEN: true,
};

/** True for a yaml error code this Badgey words itself (false for a newer yaml's new code). */
export function isYamlErrorCode(code: string): code is YamlErrorCode {
  return Object.hasOwn(YAML_ERROR_CODES, code);
}

export function describeValue(value: unknown): ValueDescription {
  if (value === null) return { kind: 'null' };
  if (Array.isArray(value)) return { kind: 'list' };
  if (typeof value === 'string')
    return { kind: 'text', text: value.length > 40 ? `${value.slice(0, 40)}…` : value };
  if (typeof value === 'object') return { kind: 'mapping' };
  return { kind: 'other', type: typeof value, value: String(value) };
}

export function countOf(input: unknown): number {
  return Array.isArray(input) ? input.length : 0;
}

/**
 * Markers the schema gives zod as its `error` for the rules with their own wording; zod keeps
 * them as the issue's message and `issueFromZod` turns them back into codes.
 */
export const MARKERS = {
  notSingleLine: 'quizFile:notSingleLine',
  tooFewOptions: 'quizFile:tooFewOptions',
  tooManyOptions: 'quizFile:tooManyOptions',
  tooManyQuestions: 'quizFile:tooManyQuestions',
  wrongVersion: 'quizFile:wrongVersion',
  notDateTime: 'quizFile:notDateTime',
} as const;

/**
 * A zod issue as a QuizFileIssue. Needs the input (parse with `reportInput: true`); custom issues
 * (the cross-field rules) carry theirs in `params.issue`.
 */
export function issueFromZod(iss: z.core.$ZodIssue, example: string): QuizFileIssue {
  const input = (iss as { input?: unknown }).input;
  switch (iss.message) {
    case MARKERS.notSingleLine:
      return { code: 'notSingleLine' };
    case MARKERS.tooFewOptions:
      return { code: 'tooFewOptions', min: L.minOptions, max: L.maxOptions, actual: countOf(input) };
    case MARKERS.tooManyOptions:
      return { code: 'tooManyOptions', min: L.minOptions, max: L.maxOptions, actual: countOf(input) };
    case MARKERS.tooManyQuestions:
      return { code: 'tooManyQuestions', max: L.maxQuestions, actual: countOf(input) };
    case MARKERS.wrongVersion:
      return { code: 'wrongVersion' };
    case MARKERS.notDateTime:
      return { code: 'notDateTime', example };
  }
  switch (iss.code) {
    case 'custom': {
      const issue = (iss.params as { issue?: QuizFileIssue } | undefined)?.issue;
      return issue ?? { code: 'other', detail: iss.message };
    }
    case 'invalid_type':
      if (input === undefined) return { code: 'required' };
      if (iss.expected === 'int') return { code: 'wholeNumber', actual: describeValue(input) };
      return { code: 'wrongType', expected: iss.expected, actual: describeValue(input) };
    case 'too_small': {
      const min = Number(iss.minimum);
      if (iss.origin === 'string') return min === 1 ? { code: 'empty' } : { code: 'tooShort', min };
      if (iss.origin === 'array') return { code: 'tooFewItems', min };
      return { code: 'tooSmall', min, actual: String(input) };
    }
    case 'too_big': {
      const max = Number(iss.maximum);
      // zod counts code points, as Discord does.
      if (iss.origin === 'string')
        return { code: 'tooLong', max, actual: typeof input === 'string' ? [...input].length : 0 };
      if (iss.origin === 'array') return { code: 'tooManyItems', max, actual: countOf(input) };
      return { code: 'tooBig', max, actual: String(input) };
    }
    case 'unrecognized_keys':
      return { code: 'unknownKeys', keys: iss.keys };
    case 'invalid_format':
      return iss.format === 'datetime'
        ? { code: 'notDateTime', example }
        : { code: 'invalidFormat', format: iss.format };
    case 'invalid_value':
      return { code: 'notOneOf', values: iss.values.map((v) => JSON.stringify(v)) };
    default:
      return { code: 'other', detail: iss.message };
  }
}
