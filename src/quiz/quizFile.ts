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
 *
 * The jobs live in quizFile/: `parse.ts` (text → QuizFile with line/column errors; JSON syntax
 * errors from jsonc-parser via `jsonSyntax.ts`),
 * `validate.ts` (the schema), `issues.ts` (what can be wrong, as codes and values: worded by
 * `render/quizFileIssues.ts`), `forms.ts` (the question modal and the create/edit options); this
 * module converts between the file and the domain and is the import path for all.
 */

import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { QUIZ_LIMITS as L } from './limits.js';
import {
  type ParseQuizFileOptions,
  parseQuizFile,
  type QuizFileError,
  type QuizFileFormat,
} from './quizFile/parse.js';
import { findOptionIndex, type QuizFile, quizFileSchema } from './quizFile/validate.js';
import { ok, type Result } from './result.js';
import type { QuestionInput, QuizInput } from './types.js';

export {
  type FieldError,
  parseQuestionModal,
  QUESTION_FIELDS,
  QUIZ_FIELDS,
  type QuestionField,
  type QuestionModalInput,
  type QuizField,
  type QuizSettingsInput,
  questionToModalInput,
  resolveCorrectOption,
  splitOptionLines,
  validateQuizInput,
} from './quizFile/forms.js';
export {
  EXPECTED_TYPES,
  type ExpectedType,
  isYamlErrorCode,
  type JsonSyntaxProblem,
  type QuizFileIssue,
  type QuizFileSyntaxIssue,
  type ValueDescription,
} from './quizFile/issues.js';
export { type JsonSyntaxError, locateJsonSyntaxError } from './quizFile/jsonSyntax.js';
export {
  lineAndColumn,
  type ParseQuizFileOptions,
  parseQuizFile,
  type QuizFileError,
  type QuizFileFormat,
} from './quizFile/parse.js';
export {
  findOptionIndex,
  type QuizFile,
  type QuizFileQuestion,
  quizFileSchema,
  renderPath,
} from './quizFile/validate.js';

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
