import { describe, expect, it } from 'vitest';
import { CUSTOM_ID_MAX_LENGTH, parseCustomId } from '../../../src/components/customId.js';
import { translatorFor } from '../../../src/i18n/index.js';
import { QUIZ_LIMITS } from '../../../src/quiz/limits.js';
import type { QuestionView } from '../../../src/quiz/session/presenter.js';
import type {
  AnswerOutcome,
  SessionQuestion,
  SessionSummary,
} from '../../../src/quiz/session/SoloSession.js';
import {
  renderAnswerRejection,
  renderEnded,
  renderFeedback,
  renderQuestion,
  renderResultsPost,
  renderSummary,
  renderTakeError,
} from '../../../src/render/sessionMessages.js';

const en = translatorFor('en-US');

const LONGEST_OPTION = 'o'.repeat(QUIZ_LIMITS.optionMaxLength);

function question(overrides: Partial<SessionQuestion> = {}): SessionQuestion {
  return {
    questionId: 1,
    text: 'Which *planet* is <@123> closest?',
    options: Array.from({ length: QUIZ_LIMITS.maxOptions }, () => LONGEST_OPTION),
    correctIndex: 2,
    points: 10,
    explanation: 'Because orbits.',
    ...overrides,
  };
}

function questionView(overrides: Partial<QuestionView> = {}): QuestionView {
  return {
    sessionId: 'AbCdEf12',
    quizName: 'Planets',
    questionIndex: 99,
    questionNumber: 100,
    questionCount: 100,
    question: question(),
    deadlineMs: 1_767_225_620_000,
    timerSeconds: 20,
    score: 42,
    ...overrides,
  };
}

function outcome(overrides: Partial<AnswerOutcome> = {}): AnswerOutcome {
  return {
    questionIndex: 0,
    outcome: 'incorrect',
    optionIndex: 1,
    pointsAwarded: 0,
    maxPoints: 10,
    correctIndex: 2,
    correctOption: 'Mercury',
    explanation: 'Because orbits.',
    elapsedMs: 3_000,
    score: 5,
    isLastQuestion: false,
    ...overrides,
  };
}

const SUMMARY: SessionSummary = {
  score: 26,
  maxScore: 100,
  correctCount: 2,
  answeredCount: 4,
  questionCount: 4,
  durationSeconds: 75.4,
  status: 'finished',
  endReason: 'completed',
};

describe('renderQuestion', () => {
  it('shows a relative countdown, one button per option, and custom ids that fit Discord', () => {
    const message = renderQuestion(questionView(), en);
    const embed = message.embeds[0];
    expect(embed?.title).toBe('Question 100/100');
    expect(embed?.description).toContain("Time's up <t:1767225620:R>");
    expect(embed?.description).toContain('Which \\*planet\\* is <@123> closest?');
    const buttons = message.components[0]?.components ?? [];
    expect(buttons).toHaveLength(QUIZ_LIMITS.maxOptions);
    for (const [i, button] of buttons.entries()) {
      const customId = 'custom_id' in button ? button.custom_id : '';
      expect(customId.length).toBeLessThanOrEqual(CUSTOM_ID_MAX_LENGTH);
      expect(parseCustomId(customId)).toEqual({
        ok: true,
        value: { handler: 'quiz-play', action: 'answer', args: ['AbCdEf12', '99', String(i)] },
      });
      expect('label' in button && (button.label?.length ?? 0)).toBeLessThanOrEqual(80);
    }
  });
});

describe('renderFeedback', () => {
  const base = {
    sessionId: 's1',
    quizName: 'Planets',
    questionNumber: 1,
    questionCount: 3,
    question: question(),
  };

  it('a wrong answer shows the right one and the explanation', () => {
    const embed = renderFeedback({ ...base, outcome: outcome(), nextAtMs: 1_767_225_625_000 }, en).embeds[0];
    expect(embed?.title).toBe('Incorrect ❌ · Question 1/3');
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({
      Points: 'You earned **0** of 10 points.',
      'The correct answer': '**C.** Mercury',
      Explanation: 'Because orbits.',
    });
    expect(embed?.description).toContain('The next question comes <t:1767225625:R>.');
  });

  it('a right answer shows the points and no explanation; the last one offers the results', () => {
    const message = renderFeedback(
      {
        ...base,
        outcome: outcome({ outcome: 'correct', pointsAwarded: 7, isLastQuestion: true }),
        nextAtMs: 0,
      },
      en,
    );
    const names = (message.embeds[0]?.fields ?? []).map((f) => f.name);
    expect(names).toEqual(['Points', 'Score so far']);
    const next = message.components[0]?.components[0];
    expect(next && 'label' in next ? next.label : '').toBe('See results');
  });

  it('a timeout says so and shows the answer', () => {
    const embed = renderFeedback(
      {
        ...base,
        outcome: outcome({ outcome: 'timed_out', optionIndex: null }),
        nextAtMs: 0,
      },
      en,
    ).embeds[0];
    expect(embed?.title).toBe("Time's up! ⌛ · Question 1/3");
    expect(embed?.fields?.map((f) => f.name)).toContain('The correct answer');
  });
});

describe('results', () => {
  it('the public post mentions the member without pinging', () => {
    const post = renderResultsPost({ userId: '555', quizName: 'Planets', summary: SUMMARY }, en);
    expect(post.allowed_mentions).toEqual({ parse: [] });
    expect(post.embeds[0]?.description).toBe('<@555> completed "Planets".');
    expect(post.embeds[0]?.fields?.map((f) => f.value)).toEqual([
      '**26** of 100 points',
      '2 of 4',
      '1 min 15 s',
    ]);
  });

  it('the summary says where the results went, or why they could not be posted', () => {
    const posted = renderSummary(
      {
        quizName: 'Planets',
        summary: SUMMARY,
        bestScore: 30,
        isNewBest: false,
        post: { status: 'posted', channelId: '9' },
      },
      en,
    );
    expect(posted.embeds[0]?.description).toBe(
      'Your best on this quiz is still **30**.\nYour results were posted in <#9>.',
    );
    const refused = renderSummary(
      {
        quizName: 'Planets',
        summary: SUMMARY,
        bestScore: null,
        isNewBest: false,
        post: { status: 'forbidden', channelId: '9' },
      },
      en,
    );
    expect(refused.embeds[0]?.description).toMatch(
      /couldn't save this score[\s\S]*couldn't post your results in <#9>/,
    );
    const pending = renderSummary(
      {
        quizName: 'Planets',
        summary: SUMMARY,
        bestScore: 30,
        isNewBest: true,
        post: { status: 'pending', channelId: null },
      },
      en,
    );
    expect(pending.embeds[0]?.description).toBe(
      '🏅 A new personal best on this quiz!\nYour results are being posted in this channel.',
    );
  });

  it('an early end only claims the progress was saved when it was', () => {
    const view = { sessionId: 'abc', quizName: 'Planets', summary: SUMMARY } as const;
    expect(renderEnded({ ...view, reason: 'shutdown', saved: true }, en).embeds[0]?.description).toContain(
      'progress so far was saved',
    );
    const unsaved =
      renderEnded({ ...view, reason: 'shutdown', saved: false }, en).embeds[0]?.description ?? '';
    expect(unsaved).not.toContain('was saved');
    expect(unsaved).toContain("couldn't save your progress");
    expect(
      renderEnded({ ...view, reason: 'quizDeleted', saved: false }, en).embeds[0]?.description,
    ).not.toContain("couldn't save");
  });
});

describe('polite texts', () => {
  it('every rejection and take error has its own message', () => {
    const rejections = [
      renderAnswerRejection({ kind: 'notYourSession' }, en),
      renderAnswerRejection({ kind: 'staleQuestion', questionIndex: 0, currentIndex: 1 }, en),
      renderAnswerRejection({ kind: 'alreadyAnswered', questionIndex: 0 }, en),
      renderAnswerRejection({ kind: 'alreadyAdvanced' }, en),
      renderAnswerRejection({ kind: 'sessionNotFound' }, en),
    ];
    expect(new Set(rejections).size).toBe(rejections.length);
    expect(renderTakeError({ kind: 'notYetOpen', opensAt: 1_767_225_600_000 }, en)).toBe(
      'This quiz opens <t:1767225600:R>. Come back then!',
    );
    expect(renderTakeError({ kind: 'quizNotFound', ref: '**bold**' }, en)).toContain('"\\*\\*bold\\*\\*"');
  });
});
