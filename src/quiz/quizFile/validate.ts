/**
 * The quiz file's schema (zod) and its issues as data (issues.ts): the rules behind import, the
 * question modal, the quiz create/edit options, the CLI and the editor JSON Schema. The
 * `.meta({ description })` texts are for authors' editors (the JSON Schema), in English.
 */
import { z } from 'zod';
import { QUIZ_LIMITS as L } from '../limits.js';
import { issueFromZod, MARKERS, type QuizFileIssue } from './issues.js';

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

export const dateTime = z.iso.datetime({ offset: true, error: MARKERS.notDateTime }).nullable().optional();

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
  issue: QuizFileIssue;
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
    issues.push({ path: ['closes_at'], issue: { code: 'closesBeforeOpens' } });
  }
  if (
    questionCount !== undefined &&
    questionCount > 0 &&
    typeof limit === 'number' &&
    limit > questionCount
  ) {
    issues.push({
      path: ['question_limit'],
      issue: { code: 'limitOverQuestions', questions: questionCount, limit },
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
        issue: { code: 'repeatedOption', first: first + 1, option },
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
        issue: { code: 'notOneOfOptions', answer: answer.trim(), options },
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
      issues.push({ path: ['questions', index, ...issue.path], issue: issue.issue });
    }
  });
  return issues;
}

export function refineWith<T>(rule: (value: T) => CrossIssue[]) {
  return (value: T, ctx: z.RefinementCtx<T>) => {
    // The code stays the message (a fallback nobody reads); the issue travels in params.
    for (const { path, issue } of rule(value))
      ctx.addIssue({ code: 'custom', path, message: issue.code, params: { issue } });
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
      .regex(/^[^\r\n]*$/, { error: MARKERS.notSingleLine }),
  )
  .min(L.minOptions, { error: MARKERS.tooFewOptions })
  .max(L.maxOptions, { error: MARKERS.tooManyOptions })
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
    version: z.literal(1, { error: MARKERS.wrongVersion }),
    ...settingsShape,
    questions: z
      .array(questionSchema)
      .max(L.maxQuestions, { error: MARKERS.tooManyQuestions })
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

/** Parse options for every use of the schema: issues keep their input (issueFromZod words counts from it). */
export const PARSE_OPTIONS = { reportInput: true } as const;

/** A zod issue as data, the date example filled in. */
export function toQuizFileIssue(iss: z.core.$ZodIssue): QuizFileIssue {
  return issueFromZod(iss, EXAMPLE_DATE);
}

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
  issue: QuizFileIssue;
  /** For an unknown key: the key, so its own line is found. */
  unknownKey?: string;
}

/** zod's issues plus the cross-field rules zod skipped because a field had already failed. */
export function withCrossIssues(issues: readonly z.core.$ZodIssue[], cross: CrossIssue[]): ReportedIssue[] {
  // Several unknown keys in one object: one issue per key, each located at its own key (they were
  // all reported at the first one's line).
  const out: ReportedIssue[] = issues.flatMap((issue): ReportedIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: issue.path, issue: { code: 'unknownKey', key }, unknownKey: key }))
      : [{ path: issue.path, issue: toQuizFileIssue(issue) }],
  );
  const keyOf = (path: readonly PropertyKey[], issue: QuizFileIssue) =>
    `${renderPath(path)}\0${JSON.stringify(issue)}`;
  const seen = new Set(out.map((reported) => keyOf(reported.path, reported.issue)));
  for (const { path, issue } of cross) {
    const key = keyOf(path, issue);
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ path, issue });
    }
  }
  return out;
}
