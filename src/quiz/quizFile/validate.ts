/**
 * The quiz file's schema (zod) and the one wording of its errors: the rules behind import, the
 * question modal, the quiz create/edit options, the CLI and the editor JSON Schema.
 */
import { z } from 'zod';
import { QUIZ_LIMITS as L } from '../limits.js';

// ---------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------

export const EXAMPLE_DATE = '2026-05-01T18:00:00Z';

export function boundedText(max: number, description: string) {
  return z.string().trim().min(1).max(max).meta({ description });
}

export function optionalText(max: number, description: string) {
  return z.string().trim().max(max).nullable().optional().meta({ description });
}

export const dateTime = z.iso
  .datetime({ offset: true, error: `must be an ISO 8601 date-time with a time zone, like ${EXAMPLE_DATE}` })
  .nullable()
  .optional();

/** The quiz-level settings: shared by the file and by `/quiz create` / `/quiz edit`. */
export const settingsShape = {
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
export interface CrossIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Cross-field rules as plain functions over unvalidated input: zod runs them as refinements, and
 * `parseQuizFile` also runs them when a field already failed (zod then skips refinements), so one
 * reply lists every mistake. Hence the defensive reads: a failed field may hold anything.
 */
export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && z.iso.datetime({ offset: true }).safeParse(value).success;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function settingsCrossIssues(value: unknown, questionCount: number | undefined): CrossIssue[] {
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

export function questionCrossIssues(value: unknown): CrossIssue[] {
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

export function fileCrossIssues(value: unknown): CrossIssue[] {
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

export function refineWith<T>(rule: (value: T) => CrossIssue[]) {
  return (value: T, ctx: z.RefinementCtx<T>) => {
    for (const issue of rule(value))
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  };
}

export const optionsSchema = z
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

export const questionSchema = z
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

export const settingsSchema = z.strictObject(settingsShape);

/** Index of `answer` among `options`: exact text first, then ignoring case (options are unique ignoring case). */
export function findOptionIndex(options: readonly string[], answer: string): number {
  const wanted = answer.trim();
  const exact = options.indexOf(wanted);
  if (exact !== -1) return exact;
  const lower = wanted.toLowerCase();
  return options.findIndex((option) => option.toLowerCase() === lower);
}

export function countOf(input: unknown): number {
  return Array.isArray(input) ? input.length : 0;
}

// ---------------------------------------------------------------------------------------------
// Error messages: one wording for file, modal and command options
// ---------------------------------------------------------------------------------------------

export function describeValue(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}

export const EXPECTED_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
};

/** Per-parse error map: friendly predicate phrases ("must be at most 80 characters (has 93)"). */
export const errorMap: z.core.$ZodErrorMap = (iss) => {
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

export interface ReportedIssue {
  path: PropertyKey[];
  message: string;
  code: string;
  unknownKey?: string;
}

/** zod's issues plus the cross-field rules zod skipped because a field had already failed. */
export function withCrossIssues(issues: readonly z.core.$ZodIssue[], cross: CrossIssue[]): ReportedIssue[] {
  // Several unknown keys in one object: one issue per key, each located at its own key (they were
  // all reported at the first one's line).
  const out: ReportedIssue[] = issues.flatMap((issue): ReportedIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: issue.path,
          message: `has unknown key ${JSON.stringify(key)}`,
          code: issue.code,
          unknownKey: key,
        }))
      : [{ path: issue.path, message: issue.message, code: issue.code }],
  );
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
