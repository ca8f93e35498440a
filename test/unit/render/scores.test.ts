import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import {
  renderCancelled,
  renderMyDataDeleteConfirmation,
  renderMyDataDeleted,
  renderMyDataExported,
  renderResetConfirmation,
  renderResetDone,
  renderScoresError,
  renderScoresExported,
} from '../../../src/render/scores.js';
import type { ExportFile } from '../../../src/scores/ScoresService.js';

const en = translatorFor('en-US');
const de = translatorFor('de');

function file(rows: number): ExportFile {
  return { path: '/tmp/x', fileName: 'x.csv', format: 'csv', rows, bytes: 1, dispose: async () => {} };
}

describe('/scores and /mydata texts in English', () => {
  it('keeps the wording, with separators in large counts', () => {
    const ask = renderResetConfirmation(
      {
        scope: { kind: 'quiz', quizId: 4 },
        quizName: 'Line *one*',
        counts: { attempts: 1234, members: 1, bestScores: 2 },
      },
      '7',
      en,
    );
    expect(ask.content).toBe(
      'Reset the scores of the quiz **Line \\*one\\***? This deletes 1,234 attempts by 1 member and 2 leaderboard entries, and cannot be undone.\n' +
        'Quizzes being played right now are not touched. Export first with `/scores export` if you want a copy.',
    );
    expect(ask.components[0]?.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Delete scores',
      'Cancel',
    ]);
    expect(renderResetDone({ attempts: 1, members: 1, bestScores: 1 }, en)).toBe(
      'Done: deleted 1 attempt and 1 leaderboard entry.',
    );
    expect(renderScoresExported(file(10), 'week', en)).toMatch(/^10 attempts \(last 7 days\) as CSV\. /);
    expect(
      renderScoresError({ kind: 'tooLarge', maxBytes: 10 * 1024 * 1024, rowsWritten: 5, period: 'all' }, en),
    ).toBe(
      'The export is larger than Discord lets me upload here (10 MiB), so I stopped after 5 attempts. Try a shorter `period` (e.g. `month`) or one `quiz` at a time.',
    );
    expect(
      renderMyDataDeleted({ attempts: 2, bestScores: 1, members: 1, quizzesUnattributed: 1 }, en),
    ).toMatch(
      /^Done: deleted 2 attempts and 1 leaderboard entry, and removed your name from 1 quiz you created\. No row/,
    );
  });
});

describe('/scores and /mydata texts in German', () => {
  it('asks before a reset, with plurals for 1 and 2', () => {
    const ask = renderResetConfirmation(
      { scope: { kind: 'all' }, quizName: null, counts: { attempts: 2, members: 1, bestScores: 1 } },
      '7',
      de,
    );
    expect(ask.content).toBe(
      'Die Ergebnisse von allen Quizzen auf diesem Server zurücksetzen? Dabei werden 2 Versuche von 1 Mitglied und 1 Bestenlisten-Eintrag gelöscht, und das lässt sich nicht rückgängig machen.\n' +
        'Quizze, die gerade gespielt werden, bleiben unberührt. Exportiere vorher mit `/ergebnisse exportieren`, wenn du eine Kopie möchtest.',
    );
    expect(ask.components[0]?.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Ergebnisse löschen',
      'Abbrechen',
    ]);
    expect(renderResetDone({ attempts: 1, members: 2, bestScores: 2 }, de)).toBe(
      'Erledigt: 1 Versuch und 2 Bestenlisten-Einträge gelöscht.',
    );
    expect(renderCancelled(de)).toBe('Abgebrochen: Es wurde nichts gelöscht.');
    expect(renderScoresExported(file(1234), 'all', de)).toMatch(
      /^1\.234 Versuche \(gesamte Zeit\) als CSV\. /,
    );
  });

  it('shows a member their data and asks before deleting it', () => {
    expect(renderMyDataExported(file(1), de)).toMatch(
      /^Alles, was ich auf diesem Server über dich speichere: 1 Quizversuch /,
    );
    const ask = renderMyDataDeleteConfirmation({ attempts: 2, members: 1, bestScores: 1 }, '7', de);
    expect(ask.content).toMatch(
      /^Deine Daten auf diesem Server löschen\? Das sind 2 abgeschlossene Quizversuche und 1 Bestenlisten-Eintrag /,
    );
    expect(ask.content).toContain('Was ich nicht löschen kann');
    expect(ask.components[0]?.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Meine Daten löschen',
      'Abbrechen',
    ]);
    expect(
      renderMyDataDeleted({ attempts: 1, members: 1, bestScores: 0, quizzesUnattributed: 2 }, de),
    ).toMatch(
      /^Erledigt: 1 Versuch und 0 Bestenlisten-Einträge gelöscht und deinen Namen von den Quizzen entfernt, die du erstellt hast \(2 Quizze\)\./,
    );
    expect(renderScoresError({ kind: 'quizNotFound', ref: 'Nope' }, de)).toBe(
      'Ich finde auf diesem Server kein Quiz namens „Nope“.',
    );
  });
});
