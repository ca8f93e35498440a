import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CUSTOM_ID_MAX_LENGTH, encodeCustomId, parseCustomId } from '../../src/components/customId.js';
import { translatorFor } from '../../src/i18n/index.js';
import { QUIZ_LIMITS } from '../../src/quiz/limits.js';
import {
  type FieldError,
  parseQuestionModal,
  QUESTION_FIELDS,
  QUIZ_FIELDS,
  type QuestionField,
  type QuizField,
  validateQuizInput,
} from '../../src/quiz/quizFile.js';
import { renderFieldError } from '../../src/render/quizFileIssues.js';
import { checkProperty, fuzzTimeout } from './fuzzHarness.js';

// Invariant: whatever a member types into a modal or an option, or whatever custom id an
// interaction carries, the parser returns a Result (errors naming the field) and never throws.

const typed = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...'aAbB eE1 2-+.,:\n\r\t#"\'\\%😀\u0000'), maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    'A',
    'e',
    '5',
    '0',
    '-1',
    '1e3',
    '1.5',
    'NaN',
    'Infinity',
    '2026-05-01T18:00:00Z',
    'null',
  ),
);

const QUESTION_FIELD_NAMES = new Set<string>(QUESTION_FIELDS);
const QUIZ_FIELD_NAMES = new Set<string>(QUIZ_FIELDS);

function assertFieldErrors(errors: FieldError<QuestionField | QuizField>[], fields: Set<string>): void {
  if (errors.length === 0) throw new Error('an error result with no errors');
  for (const error of errors) {
    if (!fields.has(error.field)) throw new Error(`error names an unknown field: ${JSON.stringify(error)}`);
    // Worded in every language without a missing placeholder.
    for (const locale of ['en-US', 'de']) {
      if (renderFieldError(error, translatorFor(locale)).trim() === '')
        throw new Error(`error without a message: ${JSON.stringify(error)}`);
    }
  }
}

describe('fuzz: modal and option inputs', () => {
  it(
    'parseQuestionModal: any typed text → a valid question or errors naming the modal field',
    async () => {
      await checkProperty(
        'modal: parseQuestionModal',
        fc.property(
          typed,
          fc.oneof(
            typed,
            fc.array(typed, { maxLength: 7 }).map((lines) => lines.join('\n')),
          ),
          typed,
          fc.option(typed, { nil: null }),
          fc.option(typed, { nil: null }),
          (question, options, correct, points, explanation) => {
            const result = parseQuestionModal({ question, options, correct, points, explanation });
            if (!result.ok) return assertFieldErrors(result.error, QUESTION_FIELD_NAMES);
            const q = result.value;
            if (q.options.length < QUIZ_LIMITS.minOptions || q.options.length > QUIZ_LIMITS.maxOptions)
              throw new Error(`accepted ${q.options.length} options`);
            if (!(q.correctIndex >= 0 && q.correctIndex < q.options.length))
              throw new Error(`accepted correct index ${q.correctIndex}`);
            if (
              !Number.isInteger(q.points) ||
              q.points < QUIZ_LIMITS.minPoints ||
              q.points > QUIZ_LIMITS.maxPoints
            )
              throw new Error(`accepted points ${q.points}`);
          },
        ),
      );
    },
    fuzzTimeout(5),
  );

  it(
    'validateQuizInput: any option values → valid settings or errors naming the option',
    async () => {
      const number = fc.oneof(
        fc.integer(),
        fc.double(),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0),
      );
      await checkProperty(
        'modal: validateQuizInput',
        fc.property(
          typed,
          fc.option(typed, { nil: null }),
          fc.option(number, { nil: null }),
          fc.option(number, { nil: null }),
          fc.option(fc.boolean(), { nil: null }),
          fc.option(fc.oneof(typed, number), { nil: null }),
          fc.option(fc.oneof(typed, number), { nil: null }),
          fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
          (name, description, timerSeconds, questionLimit, shuffle, opensAt, closesAt, questionCount) => {
            const result = validateQuizInput(
              { name, description, timerSeconds, questionLimit, shuffle, opensAt, closesAt },
              { defaultTimerSeconds: 30, ...(questionCount === undefined ? {} : { questionCount }) },
            );
            if (!result.ok) return assertFieldErrors(result.error, QUIZ_FIELD_NAMES);
            const quiz = result.value;
            if (quiz.name.trim() === '' || quiz.name.length > QUIZ_LIMITS.nameMaxLength)
              throw new Error(`accepted name ${JSON.stringify(quiz.name)}`);
            if (quiz.opensAt !== null && quiz.closesAt !== null && quiz.opensAt >= quiz.closesAt)
              throw new Error('accepted closesAt before opensAt');
            if (!Number.isInteger(quiz.timerSeconds)) throw new Error(`accepted timer ${quiz.timerSeconds}`);
          },
        ),
      );
    },
    fuzzTimeout(5),
  );
});

describe('fuzz: custom ids', () => {
  const NAME = /^[a-z0-9][a-z0-9-]*$/;

  it(
    'parseCustomId: any string → a Result, never a throw; ok only for well-formed bdg1 ids',
    async () => {
      await checkProperty(
        'custom id: parse arbitrary strings',
        fc.property(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 120 }),
            fc.string({ unit: fc.constantFrom(...'bdg1:%3Aaz-0'), maxLength: 40 }),
            fc.string({ maxLength: 60 }).map((rest) => `bdg1:${rest}`),
          ),
          (id) => {
            const result = parseCustomId(id);
            if (result.ok) {
              if (!id.startsWith('bdg1:')) throw new Error(`accepted ${JSON.stringify(id)}`);
              if (!NAME.test(result.value.handler) || !NAME.test(result.value.action))
                throw new Error(`accepted a bad handler/action in ${JSON.stringify(id)}`);
            } else if (!['unknownVersion', 'malformed'].includes(result.error.kind)) {
              throw new Error(`unexpected error ${JSON.stringify(result.error)}`);
            }
          },
        ),
      );
    },
    fuzzTimeout(2),
  );

  it(
    'encode → parse round-trips any handler, action and arguments that fit in 100 characters',
    async () => {
      const name = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/);
      await checkProperty(
        'custom id: encode → parse round-trip',
        fc.property(
          name,
          name,
          fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), { maxLength: 5 }),
          (handler, action, args) => {
            let id: string;
            try {
              id = encodeCustomId(handler, action, ...args);
            } catch (error) {
              // Refusing an id over Discord's limit is the contract; anything else is a bug.
              if (error instanceof RangeError && /characters/.test(error.message)) return;
              throw error;
            }
            if (id.length > CUSTOM_ID_MAX_LENGTH) throw new Error(`encoded ${id.length} characters`);
            const parsed = parseCustomId(id);
            const expected = { handler, action, args: args.map(String) };
            if (!parsed.ok || JSON.stringify(parsed.value) !== JSON.stringify(expected))
              throw new Error(`${id} parsed as ${JSON.stringify(parsed)}`);
          },
        ),
      );
    },
    fuzzTimeout(2),
  );
});
