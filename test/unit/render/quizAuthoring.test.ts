/**
 * The authoring texts come from the catalogue: English as before, German for a member whose Discord
 * is in German (placeholders, plurals with 1 and 2, the question modal, an import failure).
 */
import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import type { QuizSummary } from '../../../src/quiz/ports.js';
import type { AuthoringError } from '../../../src/quiz/QuizService.js';
import type { Question, Quiz } from '../../../src/quiz/types.js';
import { renderAuthoringError } from '../../../src/render/quizAuthoringError.js';
import { renderQuestionAdded } from '../../../src/render/quizAuthoringReplies.js';
import { renderQuizList } from '../../../src/render/quizList.js';
import { renderQuestionModal } from '../../../src/render/quizQuestionModal.js';
import { renderQuizQuestions } from '../../../src/render/quizQuestions.js';

const en = translatorFor('en-US');
const de = translatorFor('de');

const QUIZ: Quiz = {
  id: 7,
  guildId: 'g',
  name: 'Solar system',
  description: null,
  creatorId: '42',
  timerSeconds: 20,
  questionLimit: null,
  shuffle: false,
  opensAt: null,
  closesAt: null,
  createdAt: 0,
  updatedAt: 0,
};

function summary(questionCount: number, id = 7): QuizSummary {
  return { ...QUIZ, id, questionCount };
}

function question(position: number, points = 10): Question {
  return {
    id: position + 1,
    quizId: QUIZ.id,
    position,
    text: 'Which planet is the largest?',
    options: ['Mars', 'Jupiter'],
    correctIndex: 1,
    points,
    explanation: null,
  };
}

const INVALID_FILE: AuthoringError = {
  kind: 'invalidFile',
  fileName: 'planets.yaml',
  errors: [
    {
      kind: 'syntaxError',
      issue: { code: 'json', problem: { code: 'unterminatedString' } },
      line: 3,
      column: 5,
    },
    {
      kind: 'invalidQuiz',
      issue: { code: 'tooBig', max: 1000, actual: '5000' },
      path: 'questions[0].points',
      line: 9,
      column: 3,
    },
  ],
};

describe('authoring errors', () => {
  it('fill placeholders in the member language', () => {
    const error: AuthoringError = { kind: 'tooManyQuestions', quizName: 'Solar system', max: 100 };
    expect(renderAuthoringError(error, en)).toBe(
      '"Solar system" already has the maximum of 100 questions. Remove one first with `/quiz remove-question`.',
    );
    expect(renderAuthoringError(error, de)).toBe(
      '„Solar system“ hat schon die Höchstzahl von 100 Fragen. Entferne zuerst eine mit `/quiz frage-entfernen`.',
    );
  });

  it('name the missing permission from the catalogue', () => {
    const manager: AuthoringError = { kind: 'missingPermission', needed: 'quizManager' };
    const settings: AuthoringError = { kind: 'missingPermission', needed: 'manageServer' };
    expect(renderAuthoringError(manager, en)).toBe(
      "Only quiz managers can do that: you need the **Manage Server** permission or one of this server's manager roles (see `/settings view`).",
    );
    expect(renderAuthoringError(settings, en)).toBe(
      "Only members with the **Manage Server** permission can view or change Badgey's settings for this server.",
    );
    expect(renderAuthoringError(manager, de)).toContain('**Server verwalten**');
  });

  it('word an import failure with its file diagnostics in the member language', () => {
    expect(renderAuthoringError(INVALID_FILE, en)).toBe(
      '`planets.yaml` was not imported (nothing was changed):\n```\nline 3, column 5: JSON syntax error: unterminated string\nline 9, column 3: questions[0].points must be at most 1000, got 5000\n```',
    );
    // The file's own keys and paths stay as written; the words around them are German.
    expect(renderAuthoringError(INVALID_FILE, de)).toBe(
      '`planets.yaml` wurde nicht importiert (nichts wurde geändert):\n```\nZeile 3, Spalte 5: JSON-Syntaxfehler: String ohne schließendes Anführungszeichen\nZeile 9, Spalte 3: questions[0].points darf höchstens 1000 sein, ist aber 5000\n```',
    );
  });

  it('say "…and N more." in the member language with a plural', () => {
    const many: AuthoringError = {
      kind: 'invalidQuestion',
      errors: Array.from({ length: 60 }, (_, i) => ({
        field: 'question' as const,
        issue: { code: 'notOneOfOptions' as const, answer: `${i} ${'x'.repeat(60)}`, options: ['a'] },
      })),
    };
    expect(renderAuthoringError(many, en)).toMatch(
      /^The question was not saved:\n• [\s\S]*\n…and \d+ more\.$/,
    );
    expect(renderAuthoringError(many, de)).toMatch(
      /^Die Frage wurde nicht gespeichert:\n• [\s\S]*\n…und \d+ weitere\.$/,
    );
  });

  it('render download failures and sizes for the locale', () => {
    const timeout: AuthoringError = {
      kind: 'downloadFailed',
      fileName: 'a.yaml',
      reason: { kind: 'timeout', seconds: 0.5 },
    };
    expect(renderAuthoringError(timeout, en)).toBe(
      "I couldn't download `a.yaml` (no answer within 0.5 s), so nothing was imported. Please upload it again.",
    );
    expect(renderAuthoringError(timeout, de)).toContain('(keine Antwort innerhalb von 0,5 s)');
    const http: AuthoringError = {
      kind: 'downloadFailed',
      fileName: 'a.yaml',
      reason: { kind: 'httpStatus', status: 404 },
    };
    expect(renderAuthoringError(http, en)).toContain('(the server answered HTTP 404)');
    const large: AuthoringError = {
      kind: 'fileTooLarge',
      fileName: 'a.yaml',
      maxBytes: 512 * 1024,
      actualBytes: 1536,
    };
    expect(renderAuthoringError(large, en)).toBe(
      '`a.yaml` is 1.5 KiB; the import limit is 512 KiB, so nothing was imported. Split it into smaller quizzes.',
    );
    expect(renderAuthoringError(large, de)).toMatch(
      /^`a\.yaml` ist 1,5 KiB groß; die Import-Grenze liegt bei 512 KiB/,
    );
  });
});

describe('the quiz list', () => {
  const list = (counts: number[], t = de) =>
    renderQuizList(
      { page: 0, result: { items: counts.map((n, i) => summary(n, i + 1)), total: counts.length } },
      t,
    ).embeds[0];

  it('counts questions and quizzes with plurals (1 and 2)', () => {
    const one = list([1]);
    expect(one?.title).toBe('Quizze auf diesem Server');
    expect(one?.fields?.[0]?.value).toBe('1 Frage · von <@42>\n20 s pro Frage · der Reihe nach');
    expect(one?.footer?.text).toBe('Seite 1 von 1 · 1 Quiz');
    const two = list([2, 2]);
    expect(two?.fields?.[0]?.value).toBe('2 Fragen · von <@42>\n20 s pro Frage · der Reihe nach');
    expect(two?.footer?.text).toBe('Seite 1 von 1 · 2 Quizze');
  });

  it('keeps the English wording', () => {
    const one = list([1], en);
    expect(one?.fields?.[0]?.value).toBe('1 question · by <@42>\n20 s per question · in order');
    expect(one?.footer?.text).toBe('Page 1 of 1 · 1 quiz');
    expect(list([2, 2], en)?.footer?.text).toBe('Page 1 of 1 · 2 quizzes');
  });

  it('labels the page buttons in the member language', () => {
    const items = Array.from({ length: 10 }, (_, i) => summary(1, i + 1));
    const page = renderQuizList({ page: 0, result: { items, total: 11 } }, de);
    const labels = page.components[0]?.components.map((c) => ('label' in c ? c.label : undefined));
    expect(labels).toEqual(['◀ Zurück', 'Weiter ▶']);
  });
});

describe('the question review and replies', () => {
  it('say points with a plural', () => {
    const review = renderQuizQuestions(
      { quiz: QUIZ, questions: [question(0, 1), question(1, 2)], page: 0 },
      de,
    );
    expect(review.embeds[0]?.fields?.map((f) => f.name)).toEqual(['Frage 1 · 1 Punkt', 'Frage 2 · 2 Punkte']);
    expect(review.embeds[0]?.description).toMatch(/^2 Fragen · 20 s pro Frage/);
    expect(review.embeds[0]?.footer?.text).toBe('Seite 1 von 1');
    expect(renderQuestionAdded(QUIZ, question(0), en)).toBe(
      'Added question 1 to **Solar system**:\n> Which planet is the largest?\n> ✅ Jupiter · 10 points',
    );
  });
});

describe('the question modal', () => {
  const target = { mode: 'add', quizId: 7, quizName: 'Solar system', number: 3 } as const;
  /** The text inputs of the modal, one per action row. */
  const inputs = (modal: ReturnType<typeof renderQuestionModal>) =>
    modal.components.flatMap((row) => ('components' in row ? row.components : []));
  const labels = (modal: ReturnType<typeof renderQuestionModal>) =>
    inputs(modal).map((input) => ('label' in input ? input.label : undefined));

  it('is labelled in German', () => {
    const modal = renderQuestionModal(target, undefined, de);
    expect(modal.title).toBe('Frage 3 hinzufügen · Solar system');
    expect(labels(modal)).toEqual([
      'Frage',
      'Optionen, eine pro Zeile (2 bis 5)',
      'Richtige Antwort (Text, Buchstabe oder Zahl)',
      'Punkte (1 bis 1000, Standard 10)',
      'Erklärung (optional, nach einem Fehler)',
    ]);
    expect(inputs(modal).map((input) => ('placeholder' in input ? input.placeholder : undefined))[0]).toBe(
      'Welcher Planet ist der größte?',
    );
    const cut = renderQuestionModal(target, { points: '9'.repeat(20) }, de);
    expect(labels(cut)[3]).toBe('Punkte (auf 10 Zeichen gekürzt)');
  });

  it('keeps the English labels', () => {
    const modal = renderQuestionModal({ ...target, number: null }, undefined, en);
    expect(modal.title).toBe('Add question · Solar system');
    expect(labels(modal)).toEqual([
      'Question',
      'Options, one per line (2 to 5)',
      'Correct answer (its text, letter or number)',
      'Points (1 to 1000, default 10)',
      'Explanation (optional, shown after a miss)',
    ]);
  });
});
