/**
 * Quiz-file diagnostics in words (`quizFile.*` in the catalogue): a file's problems with their
 * line and column, and the question modal's and quiz options' field errors. Paths and keys
 * (`questions[3].options`, `"timr"`) are quoted from the file as written, like a compiler does.
 * The CLI prints the same words in en-US (`formatQuizFileError`).
 */
import type { Translate } from '../i18n/index.js';
import {
  EXPECTED_TYPES,
  type ExpectedType,
  type FieldError,
  isYamlErrorCode,
  type JsonSyntaxProblem,
  QUIZ_FIELDS,
  type QuestionField,
  type QuizField,
  type QuizFileError,
  type QuizFileIssue,
  type QuizFileSyntaxIssue,
  type ValueDescription,
} from '../quiz/quizFile.js';

function quote(text: string): string {
  return `"${text}"`;
}

function describeValue(value: ValueDescription, t: Translate): string {
  switch (value.kind) {
    case 'text':
      return t('quizFile.value.text', { text: value.text });
    case 'other':
      return t('quizFile.value.other', { type: value.type, value: value.value });
    default:
      return t(`quizFile.value.${value.kind}`);
  }
}

function expectedName(expected: string, t: Translate): string {
  return (EXPECTED_TYPES as readonly string[]).includes(expected)
    ? t(`quizFile.expected.${expected as ExpectedType}`)
    : expected;
}

/** `a or b or c`, in the reader's language. */
function either(values: readonly string[], t: Translate): string {
  return values.reduce((left, right) => t('quizFile.or', { left, right }));
}

/** What is wrong, as a predicate for a subject: "must be at most 80 characters (has 93)". */
export function renderQuizFileIssue(issue: QuizFileIssue, t: Translate): string {
  switch (issue.code) {
    case 'required':
    case 'empty':
    case 'wrongVersion':
    case 'notSingleLine':
    case 'closesBeforeOpens':
      return t(`quizFile.issue.${issue.code}`);
    case 'wrongType':
      return t('quizFile.issue.wrongType', {
        expected: expectedName(issue.expected, t),
        actual: describeValue(issue.actual, t),
      });
    case 'wholeNumber':
    case 'notAQuiz':
      return t(`quizFile.issue.${issue.code}`, { actual: describeValue(issue.actual, t) });
    case 'tooShort':
    case 'tooFewItems':
      return t(`quizFile.issue.${issue.code}`, { min: issue.min });
    case 'tooSmall':
      return t('quizFile.issue.tooSmall', { min: issue.min, actual: issue.actual });
    case 'tooLong':
    case 'tooManyItems':
    case 'tooManyQuestions':
      return t(`quizFile.issue.${issue.code}`, { max: issue.max, actual: issue.actual });
    case 'tooBig':
      return t('quizFile.issue.tooBig', { max: issue.max, actual: issue.actual });
    case 'unknownKey':
      return t('quizFile.issue.unknownKey', { key: JSON.stringify(issue.key) });
    case 'unknownKeys':
      return t('quizFile.issue.unknownKeys', {
        count: issue.keys.length,
        keys: issue.keys.map(quote).join(', '),
      });
    case 'notDateTime':
      return t('quizFile.issue.notDateTime', { example: issue.example });
    case 'invalidFormat':
      return t('quizFile.issue.invalidFormat', { format: issue.format });
    case 'notOneOf':
      return t('quizFile.issue.notOneOf', { values: either(issue.values, t) });
    case 'tooFewOptions':
    case 'tooManyOptions':
      return t(`quizFile.issue.${issue.code}`, { min: issue.min, max: issue.max, actual: issue.actual });
    case 'limitOverQuestions':
      return t('quizFile.issue.limitOverQuestions', { questions: issue.questions, limit: issue.limit });
    case 'repeatedOption':
      return t('quizFile.issue.repeatedOption', { first: issue.first, option: issue.option });
    case 'notOneOfOptions':
      return t('quizFile.issue.notOneOfOptions', {
        answer: issue.answer,
        options: issue.options.map(quote).join(', '),
      });
    case 'correctMatchesNoOption':
      return t('quizFile.issue.correctMatchesNoOption', { last: issue.last, count: issue.count });
    case 'other':
      return t('quizFile.issue.other', { detail: issue.detail });
  }
}

function found(character: string | null, t: Translate): string {
  return character === null
    ? t('quizFile.json.found.endOfFile')
    : t('quizFile.json.found.character', { character });
}

export function renderJsonProblem(problem: JsonSyntaxProblem, t: Translate): string {
  switch (problem.code) {
    case 'controlCharacter':
    case 'unterminatedString':
    case 'invalidUnicode':
    case 'invalidNumber':
    case 'nestedTooDeeply':
      return t(`quizFile.json.${problem.code}`);
    case 'invalidEscape':
      return t('quizFile.json.invalidEscape', { escape: problem.escape });
    case 'colonExpected':
    case 'propertyNameExpected':
    case 'afterEnd':
      return t(`quizFile.json.${problem.code}`, { found: found(problem.found, t) });
    case 'separatorExpected':
      return t(`quizFile.json.separatorExpected.${problem.container}`, { found: found(problem.found, t) });
    case 'trailingComma':
      return t('quizFile.json.trailingComma', { closing: problem.closing });
    case 'valueExpected':
      return problem.found === null
        ? t('quizFile.json.valueExpectedAtEnd')
        : t('quizFile.json.valueExpected', { found: found(problem.found, t) });
    case 'engine':
      // JSON.parse's own words (the engine's, English): only for text jsonc-parser accepted.
      return problem.message;
  }
}

/**
 * A yaml error by its code. en-US shows the library's own words (its `detail`): they are more
 * specific than one sentence per code (which quote is missing, which token was unexpected), and
 * are what English readers have always seen. Other languages word the code for quiz authors; a
 * code this Badgey does not know (a newer yaml) keeps the library's words in every language.
 */
function yamlProblem(code: string, detail: string, t: Translate): string {
  return isYamlErrorCode(code) ? t(`quizFile.yaml.${code}`, { detail }) : detail;
}

function renderSyntaxIssue(issue: QuizFileSyntaxIssue, t: Translate): string {
  switch (issue.code) {
    case 'tooDeep':
      return t('quizFile.syntax.tooDeep', { max: issue.max });
    case 'json':
      return t('quizFile.syntax.json', { problem: renderJsonProblem(issue.problem, t) });
    case 'jsonDuplicateKey':
      return t('quizFile.syntax.jsonDuplicateKey');
    case 'yamlSyntax':
      // The position is reported separately.
      return t('quizFile.syntax.yamlSyntax', { detail: yamlProblem(issue.yamlCode, issue.detail, t) });
    case 'yaml':
      return t('quizFile.syntax.yaml', { reason: issue.reason });
  }
}

/** `2.0 KiB (2048 bytes)`. */
export function fileSize(bytes: number, t: Translate): string {
  if (bytes < 1024) return t('quizFile.size.bytes', { bytes });
  const kib = new Intl.NumberFormat(t.locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    useGrouping: false,
  }).format(bytes / 1024);
  return t('quizFile.size.kib', { kib, bytes });
}

/** One problem of a file without its position: `questions[3].options must list 2 to 5 options (has 6)`. */
export function renderQuizFileError(error: QuizFileError, t: Translate): string {
  switch (error.kind) {
    case 'fileTooLarge':
      return t('quizFile.fileTooLarge', {
        size: fileSize(error.actualBytes, t),
        max: fileSize(error.maxBytes, t),
      });
    case 'syntaxError':
      return renderSyntaxIssue(error.issue, t);
    case 'invalidQuiz':
      if (error.issue.code === 'notAQuiz') return renderQuizFileIssue(error.issue, t);
      return t('quizFile.atPath', {
        path: error.path === '' ? t('quizFile.theQuiz') : error.path,
        problem: renderQuizFileIssue(error.issue, t),
      });
  }
}

/** `line 3, column 5: …` (or the problem alone when it has no position). */
export function fileErrorLine(error: QuizFileError, t: Translate): string {
  const message = renderQuizFileError(error, t);
  if (error.kind === 'syntaxError')
    return t('quizFile.position', { line: error.line, column: error.column, message });
  if (error.kind === 'invalidQuiz' && error.line !== null) {
    return t('quizFile.position', { line: error.line, column: error.column ?? 1, message });
  }
  return message;
}

/** `FILE:LINE:COL: message` (or `FILE: message` without a position), as compilers print. */
export function formatQuizFileError(error: QuizFileError, fileName: string, t: Translate): string {
  const message = renderQuizFileError(error, t);
  if (error.kind === 'syntaxError') return `${fileName}:${error.line}:${error.column}: ${message}`;
  if (error.kind === 'invalidQuiz' && error.line !== null) {
    return `${fileName}:${error.line}:${error.column ?? 1}: ${message}`;
  }
  return `${fileName}: ${message}`;
}

function fieldLabel(field: QuestionField | QuizField, t: Translate): string {
  return (QUIZ_FIELDS as readonly string[]).includes(field)
    ? t(`quizFile.form.quiz.${field as QuizField}`)
    : t(`quizFile.form.question.${field as QuestionField}`);
}

/**
 * A form field's error as a sentence naming the field: `Options (option 2) must be a single line`.
 * Question fields and quiz options have distinct names.
 */
export function renderFieldError(error: FieldError<QuestionField | QuizField>, t: Translate): string {
  const label = fieldLabel(error.field, t);
  const { issue } = error;
  if (issue.code === 'correctMatchesNoOption') {
    return t('quizFile.form.correctMatchesNoOption', {
      label,
      correct: issue.correct,
      problem: renderQuizFileIssue(issue, t),
    });
  }
  // The file's key opens_at is the option "Opens at" here.
  const problem =
    issue.code === 'closesBeforeOpens' ? t('quizFile.form.closesBeforeOpens') : renderQuizFileIssue(issue, t);
  return error.option === undefined
    ? t('quizFile.form.field', { label, problem })
    : t('quizFile.form.fieldOption', { label, number: error.option + 1, problem });
}
