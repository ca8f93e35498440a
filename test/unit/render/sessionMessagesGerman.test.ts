/** The session in German: the member's language for their own messages, plurals by count. */
import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import type { SessionSummary } from '../../../src/quiz/session/SoloSession.js';
import {
  formatDuration,
  renderAvailabilityError,
  renderGaveUp,
  renderQuestion,
  renderQueued,
  renderResultsPost,
  renderResumeOffer,
  renderSummary,
  renderTakeError,
} from '../../../src/render/sessionMessages.js';

const de = translatorFor('de');
const en = translatorFor('en-US');

function summary(overrides: Partial<SessionSummary> = {}): SessionSummary {
  return {
    score: 1,
    maxScore: 1,
    correctCount: 1,
    answeredCount: 1,
    questionCount: 1,
    durationSeconds: 42.25,
    status: 'finished',
    endReason: 'completed',
    ...overrides,
  };
}

function labels(message: { components: { components: unknown[] }[] }): string[] {
  return (message.components[0]?.components ?? []).map((button) =>
    typeof button === 'object' && button !== null && 'label' in button ? String(button.label) : '',
  );
}

describe('the session in German', () => {
  it('asks a question in German, with singular and plural points in the footer', () => {
    const view = {
      sessionId: 'AbCdEf12',
      quizName: 'Planeten',
      questionIndex: 0,
      questionNumber: 1,
      questionCount: 2,
      question: {
        questionId: 1,
        text: 'Welcher Planet ist der Sonne am nächsten?',
        options: ['Venus', 'Merkur'],
        correctIndex: 1,
        points: 1,
        explanation: null,
      },
      deadlineMs: 1_767_225_620_000,
      timerSeconds: 20,
      score: 0,
    };
    const embed = renderQuestion(view, de).embeds[0];
    expect(embed?.title).toBe('Frage 1/2');
    expect(embed?.description).toBe(
      'Welcher Planet ist der Sonne am nächsten?\n\n**A.** Venus\n**B.** Merkur\n\n⏳ Zeit läuft ab <t:1767225620:R>',
    );
    expect(embed?.footer?.text).toBe('Planeten · bis zu 1 Punkt · Punktestand 0');
    const two = renderQuestion({ ...view, question: { ...view.question, points: 2 } }, de).embeds[0];
    expect(two?.footer?.text).toBe('Planeten · bis zu 2 Punkte · Punktestand 0');
  });

  it('sums up with plurals for 1 and 2, and a German decimal in the time', () => {
    const one = renderSummary(
      {
        quizName: 'Planeten',
        summary: summary(),
        bestScore: 1,
        isNewBest: true,
        post: { status: 'posted', channelId: '9' },
      },
      de,
    ).embeds[0];
    expect(one?.title).toBe('Quiz geschafft: Planeten');
    expect(one?.description).toBe(
      '🏅 Neue persönliche Bestleistung bei diesem Quiz!\nDein Ergebnis wurde in <#9> gepostet.',
    );
    expect(one?.fields).toEqual([
      { name: 'Punkte', value: '**1** von 1 Punkt', inline: true },
      { name: 'Richtig', value: '1 von 1', inline: true },
      { name: 'Zeit', value: '42,3 s', inline: true },
    ]);
    const two = renderSummary(
      {
        quizName: 'Planeten',
        summary: summary({ score: 1, maxScore: 2, questionCount: 2, durationSeconds: 65 }),
        bestScore: 2,
        isNewBest: false,
        post: { status: 'pending', channelId: null },
      },
      de,
    ).embeds[0];
    expect(two?.fields?.map((f) => f.value)).toEqual(['**1** von 2 Punkten', '1 von 2', '1 Min. 5 s']);
    expect(two?.description).toBe(
      'Deine Bestleistung bei diesem Quiz bleibt **2**.\nDein Ergebnis wird gerade in diesem Kanal gepostet.',
    );
  });

  it('counts questions in the singular and the plural when a member gives up', () => {
    expect(
      renderGaveUp({ quizName: 'Planeten', score: 0, answeredCount: 0, questionCount: 1 }, de).content,
    ).toBe(
      'Du hast „Planeten“ nach 0 von 1 Frage aufgegeben (Punktestand 0). Das zählt nicht als gespielt: Starte `/quiz spielen`, um es noch einmal zu versuchen.',
    );
    expect(
      renderGaveUp({ quizName: '', score: 3, answeredCount: 1, questionCount: 2 }, de).content,
    ).toContain('Du hast dieses Quiz nach 1 von 2 Fragen aufgegeben');
    // English gains its singular: "1 question", not "1 questions".
    expect(renderGaveUp({ quizName: '', score: 0, answeredCount: 0, questionCount: 1 }, en).content).toBe(
      "You gave up this quiz after 0 of 1 question (score 0). It doesn't count as taken: run `/quiz take` to try again.",
    );
    expect(
      renderGaveUp({ quizName: 'Planets', score: 3, answeredCount: 1, questionCount: 2 }, en).content,
    ).toBe(
      'You gave up "Planets" after 1 of 2 questions (score 3). It doesn\'t count as taken: run `/quiz take` to try again.',
    );
  });

  it('offers an interrupted attempt back with German buttons', () => {
    const offer = renderResumeOffer(
      {
        sessionId: 'AbCdEf12',
        quizName: 'Planeten',
        questionNumber: 2,
        questionCount: 3,
        score: 10,
        canContinue: true,
      },
      de,
    );
    expect(offer.embeds[0]?.title).toBe('Planeten fortsetzen?');
    expect(offer.embeds[0]?.description).toBe(
      'Dieses Quiz wurde unterbrochen (Badgey wurde neu gestartet oder es hat pausiert). **Weiter** stellt Frage 2 von 3 noch einmal, mit voller Zeit; deine bisherigen Punkte bleiben.\n**Neu anfangen** verwirft diesen Versuch und beginnt von vorn; **Aufgeben** verwirft ihn. Beides zählt nicht als gespielt.',
    );
    expect(labels(offer)).toEqual(['Weiter (Frage 2 von 3, Punktestand 10)', 'Neu anfangen', 'Aufgeben']);
  });

  it('refuses a quiz that is not open yet or closed, in German and in English', () => {
    expect(renderAvailabilityError({ kind: 'notYetOpen', opensAt: 1_767_225_600_000 }, de)).toBe(
      'Dieses Quiz öffnet <t:1767225600:R>. Komm dann wieder!',
    );
    expect(renderTakeError({ kind: 'closed', closesAt: 1_767_225_600_000 }, de)).toBe(
      'Dieses Quiz wurde <t:1767225600:R> geschlossen.',
    );
    expect(renderTakeError({ kind: 'closed', closesAt: 1_767_225_600_000 }, en)).toBe(
      'This quiz closed <t:1767225600:R>.',
    );
  });

  it('queues and posts results in German', () => {
    const queued = renderQueued({ quizName: 'Planeten', position: 3 }, de);
    expect(queued.content).toBe(
      'Gerade laufen ganz viele Quizze. Du bist Nummer **3** in der Warteschlange für „Planeten“; dein Quiz startet hier von selbst, sobald ein Platz frei wird.',
    );
    expect(labels(queued)).toEqual(['Warteschlange verlassen']);
    const post = renderResultsPost({ userId: '555', quizName: 'Planeten', summary: summary() }, de);
    expect(post.embeds[0]?.title).toBe('Quiz abgeschlossen');
    expect(post.embeds[0]?.description).toBe('<@555> hat „Planeten“ abgeschlossen.');
  });

  it('formats durations in each language', () => {
    expect(formatDuration(42.25, en)).toBe('42.3 s');
    expect(formatDuration(5, en)).toBe('5.0 s');
    expect(formatDuration(65, en)).toBe('1 min 5 s');
    expect(formatDuration(5, de)).toBe('5,0 s');
    expect(formatDuration(125.4, de)).toBe('2 Min. 5 s');
  });
});
