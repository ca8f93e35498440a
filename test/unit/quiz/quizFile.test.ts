import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import { QUIZ_LIMITS } from '../../../src/quiz/limits.js';
import {
  type FieldError,
  importQuizFile,
  locateJsonSyntaxError,
  parseQuestionModal,
  parseQuizFile,
  type QuestionField,
  type QuizField,
  type QuizFileError,
  renderPath,
  serializeQuizFile,
  validateQuizInput,
} from '../../../src/quiz/quizFile.js';
import type { Result } from '../../../src/quiz/result.js';
import {
  formatQuizFileError,
  renderFieldError,
  renderJsonProblem,
  renderQuizFileError,
} from '../../../src/render/quizFileIssues.js';

// The quiz layer returns codes and values; these tests read them worded in en-US (render/quizFileIssues.ts).
const en = translatorFor('en-US');

/** A form result with each error worded: `{ field, message }`. */
function worded<T>(
  result: Result<T, FieldError<QuestionField | QuizField>[]>,
): Result<T, { field: string; message: string }[]> {
  return result.ok
    ? result
    : {
        ok: false,
        error: result.error.map((e) => ({ field: e.field, message: renderFieldError(e, en) })),
      };
}

const VALID_YAML = `version: 1
name: Solar system
description: Planets and moons
timer_seconds: 20
question_limit: 2
shuffle: true
opens_at: 2026-05-01T18:00:00Z
closes_at: 2026-05-08T18:00:00+02:00
questions:
  - question: Which planet is largest?
    options: [Mars, Jupiter, Venus]
    answer: Jupiter
    points: 10
    explanation: Jupiter is 11 Earths wide.
  - question: "Which planet has a moon called Phobos?"
    options:
      - Mars
      - Earth
    answer: mars
  - question: How many moons does Venus have?
    options: ["0", "1", "2"]
    answer: "0"
    points: 1000
`;

function errorsOf(text: string, format: 'yaml' | 'json' | 'auto' = 'auto'): QuizFileError[] {
  const result = parseQuizFile(text, format);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.error;
}

function messages(text: string, format: 'yaml' | 'json' | 'auto' = 'auto'): string[] {
  return errorsOf(text, format).map((e) => formatQuizFileError(e, 'quiz.yaml', en));
}

/** A one-question YAML quiz with the given question fields (indented YAML lines). */
function withQuestion(fields: string, quizFields = ''): string {
  return `version: 1\nname: Q\n${quizFields}questions:\n  - ${fields.trim().split('\n').join('\n    ')}\n`;
}

describe('parseQuizFile', () => {
  it('accepts a valid YAML file and converts answers to option indexes', () => {
    const result = importQuizFile(VALID_YAML, 'yaml', { defaultTimerSeconds: 30 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.quiz).toEqual({
      name: 'Solar system',
      description: 'Planets and moons',
      timerSeconds: 20,
      questionLimit: 2,
      shuffle: true,
      opensAt: Date.UTC(2026, 4, 1, 18),
      closesAt: Date.UTC(2026, 4, 8, 16),
    });
    expect(result.value.questions.map((q) => q.correctIndex)).toEqual([1, 0, 0]);
    // "answer: mars" matches "Mars" ignoring case; default points 10; no explanation → null.
    expect(result.value.questions[1]).toMatchObject({ points: 10, explanation: null });
  });

  it('uses the configured default timer when the file has none', () => {
    const result = importQuizFile(withQuestion('question: A?\noptions: [x, y]\nanswer: x'), 'yaml', {
      defaultTimerSeconds: 45,
    });
    expect(result.ok && result.value.quiz.timerSeconds).toBe(45);
  });

  it('reads JSON, and auto-detects it', () => {
    const json = JSON.stringify({
      version: 1,
      name: 'J',
      questions: [{ question: 'q', options: ['a', 'b'], answer: 'b' }],
    });
    expect(parseQuizFile(json, 'json').ok).toBe(true);
    expect(parseQuizFile(json, 'auto').ok).toBe(true);
    expect(parseQuizFile(`\uFEFF${json}`, 'json').ok).toBe(true);
  });

  describe('bad input gets a specific message with the path and line', () => {
    it.each([
      [
        'one option',
        'question: A?\noptions: [x]\nanswer: x',
        'quiz.yaml:5:14: questions[0].options must list 2 to 5 options (has 1)',
      ],
      [
        'six options',
        'question: A?\noptions: [a, b, c, d, e, f]\nanswer: a',
        'quiz.yaml:5:14: questions[0].options must list 2 to 5 options (has 6): one row of answer buttons holds 5',
      ],
      [
        'an empty option',
        'question: A?\noptions: [a, "  "]\nanswer: a',
        'quiz.yaml:5:18: questions[0].options[1] must not be empty',
      ],
      [
        'duplicate options (ignoring case)',
        'question: A?\noptions: [Paris, paris]\nanswer: Paris',
        'quiz.yaml:5:22: questions[0].options[1] repeats option 1 ("paris"); options must differ (ignoring case)',
      ],
      [
        'an answer that is not an option',
        'question: A?\noptions: [a, b]\nanswer: c',
        'quiz.yaml:6:13: questions[0].answer "c" is not one of the options ("a", "b")',
      ],
      [
        'an option longer than a button label (80)',
        `question: A?\noptions: [a, ${'x'.repeat(81)}]\nanswer: a`,
        'quiz.yaml:5:18: questions[0].options[1] must be at most 80 characters (has 81)',
      ],
      [
        'a question longer than a field value (1024)',
        `question: ${'q'.repeat(1025)}\noptions: [a, b]\nanswer: a`,
        'quiz.yaml:4:15: questions[0].question must be at most 1024 characters (has 1025)',
      ],
      [
        'an explanation longer than a field value (1024)',
        `question: A?\noptions: [a, b]\nanswer: a\nexplanation: ${'e'.repeat(1025)}`,
        'quiz.yaml:7:18: questions[0].explanation must be at most 1024 characters (has 1025)',
      ],
      [
        'negative points',
        'question: A?\noptions: [a, b]\nanswer: a\npoints: -5',
        'quiz.yaml:7:13: questions[0].points must be at least 1, got -5',
      ],
      [
        'huge points',
        'question: A?\noptions: [a, b]\nanswer: a\npoints: 1000000',
        'quiz.yaml:7:13: questions[0].points must be at most 1000, got 1000000',
      ],
      [
        'fractional points',
        'question: A?\noptions: [a, b]\nanswer: a\npoints: 2.5',
        'quiz.yaml:7:13: questions[0].points must be a whole number, not number 2.5',
      ],
      ['a missing answer', 'question: A?\noptions: [a, b]', 'quiz.yaml:4:5: questions[0].answer is required'],
    ])('%s', (_name, question, expected) => {
      expect(messages(withQuestion(question))).toContain(expected);
    });

    it.each([
      ['a timer below 5 s', 'timer_seconds: 4\n', 'quiz.yaml:3:16: timer_seconds must be at least 5, got 4'],
      [
        'a timer above 600 s',
        'timer_seconds: 601\n',
        'quiz.yaml:3:16: timer_seconds must be at most 600, got 601',
      ],
      ['an unknown (misspelt) key', 'timer: 30\n', 'quiz.yaml:3:1: the quiz has unknown key "timer"'],
      [
        'a question limit above the question count',
        'question_limit: 2\n',
        'quiz.yaml:3:17: question_limit must be at most the number of questions (1), got 2',
      ],
      [
        'closes_at before opens_at',
        'opens_at: 2026-05-02T00:00:00Z\ncloses_at: 2026-05-01T00:00:00Z\n',
        'quiz.yaml:4:12: closes_at must be later than opens_at',
      ],
      [
        'a date without a time zone',
        'opens_at: 2026-05-02T00:00:00\n',
        'quiz.yaml:3:11: opens_at must be an ISO 8601 date-time with a time zone, like 2026-05-01T18:00:00Z',
      ],
    ])('%s', (_name, quizFields, expected) => {
      expect(messages(withQuestion('question: A?\noptions: [a, b]\nanswer: a', quizFields))).toContain(
        expected,
      );
    });

    it('a name longer than the 100 characters autocomplete shows', () => {
      const text = `version: 1\nname: ${'n'.repeat(101)}\nquestions: []\n`;
      expect(messages(text)).toEqual(['quiz.yaml:2:7: name must be at most 100 characters (has 101)']);
    });

    it('a description longer than a field value (1024)', () => {
      const text = `version: 1\nname: N\ndescription: ${'d'.repeat(1025)}\nquestions: []\n`;
      expect(messages(text)).toEqual([
        'quiz.yaml:3:14: description must be at most 1024 characters (has 1025)',
      ]);
    });

    it('more than 100 questions', () => {
      const question = '  - { question: q, options: [a, b], answer: a }\n';
      const text = `version: 1\nname: N\nquestions:\n${question.repeat(101)}`;
      expect(messages(text)).toEqual(['quiz.yaml:4:3: questions must have at most 100 questions (has 101)']);
    });

    it('reports the schema path questions[3].options with its line', () => {
      const ok = '  - question: fine\n    options: [a, b]\n    answer: a\n';
      const text = `version: 1\nname: N\nquestions:\n${ok.repeat(3)}  - question: bad\n    options: [only]\n    answer: only\n`;
      const errors = errorsOf(text);
      expect(errors).toEqual([
        {
          kind: 'invalidQuiz',
          path: 'questions[3].options',
          issue: { code: 'tooFewOptions', min: 2, max: 5, actual: 1 },
          line: 14,
          column: 14,
        },
      ]);
      expect(errors.map((e) => renderQuizFileError(e, en))).toEqual([
        'questions[3].options must list 2 to 5 options (has 1)',
      ]);
    });

    it('reports each of several unknown keys in one object at its own line and column', () => {
      const text = withQuestion(
        'question: A?\noptions: [a, b]\nanswer: a\nhint: x\nexplain: y',
        'timr: 3\nshufle: true\n',
      );
      expect(messages(text).filter((m) => /unknown key/.test(m))).toEqual([
        'quiz.yaml:3:1: the quiz has unknown key "timr"',
        'quiz.yaml:4:1: the quiz has unknown key "shufle"',
        'quiz.yaml:9:5: questions[0] has unknown key "hint"',
        'quiz.yaml:10:5: questions[0] has unknown key "explain"',
      ]);
    });

    it('reports every mistake at once, in file order', () => {
      const text = withQuestion(
        'question: ""\noptions: [a, A, b, c, d, e]\nanswer: z\npoints: 0',
        'timr: 3\n',
      );
      expect(messages(text)).toEqual([
        'quiz.yaml:3:1: the quiz has unknown key "timr"',
        'quiz.yaml:5:15: questions[0].question must not be empty',
        'quiz.yaml:6:14: questions[0].options must list 2 to 5 options (has 6): one row of answer buttons holds 5',
        'quiz.yaml:6:18: questions[0].options[1] repeats option 1 ("A"); options must differ (ignoring case)',
        'quiz.yaml:7:13: questions[0].answer "z" is not one of the options ("a", "A", "b", "c", "d", "e")',
        'quiz.yaml:8:13: questions[0].points must be at least 1, got 0',
      ]);
    });

    it('a wrong version, a missing name and a file that is not a mapping', () => {
      expect(messages('version: 2\nname: x\nquestions: []\n')).toEqual([
        'quiz.yaml:1:10: version must be 1 (the only quiz file version this Badgey reads)',
      ]);
      expect(messages('version: 1\nquestions: []\n')).toEqual(['quiz.yaml:1:1: name is required']);
      expect(messages('- just\n- a list\n')).toEqual([
        'quiz.yaml:1:1: the file must hold a quiz (a mapping with version, name and questions), not a list',
      ]);
      expect(messages('')).toEqual([
        'quiz.yaml: the file must hold a quiz (a mapping with version, name and questions), not empty (null)',
      ]);
    });

    it('a YAML syntax error, with line and column', () => {
      expect(messages('version: 1\nname: x: y\nquestions: []\n', 'yaml')).toEqual([
        'quiz.yaml:2:7: YAML syntax error: Nested mappings are not allowed in compact mappings',
      ]);
      expect(messages('version: 1\nname: x\nquestions:\n\t- a\n', 'yaml')).toEqual([
        'quiz.yaml:4:1: YAML syntax error: Tabs are not allowed as indentation',
      ]);
    });

    it('a YAML duplicate key is a syntax error, not a silent overwrite', () => {
      const errors = errorsOf('version: 1\nname: a\nname: b\nquestions: []\n', 'yaml');
      expect(errors[0]).toMatchObject({ kind: 'syntaxError', line: 3, column: 1 });
    });

    it('a JSON syntax error, with line and column', () => {
      const json = '{\n  "version": 1,\n  "name": "x",\n  "questions": [\n    {"question": "q", }\n  ]\n}';
      expect(messages(json)).toEqual(['quiz.yaml:5:23: JSON syntax error: trailing comma before "}"']);
      expect(messages('{"version": 1\n  "name": "x"}', 'json')).toEqual([
        'quiz.yaml:2:3: JSON syntax error: expected "," or "}" after a property value, found """',
      ]);
      expect(messages('{"version": 1,', 'json')).toEqual([
        'quiz.yaml:1:15: JSON syntax error: expected a property name in double quotes, found end of file',
      ]);
    });

    it('a JSON object with a key twice is refused (JSON.parse would keep the last silently)', () => {
      expect(
        messages('{\n  "version": 1,\n  "name": "a",\n  "name": "b",\n  "questions": []\n}', 'json'),
      ).toEqual(['quiz.yaml:4:3: JSON error: the same key appears twice in one object']);
    });

    it('a JSON schema error has the line of the offending value', () => {
      const json =
        '{\n  "version": 1,\n  "name": "x",\n  "questions": [\n    {"question": "q", "options": ["a"], "answer": "a"}\n  ]\n}\n';
      expect(messages(json)).toEqual([
        'quiz.yaml:5:34: questions[0].options must list 2 to 5 options (has 1)',
      ]);
    });

    it('a file over the size limit is refused before parsing', () => {
      const result = parseQuizFile('x'.repeat(2048), 'yaml', { maxBytes: 1024 });
      expect(result).toEqual({
        ok: false,
        error: [{ kind: 'fileTooLarge', maxBytes: 1024, actualBytes: 2048 }],
      });
      expect(!result.ok && result.error.map((e) => renderQuizFileError(e, en))).toEqual([
        'the file is 2.0 KiB (2048 bytes); the limit is 1.0 KiB (1024 bytes)',
      ]);
      // The default limit applies without options: multi-byte characters count as bytes.
      expect(parseQuizFile('é'.repeat(QUIZ_LIMITS.maxFileBytes / 2 + 1), 'yaml').ok).toBe(false);
    });
  });
});

describe('locateJsonSyntaxError', () => {
  it.each([
    ['{"a": 1}', null],
    ['[1, 2, ]', { offset: 7, message: 'trailing comma before "]"' }],
    ['{"a": tru}', { offset: 6, message: 'unexpected "t": expected a value' }],
    [
      '{"a": "x\ny"}',
      { offset: 8, message: 'line break or control character inside a string (write \\n instead)' },
    ],
    ['{"a": "x', { offset: 6, message: 'unterminated string' }],
    ['{"a": 1} x', { offset: 9, message: 'unexpected "x" after the end of the JSON value' }],
    ['{"a": 01}', { offset: 7, message: 'expected "," or "}" after a property value, found "1"' }],
  ])('%j', (text, expected) => {
    const found = locateJsonSyntaxError(text);
    expect(found && { offset: found.offset, message: renderJsonProblem(found.problem, en) }).toEqual(
      expected,
    );
    // The scanner agrees with JSON.parse about validity.
    expect(expected === null).toBe(
      (() => {
        try {
          JSON.parse(text);
          return true;
        } catch {
          return false;
        }
      })(),
    );
  });
});

describe('renderPath', () => {
  it('renders object keys with dots and indexes with brackets', () => {
    expect(renderPath(['questions', 3, 'options', 1])).toBe('questions[3].options[1]');
    expect(renderPath([])).toBe('');
  });
});

describe('serializeQuizFile', () => {
  it('writes the exact option text as the answer and omits empty optional keys', () => {
    const text = serializeQuizFile(
      {
        name: 'N',
        description: null,
        timerSeconds: 30,
        questionLimit: null,
        shuffle: false,
        opensAt: null,
        closesAt: null,
      },
      [{ text: 'Q', options: ['yes', 'null'], correctIndex: 1, points: 10, explanation: null }],
      'yaml',
    );
    expect(text).toBe(
      'version: 1\nname: N\ntimer_seconds: 30\nshuffle: false\nquestions:\n  - question: Q\n    options:\n      - yes\n      - "null"\n    answer: "null"\n    points: 10\n',
    );
  });
});

describe('parseQuestionModal', () => {
  it('accepts options one per line and the correct answer as text, letter or number', () => {
    const base = {
      question: ' Capital of France? ',
      options: 'Lyon\n\n Paris \nNice\n',
      points: '',
      explanation: '',
    };
    for (const correct of ['Paris', 'paris', 'B', 'b', '2']) {
      expect(parseQuestionModal({ ...base, correct })).toEqual({
        ok: true,
        value: {
          text: 'Capital of France?',
          options: ['Lyon', 'Paris', 'Nice'],
          correctIndex: 1,
          points: 10,
          explanation: null,
        },
      });
    }
  });

  it('prefers an option whose text is a letter or number over the letter/number meaning', () => {
    const result = parseQuestionModal({ question: 'Pick', options: '2\n1', correct: '1', points: '5' });
    expect(result.ok && result.value.correctIndex).toBe(1);
  });

  it('names the field in every error', () => {
    const result = parseQuestionModal({
      question: '',
      options: 'a\nA\nb',
      correct: 'z',
      points: '5000',
      explanation: 'e'.repeat(1025),
    });
    expect(worded(result)).toEqual({
      ok: false,
      error: [
        { field: 'question', message: 'Question must not be empty' },
        { field: 'points', message: 'Points must be at most 1000, got 5000' },
        { field: 'explanation', message: 'Explanation must be at most 1024 characters (has 1025)' },
        {
          field: 'options',
          message: 'Options (option 2) repeats option 1 ("A"); options must differ (ignoring case)',
        },
        {
          field: 'correct',
          message: `Correct answer "z" matches no option: type the option's text, its letter (A–C) or its number (1–3)`,
        },
      ],
    });
  });

  it('refuses too few or too many options and non-numeric points', () => {
    const one = parseQuestionModal({ question: 'q', options: 'only', correct: 'only', points: 'ten' });
    expect(worded(one)).toEqual({
      ok: false,
      error: [
        { field: 'options', message: 'Options must list 2 to 5 options (has 1)' },
        { field: 'points', message: 'Points must be a number, not text "ten"' },
      ],
    });
    const six = parseQuestionModal({ question: 'q', options: 'a\nb\nc\nd\ne\nf', correct: 'a' });
    expect(six.ok).toBe(false);
    expect(!six.ok && six.error[0]?.field).toBe('options');
  });
});

describe('validateQuizInput', () => {
  it('fills defaults and converts dates', () => {
    expect(
      validateQuizInput({ name: ' Trivia ', opensAt: '2026-01-01T00:00:00Z' }, { defaultTimerSeconds: 30 }),
    ).toEqual({
      ok: true,
      value: {
        name: 'Trivia',
        description: null,
        timerSeconds: 30,
        questionLimit: null,
        shuffle: false,
        opensAt: Date.UTC(2026, 0, 1),
        closesAt: null,
      },
    });
  });

  it('names each bad option', () => {
    const result = validateQuizInput(
      {
        name: 'n'.repeat(101),
        timerSeconds: 1000,
        questionLimit: 0,
        opensAt: '2026-01-02T00:00:00Z',
        closesAt: Date.UTC(2026, 0, 1),
      },
      { defaultTimerSeconds: 30 },
    );
    expect(worded(result)).toEqual({
      ok: false,
      error: [
        { field: 'name', message: 'Name must be at most 100 characters (has 101)' },
        { field: 'timerSeconds', message: 'Timer (seconds) must be at most 600, got 1000' },
        { field: 'questionLimit', message: 'Question limit must be at least 1, got 0' },
        { field: 'closesAt', message: 'Closes at must be later than opens at' },
      ],
    });
  });

  it('checks the question limit against the question count when given', () => {
    const result = validateQuizInput(
      { name: 'x', questionLimit: 5 },
      { defaultTimerSeconds: 30, questionCount: 3 },
    );
    expect(worded(result)).toEqual({
      ok: false,
      error: [
        {
          field: 'questionLimit',
          message: 'Question limit must be at most the number of questions (3), got 5',
        },
      ],
    });
  });
});

describe('the documented example', () => {
  it('in the quizFile.ts header is a valid quiz file', () => {
    const source = readFileSync(new URL('../../../src/quiz/quizFile.ts', import.meta.url), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(source)?.[1];
    expect(block).toBeDefined();
    const yaml = (block ?? '').replace(/^ \* ?/gm, '');
    const result = parseQuizFile(yaml, 'yaml');
    expect(result.ok && result.value.questions[0]?.answer).toBe('Jupiter');
  });
});
