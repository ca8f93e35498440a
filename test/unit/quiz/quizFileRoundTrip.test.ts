import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUIZ_LIMITS } from '../../../src/quiz/limits.js';
import {
  importQuizFile,
  parseQuestionModal,
  parseQuizFile,
  questionToModalInput,
  serializeQuizFile,
} from '../../../src/quiz/quizFile.js';
import type { QuestionInput, QuizInput } from '../../../src/quiz/types.js';

// Characters that stress YAML and JSON quoting: indicators, quotes, escapes, comments, non-ASCII.
const tricky = fc.constantFrom(
  'a',
  'Z',
  '0',
  '9',
  ' ',
  ':',
  '#',
  '-',
  '?',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '~',
  'é',
  'ß',
  '😀',
  '\t',
  '.',
  'e',
  'x',
);
const scalarLookalike = fc.constantFrom(
  'yes',
  'no',
  'null',
  'true',
  'false',
  '1.0',
  '~',
  '0x10',
  '1e3',
  '-1',
  '.inf',
  '2026-01-01',
);

function textOf(maxLength: number, allowNewlines: boolean) {
  const unit = allowNewlines
    ? fc.oneof({ weight: 9, arbitrary: tricky }, { weight: 1, arbitrary: fc.constant('\n') })
    : tricky;
  return fc
    .oneof(fc.string({ unit, minLength: 1, maxLength: Math.min(maxLength, 40) }), scalarLookalike)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= maxLength);
}

const questionArb: fc.Arbitrary<QuestionInput> = fc
  .record({
    text: textOf(QUIZ_LIMITS.questionMaxLength, true),
    options: fc.uniqueArray(textOf(QUIZ_LIMITS.optionMaxLength, false), {
      minLength: 2,
      maxLength: 5,
      selector: (o) => o.toLowerCase(),
    }),
    points: fc.integer({ min: 1, max: 1000 }),
    explanation: fc.option(textOf(QUIZ_LIMITS.explanationMaxLength, true), { nil: null }),
    pick: fc.nat(),
  })
  .map(({ pick, ...q }) => ({ ...q, correctIndex: pick % q.options.length }));

const quizArb = fc
  .record({
    name: textOf(QUIZ_LIMITS.nameMaxLength, false),
    description: fc.option(textOf(QUIZ_LIMITS.descriptionMaxLength, true), { nil: null }),
    timerSeconds: fc.integer({ min: 5, max: 600 }),
    shuffle: fc.boolean(),
    dates: fc.option(
      fc.tuple(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 1, max: 1e11 })).map(([start, span]) => ({
        opensAt: start,
        closesAt: start + span,
      })),
      { nil: null },
    ),
    opensOnly: fc.option(fc.integer({ min: 0, max: 4e12 }), { nil: null }),
    questions: fc.array(questionArb, { minLength: 0, maxLength: 6 }),
    limitPick: fc.option(fc.nat(), { nil: null }),
  })
  .map(({ dates, opensOnly, limitPick, questions, ...rest }) => {
    const quiz: QuizInput = {
      ...rest,
      questionLimit: limitPick === null || questions.length === 0 ? null : (limitPick % questions.length) + 1,
      opensAt: dates?.opensAt ?? opensOnly,
      closesAt: dates?.closesAt ?? null,
    };
    return { quiz, questions };
  });

describe('quiz file export → import', () => {
  for (const format of ['yaml', 'json'] as const) {
    it(`round-trips every valid quiz exactly (${format})`, () => {
      fc.assert(
        fc.property(quizArb, ({ quiz, questions }) => {
          const text = serializeQuizFile(quiz, questions, format);
          const imported = importQuizFile(text, format, { defaultTimerSeconds: 30 });
          expect(imported).toEqual({ ok: true, value: { quiz, questions } });
          // And the exported text is stable: exporting the import gives the same bytes.
          if (imported.ok) {
            expect(serializeQuizFile(imported.value.quiz, imported.value.questions, format)).toBe(text);
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('auto-detects the exported format', () => {
    fc.assert(
      fc.property(
        quizArb,
        fc.constantFrom('yaml' as const, 'json' as const),
        ({ quiz, questions }, format) => {
          expect(parseQuizFile(serializeQuizFile(quiz, questions, format), 'auto').ok).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('question modal prefill → submit', () => {
  it('gives back the same question when submitted unchanged', () => {
    fc.assert(
      fc.property(questionArb, (question) => {
        expect(parseQuestionModal(questionToModalInput(question))).toEqual({ ok: true, value: question });
      }),
      { numRuns: 300 },
    );
  });
});
