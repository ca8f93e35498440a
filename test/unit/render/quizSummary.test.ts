import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import { questionCountText, quizSettingsSummary } from '../../../src/render/quizSummary.js';

const QUIZ = {
  timerSeconds: 30,
  questionLimit: 5,
  shuffle: true,
  opensAt: 1_767_225_600_000,
  closesAt: null,
};

describe('quiz settings summary', () => {
  it('reads as before in English', () => {
    expect(quizSettingsSummary(QUIZ, translatorFor('en-US'))).toBe(
      '30 s per question · at most 5 per attempt · shuffled · opens <t:1767225600:f>',
    );
    expect(
      quizSettingsSummary(
        { ...QUIZ, questionLimit: null, shuffle: false, opensAt: null },
        translatorFor('en-US'),
      ),
    ).toBe('30 s per question · in order');
    expect(questionCountText(1, translatorFor('en-US'))).toBe('1 question');
    expect(questionCountText(100, translatorFor('en-US'))).toBe('100 questions');
  });

  it('speaks German', () => {
    const t = translatorFor('de');
    expect(quizSettingsSummary(QUIZ, t)).toBe(
      '30 s pro Frage · höchstens 5 pro Versuch · gemischt · öffnet <t:1767225600:f>',
    );
    expect(questionCountText(1, t)).toBe('1 Frage');
    expect(questionCountText(2, t)).toBe('2 Fragen');
  });
});
