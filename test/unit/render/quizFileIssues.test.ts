/**
 * Quiz-file diagnostics in the member's language: the quiz layer returns codes and values, the
 * renderer words them (German here; en-US is pinned by test/unit/quiz/quizFile.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import { parseQuestionModal, parseQuizFile, validateQuizInput } from '../../../src/quiz/quizFile.js';
import { renderAuthoringError } from '../../../src/render/quizAuthoringError.js';
import { fileErrorLine, renderQuizFileIssue } from '../../../src/render/quizFileIssues.js';

const en = translatorFor('en-US');
const de = translatorFor('de');

describe('quiz-file diagnostics in German', () => {
  it('a refused question modal names each field in German', () => {
    const result = parseQuestionModal({
      question: 'q'.repeat(1025),
      options: `a\nb\n${'x'.repeat(81)}`,
      correct: 'z',
      points: 'zehn',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(renderAuthoringError({ kind: 'invalidQuestion', errors: result.error }, de)).toBe(
      [
        'Die Frage wurde nicht gespeichert:',
        '• Frage: darf höchstens 1024 Zeichen lang sein (hat 1025)',
        '• Optionen (Option 3): darf höchstens 80 Zeichen lang sein (hat 81)',
        '• Punkte: muss eine Zahl sein, nicht der Text "zehn"',
        '• Richtige Antwort "z" passt zu keiner Option: gib den Text der Option, ihren Buchstaben (A–C) oder ihre Nummer (1–3) ein',
      ].join('\n'),
    );
  });

  it('quiz options: the date rule names the option, not the file key', () => {
    const result = validateQuizInput(
      { name: 'x', opensAt: '2026-01-02T00:00:00Z', closesAt: '2026-01-01T00:00:00Z' },
      { defaultTimerSeconds: 30 },
    );
    expect(
      !result.ok && renderAuthoringError({ kind: 'invalidQuizSettings', errors: result.error }, de),
    ).toBe('Das Quiz wurde nicht gespeichert:\n• Schließt: muss nach „Öffnet“ liegen');
  });

  it('a file import failure: "Zeile X, Spalte Y:" with the file\'s keys as written', () => {
    const text = `version: 1\nname: ${'n'.repeat(101)}\ntimr: 3\nquestions:\n  - question: A?\n    options: [a, b]\n    answer: c\n`;
    const result = parseQuizFile(text, 'yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(
      renderAuthoringError({ kind: 'invalidFile', fileName: 'quiz.yaml', errors: result.error }, de),
    ).toBe(
      [
        '`quiz.yaml` wurde nicht importiert (nichts wurde geändert):',
        '```',
        'Zeile 2, Spalte 7: name darf höchstens 100 Zeichen lang sein (hat 101)',
        'Zeile 3, Spalte 1: das Quiz hat den unbekannten Schlüssel "timr"',
        'Zeile 7, Spalte 13: questions[0].answer "c" ist keine der Optionen ("a", "b")',
        '```',
      ].join('\n'),
    );
  });

  it('a JSON syntax error', () => {
    const result = parseQuizFile('{"version": 1,\n  "name": "x",}', 'json');
    expect(
      !result.ok &&
        renderAuthoringError({ kind: 'invalidFile', fileName: 'q.json', errors: result.error }, de),
    ).toBe(
      '`q.json` wurde nicht importiert (nichts wurde geändert):\n```\nZeile 2, Spalte 15: JSON-Syntaxfehler: überzähliges Komma vor "}"\n```',
    );
    const end = parseQuizFile('{"version": 1,', 'json');
    expect(
      !end.ok && renderAuthoringError({ kind: 'invalidFile', fileName: 'q.json', errors: end.error }, de),
    ).toContain(
      'Zeile 1, Spalte 15: JSON-Syntaxfehler: Eigenschaftsname in doppelten Anführungszeichen erwartet, gefunden: Dateiende',
    );
  });

  describe('YAML syntax errors: worded by the yaml error code', () => {
    const lines = (text: string, t: typeof de) => {
      const result = parseQuizFile(text, 'yaml');
      return result.ok ? [] : result.error.map((error) => fileErrorLine(error, t));
    };
    const badIndent =
      'version: 1\nname: x\nquestions:\n  - question: A?\n    options: [a, b]\n     answer: a\n';
    const duplicateKey = 'version: 1\nname: a\nname: b\nquestions: []\n';
    const tab = 'version: 1\nname: x\nquestions:\n\t- a\n';

    it("in German, without the library's English", () => {
      expect(lines(badIndent, de)).toEqual([
        'Zeile 6, Spalte 1: YAML-Syntaxfehler: falsche Einrückung: Einträge derselben Ebene müssen in derselben Spalte beginnen (rücke mit Leerzeichen ein)',
      ]);
      expect(lines(duplicateKey, de)).toEqual([
        'Zeile 3, Spalte 1: YAML-Syntaxfehler: dieser Schlüssel steht zweimal in derselben Zuordnung: lösch einen davon oder benenne ihn um',
      ]);
      expect(lines(tab, de)).toEqual([
        'Zeile 4, Spalte 1: YAML-Syntaxfehler: Tabulatoren sind als Einrückung nicht erlaubt: rücke mit Leerzeichen ein',
      ]);
    });

    it("in English, the library's own (more specific) words", () => {
      expect(lines(badIndent, en)).toEqual([
        'line 6, column 1: YAML syntax error: All mapping items must start at the same column',
      ]);
      expect(lines(duplicateKey, en)).toEqual([
        'line 3, column 1: YAML syntax error: Map keys must be unique',
      ]);
    });

    it("a code this Badgey does not know (a newer yaml) keeps the library's words", () => {
      const error = {
        kind: 'syntaxError' as const,
        issue: {
          code: 'yamlSyntax' as const,
          yamlCode: 'SOME_FUTURE_CODE',
          detail: 'Something new went wrong',
        },
        line: 2,
        column: 5,
      };
      expect(fileErrorLine(error, de)).toBe('Zeile 2, Spalte 5: YAML-Syntaxfehler: Something new went wrong');
      expect(fileErrorLine(error, en)).toBe('line 2, column 5: YAML syntax error: Something new went wrong');
    });
  });

  it('a file over the limit, with sizes for the locale', () => {
    const result = parseQuizFile('x'.repeat(2048), 'yaml', { maxBytes: 1024 });
    expect(
      !result.ok &&
        renderAuthoringError({ kind: 'invalidFile', fileName: 'q.yaml', errors: result.error }, de),
    ).toContain('die Datei ist 2,0 KiB (2048 Byte) groß; erlaubt sind 1,0 KiB (1024 Byte)');
  });

  it('plural: one and two unknown keys', () => {
    expect(renderQuizFileIssue({ code: 'unknownKeys', keys: ['a'] }, en)).toBe('has unknown key "a"');
    expect(renderQuizFileIssue({ code: 'unknownKeys', keys: ['a', 'b'] }, en)).toBe(
      'has unknown keys "a", "b"',
    );
    expect(renderQuizFileIssue({ code: 'unknownKeys', keys: ['a'] }, de)).toBe(
      'hat den unbekannten Schlüssel "a"',
    );
    expect(renderQuizFileIssue({ code: 'unknownKeys', keys: ['a', 'b'] }, de)).toBe(
      'hat die unbekannten Schlüssel "a", "b"',
    );
  });

  it('alternatives and value kinds', () => {
    expect(renderQuizFileIssue({ code: 'notOneOf', values: ['1', '2', '3'] }, en)).toBe(
      'must be 1 or 2 or 3',
    );
    expect(renderQuizFileIssue({ code: 'notOneOf', values: ['1', '2'] }, de)).toBe('muss 1 oder 2 sein');
    expect(
      renderQuizFileIssue({ code: 'wrongType', expected: 'boolean', actual: { kind: 'null' } }, de),
    ).toBe('muss true oder false sein, nicht leer (null)');
  });
});
