import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import { renderLeaderboard } from '../../../src/render/leaderboard.js';

const en = translatorFor('en-US');
const de = translatorFor('de');

describe('renderLeaderboard', () => {
  const rows = [
    { rank: 1, userId: '1', score: 90, attempts: 2 },
    { rank: 2, userId: '2', score: 80, attempts: 1 },
  ];

  it('lists the top rows and adds the viewer below when they are further down', () => {
    const embed = renderLeaderboard(
      {
        quizName: null,
        period: 'week',
        rows,
        viewer: { userId: '7', row: { rank: 37, userId: '7', score: 5, attempts: 1 } },
        participants: 120,
      },
      en,
    );
    expect(embed.title).toBe('Leaderboard · all quizzes · Last 7 days');
    expect(embed.description?.split('\n')).toEqual([
      '🥇 <@1> — **90** points · 2 attempts',
      '🥈 <@2> — **80** points · 1 attempt',
      '…',
      '**37.** <@7> (you) — **5** points · 1 attempt',
    ]);
    expect(embed.footer?.text).toBe('120 players');
  });

  it('marks the viewer in place when listed, and says when they have no score', () => {
    const listed = renderLeaderboard(
      {
        quizName: 'Q',
        period: 'all',
        rows,
        viewer: { userId: '2', row: rows[1]! },
        participants: 2,
      },
      en,
    );
    expect(listed.description?.split('\n')).toHaveLength(2);
    expect(listed.description).toContain('<@2> (you)');
    const absent = renderLeaderboard(
      {
        quizName: 'Q',
        period: 'all',
        rows,
        viewer: { userId: '9', row: null },
        participants: 2,
      },
      en,
    );
    expect(absent.description).toContain("You're not on this board yet.");
    const empty = renderLeaderboard(
      {
        quizName: 'Q',
        period: 'day',
        rows: [],
        viewer: { userId: '9', row: null },
        participants: 0,
      },
      en,
    );
    expect(empty.description).toBe('Nobody has completed "Q" in this period yet.');
  });
});

describe('renderLeaderboard in German', () => {
  it('uses the plural forms for 1 and 2 points, attempts and players', () => {
    const embed = renderLeaderboard(
      {
        quizName: null,
        period: 'month',
        rows: [
          { rank: 1, userId: '1', score: 2, attempts: 2 },
          { rank: 2, userId: '2', score: 1, attempts: 1 },
        ],
        viewer: { userId: '2', row: { rank: 2, userId: '2', score: 1, attempts: 1 } },
        participants: 2,
        mode: 'live',
      },
      de,
    );
    expect(embed.title).toBe('Bestenliste · alle Quizze · Letzte 30 Tage · Live-Spiele');
    expect(embed.description?.split('\n')).toEqual([
      '🥇 <@1> — **2** Punkte · 2 Versuche',
      '🥈 <@2> (du) — **1** Punkt · 1 Versuch',
    ]);
    expect(embed.footer?.text).toBe('2 Spieler');
    const one = renderLeaderboard(
      {
        quizName: 'Q',
        period: 'all',
        rows: [{ rank: 1, userId: '1', score: 5, attempts: 1 }],
        viewer: { userId: '9', row: null },
        participants: 1,
      },
      de,
    );
    expect(one.title).toBe('Bestenliste · Q · Gesamte Zeit');
    expect(one.description).toContain('Du stehst noch nicht auf dieser Bestenliste.');
    expect(one.footer?.text).toBe('1 Spieler');
  });

  it('says so when nobody has a score, without translating the quiz title', () => {
    const empty = renderLeaderboard(
      {
        quizName: 'Solar system',
        period: 'day',
        rows: [],
        viewer: { userId: '9', row: null },
        participants: 0,
      },
      de,
    );
    expect(empty.title).toBe('Bestenliste · Solar system · Letzte 24 Stunden');
    expect(empty.description).toBe('In diesem Zeitraum hat noch niemand „Solar system“ abgeschlossen.');
  });
});
