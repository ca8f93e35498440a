import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import { type LiveGameState, newLiveGame, rankPlayers } from '../../../src/quiz/live/LiveGame.js';
import { parseStartTime } from '../../../src/quiz/live/startTime.js';
import {
  renderAnswerAck,
  renderBadStart,
  renderGamesList,
  renderHostError,
  renderHosted,
  renderLiveQuestion,
  renderLobby,
  renderMissingPermissions,
  renderPodium,
  renderReveal,
  renderStandings,
} from '../../../src/render/liveGame.js';

// The live game's messages in English (the wording members knew before localisation) and German.

const en = translatorFor('en-US');
const de = translatorFor('de');
const T0 = 1_800_000_000_000;

function game(questions = 3, over: Partial<LiveGameState> = {}): LiveGameState {
  const state = newLiveGame(
    {
      id: 'g1',
      guildId: 'guild',
      channelId: '42',
      quizId: 7,
      quizName: 'Planets',
      hostId: '99',
      timerSeconds: 20,
      startsAt: null,
      questions: Array.from({ length: questions }, (_, i) => ({
        text: `Q${i + 1}`,
        options: ['Mercury', 'Venus'],
        correctIndex: 0,
        points: 10,
        explanation: null,
      })),
    },
    T0,
  );
  return { ...state, ...over };
}

function player(userId: string, score: number, correct: number) {
  return { userId, score, correct, answered: correct, correctMs: 1000 };
}

const description = (out: { embeds: { description?: string }[] }) => out.embeds[0]?.description ?? '';

describe('live game messages in English', () => {
  it('lobby, question and reveal keep their wording', () => {
    const lobby = renderLobby(game(), en);
    expect(lobby.embeds[0]?.title).toBe('Live quiz: Planets');
    expect(description(lobby)).toBe(
      '**3 questions**, 20 s each. Anyone in this channel can play: press a button to answer — your first answer counts, and faster correct answers score more.\n\nHosted by <@99>. Waiting for the host to start.',
    );
    expect(lobby.components[0]?.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Start now',
      'Cancel',
    ]);
    expect(description(renderLobby(game(1), en))).toMatch(/^\*\*1 question\*\*, 20 s each/);

    const question = renderLiveQuestion({ game: game(), index: 0, reasked: true }, 1, en);
    expect(question.embeds[0]?.title).toBe('Question 1 of 3');
    expect(question.embeds[0]?.footer?.text).toBe('20 s to answer · 1 answer so far');
    expect(question.content).toBe(
      'Badgey restarted during question 1, so it is asked again. Every score up to question 0 is kept.',
    );
    expect(
      renderLiveQuestion({ game: game(), index: 0, reasked: false }, 0, en).embeds[0]?.footer?.text,
    ).toBe('20 s to answer · 0 answers so far');

    const reveal = renderReveal(
      {
        game: game(),
        index: 0,
        messageId: 'm',
        counts: [2, 1],
        answered: 3,
        fastest: [{ userId: '1', elapsedMs: 500 }],
      },
      en,
    );
    expect(reveal.embeds[0]?.title).toBe('Question 1 of 3: the answer is A');
    expect(description(reveal)).toContain('✅ **A.** Mercury — 2 answers\n▫️ **B.** Venus — 1 answer');
    expect(description(reveal)).toContain('Fastest: 🥇 <@1> (0.5 s)');
    expect(reveal.embeds[0]?.footer?.text).toBe('3 players answered');
  });

  it('podium, standings and replies keep their wording', () => {
    const podium = renderPodium(
      { game: game(1), ranking: rankPlayers({ a: player('1', 10, 1) }), reason: 'completed', stored: true },
      en,
    );
    expect(podium.embeds[0]?.footer?.text).toBe('1 player · 1 question');
    expect(description(podium)).toBe(
      'That was the last question!\n\n🥇 <@1> — **10** (1 correct)\n\nScores are on `/leaderboard` (try `mode: Live games`).',
    );
    expect(description(renderStandings(game(), [], 2, 0, en))).toBe('No points yet.\n…and 2 more players');
    expect(renderMissingPermissions('5', ['embedLinks', 'readMessageHistory'], en)).toBe(
      "I can't run a game in <#5>: I'm missing **Embed Links**, **Read Message History** there. Ask a server admin to grant them to me in that channel, then try again.",
    );
    expect(renderHostError({ kind: 'channelGone', reason: 'no_access' }, en)).toBe(
      "I can't post in that channel. Check my permissions there (View Channel, Send Messages, Embed Links, Read Message History).",
    );
    expect(renderHostError({ kind: 'guildCap', cap: 1 }, en)).toMatch(
      /^This server already has 1 scheduled or running game,/,
    );
    expect(renderHostError({ kind: 'noQuestions', quizName: 'Empty *one*' }, en)).toBe(
      '"Empty \\*one\\*" has no questions yet. Add some with `/quiz add-question` first.',
    );
    expect(renderHosted(game(), en)).toBe(
      'The lobby for "Planets" is up in <#42>. Press **Start now** when everyone is ready.',
    );
    const problem = parseStartTime('2027-01-15T10:00:00', T0);
    if (problem.ok) throw new Error('expected a refusal');
    expect(renderBadStart(problem.error, en)).toBe(
      'I couldn\'t read `starts`: "2027-01-15T10:00:00" has no time zone (add Z for UTC or an offset like +02:00). Use a relative time like `10m` or `2h`, or an ISO date-time with a time zone such as `2026-05-01T19:30:00+02:00` (at most 14 days ahead).',
    );
    expect(renderAnswerAck({ ok: false, reason: 'already', optionIndex: 1 }, en)).toBe(
      'You already locked in **B**: your first answer counts.',
    );
    expect(renderGamesList([game(2, { status: 'running', index: 0 })], T0, en).embeds[0]?.description).toBe(
      '`g1` "Planets" in <#42> — running, question 1 of 2',
    );
  });
});

describe('live game messages in German', () => {
  it('the lobby', () => {
    const lobby = renderLobby(game(), de);
    expect(lobby.embeds[0]?.title).toBe('Live-Quiz: Planets');
    expect(description(lobby)).toMatch(
      /^\*\*3 Fragen\*\*, je 20 s Zeit\. Alle in diesem Kanal können mitspielen/,
    );
    expect(description(lobby)).toContain('Veranstaltet von <@99>.');
    expect(description(renderLobby(game(1), de))).toMatch(/^\*\*1 Frage\*\*, /);
    expect(lobby.components[0]?.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
      'Jetzt starten',
      'Abbrechen',
    ]);
  });

  it('a question post and its reveal (quiz content stays as written)', () => {
    const question = renderLiveQuestion({ game: game(), index: 1, reasked: false }, 1, de);
    expect(question.embeds[0]?.title).toBe('Frage 2 von 3');
    expect(question.embeds[0]?.footer?.text).toBe('20 s zum Antworten · bisher 1 Antwort');
    expect(
      renderLiveQuestion({ game: game(), index: 1, reasked: false }, 2, de).embeds[0]?.footer?.text,
    ).toBe('20 s zum Antworten · bisher 2 Antworten');
    expect(question.components[0]?.components.map((b) => ('label' in b ? b.label : ''))).toEqual([
      'A. Mercury',
      'B. Venus',
    ]);
    const reveal = renderReveal(
      {
        game: game(),
        index: 1,
        messageId: 'm',
        counts: [1, 2],
        answered: 1,
        fastest: [{ userId: '1', elapsedMs: 1500 }],
      },
      de,
    );
    expect(reveal.embeds[0]?.title).toBe('Frage 2 von 3: Die Antwort ist A');
    expect(description(reveal)).toContain('✅ **A.** Mercury — 1 Antwort\n▫️ **B.** Venus — 2 Antworten');
    expect(description(reveal)).toContain('Am schnellsten: 🥇 <@1> (1,5 s)');
    expect(reveal.embeds[0]?.footer?.text).toBe('1 Spieler hat geantwortet');
  });

  it('final standings with one and with two players', () => {
    const one = renderPodium(
      { game: game(1), ranking: rankPlayers({ a: player('1', 10, 1) }), reason: 'completed', stored: true },
      de,
    );
    expect(one.embeds[0]?.title).toBe('🏆 Endergebnis: Planets');
    expect(one.embeds[0]?.footer?.text).toBe('1 Spieler · 1 Frage');
    expect(description(one)).toBe(
      'Das war die letzte Frage!\n\n🥇 <@1> — **10** (1 richtig)\n\nDie Punkte stehen in `/bestenliste` (probier `modus: Live-Spiele`).',
    );
    const two = renderPodium(
      {
        game: game(2),
        ranking: rankPlayers({ a: player('1', 20, 2), b: player('2', 10, 1) }),
        reason: 'cancelled',
        stored: false,
      },
      de,
    );
    expect(two.embeds[0]?.footer?.text).toBe('2 Spieler · 2 Fragen');
    expect(description(two)).toBe(
      'Ein Manager hat das Spiel beendet. Die Ergebnisse bis hierhin:\n\n🥇 <@1> — **20** (2 richtig)\n🥈 <@2> — **10** (1 richtig)',
    );
    expect(description(renderStandings(game(), [], 1, 0, de))).toBe(
      'Noch keine Punkte.\n…und 1 weiterer Spieler',
    );
    expect(description(renderStandings(game(), [], 2, 0, de))).toBe(
      'Noch keine Punkte.\n…und 2 weitere Spieler',
    );
  });

  it('a start time it cannot read, and missing permissions as the German client names them', () => {
    const problem = parseStartTime('morgen', T0);
    if (problem.ok) throw new Error('expected a refusal');
    expect(renderBadStart(problem.error, de)).toBe(
      'Ich konnte `beginn` nicht lesen: „morgen“ ist weder eine relative Zeit noch ein ISO-8601-Datum mit Uhrzeit. Nimm eine relative Zeit wie `10m` oder `2h` oder ein ISO-Datum mit Uhrzeit und Zeitzone wie `2026-05-01T19:30:00+02:00` (höchstens 14 Tage im Voraus).',
    );
    const far = parseStartTime('15d', T0);
    if (far.ok) throw new Error('expected a refusal');
    expect(renderBadStart(far.error, de)).toMatch(
      /^Ich konnte `beginn` nicht lesen: das ist mehr als 14 Tage im Voraus\./,
    );
    expect(renderMissingPermissions('5', ['sendMessages'], de)).toBe(
      'Ich kann in <#5> kein Spiel veranstalten: Mir fehlt dort die Berechtigung **Nachrichten senden**. Bitte einen Server-Admin, sie mir in diesem Kanal zu geben, und versuch es dann noch einmal.',
    );
    expect(renderMissingPermissions('5', ['viewChannel', 'embedLinks', 'readMessageHistory'], de)).toContain(
      'Mir fehlen dort die Berechtigungen **Kanal ansehen**, **Links einbetten**, **Nachrichtenverlauf anzeigen**.',
    );
    expect(renderAnswerAck({ ok: true, optionIndex: 0 }, de)).toBe('Eingeloggt: **A**');
    expect(renderHostError({ kind: 'guildCap', cap: 2 }, de)).toMatch(
      /^Auf diesem Server sind schon 2 Spiele/,
    );
    expect(renderGamesList([], T0, de).embeds[0]?.description).toBe(
      'Keine geplanten oder laufenden Spiele. Veranstalte eins mit `/quiz veranstalten`.',
    );
  });
});
