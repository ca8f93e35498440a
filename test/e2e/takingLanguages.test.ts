import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator, EmulatedMember } from '../support/discord-emulator/index.js';
import { type BotWorld, startBotWorld } from './botWorld.js';
import {
  buttons,
  firstEmbed,
  quizInput,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// Issue 15: a member's own quiz session speaks the member's Discord language (the interaction's
// `locale`); the public results post speaks the server's (`/settings language` over the server's
// Discord locale). Here the server is English on Discord but chose German in Badgey.

let world: BotWorld<'admin' | 'greta' | 'ed'>;
let emu: DiscordEmulator;
let resultsChannel: string;
let greta: EmulatedMember;
let ed: EmulatedMember;
let quizId: number;

beforeAll(async () => {
  world = await startBotWorld({
    guild: { name: 'Weltraum', locale: 'en-US', channels: ['quiz', 'results'] },
    members: { admin: { manager: true }, greta: {}, ed: {} },
    quizzes: [
      {
        quiz: quizInput('Planeten', 30),
        questions: [
          {
            text: 'Roter Planet?',
            options: ['Mars', 'Venus'],
            correctIndex: 0,
            points: 1,
            explanation: null,
          },
        ],
      },
    ],
    settings: (channel) => ({
      resultsChannelId: channel('results'),
      retakePolicy: 'unlimited',
      language: 'de',
    }),
  });
  ({ emu } = world);
  ({ greta, ed } = world.members);
  resultsChannel = world.channel('results');
  quizId = world.quizIds[0] ?? 0;
}, 40_000);

afterAll(async () => {
  await world?.close();
});

/** Takes the quiz, answers right and asks for the results, every interaction in `locale`. */
async function play(member: EmulatedMember, locale: string, words: { question: RegExp; feedback: RegExp }) {
  const take = world.command(member, 'quiz take', { quiz: String(quizId) }, { locale });
  const messageId = await sessionMessageId(take);
  // (Read what each screen shows before the next click: the stored message is edited in place.)
  const question = await waitForTitle(emu, messageId, words.question);
  const footer = firstEmbed(question)?.footer?.text;
  const answer = buttons(question)[0];
  if (!answer) throw new Error('no answer button');
  emu.injectComponent({ messageId, customId: answer.custom_id, userId: member.user.id, locale });
  const feedback = await waitForTitle(emu, messageId, words.feedback);
  const next = buttons(feedback)[0];
  if (!next) throw new Error('no results button');
  const nextLabel = next.label;
  emu.injectComponent({ messageId, customId: next.custom_id, userId: member.user.id, locale });
  return { messageId, footer, nextLabel };
}

describe('/quiz take in two languages', () => {
  it("shows each member the session in their language and posts the results in the server's", async () => {
    const german = await play(greta, 'de', {
      question: /^Frage 1\/1$/,
      feedback: /^Richtig! ✅ · Frage 1\/1$/,
    });
    expect(german.footer).toBe('Planeten · bis zu 1 Punkt · Punktestand 0');
    expect(german.nextLabel).toBe('Zum Ergebnis');
    const germanSummary = await waitForTitle(emu, german.messageId, /^Quiz geschafft: Planeten$/);
    expect(firstEmbed(germanSummary)?.fields?.map((f) => f.name)).toEqual(['Punkte', 'Richtig', 'Zeit']);

    const english = await play(ed, 'en-US', {
      question: /^Question 1\/1$/,
      feedback: /^Correct! ✅ · Question 1\/1$/,
    });
    expect(english.nextLabel).toBe('See results');
    await waitForTitle(emu, english.messageId, /^Quiz complete: Planeten$/);

    const posts = await waitUntil(
      () => (emu.storedMessages(resultsChannel).length >= 2 ? emu.storedMessages(resultsChannel) : undefined),
      'two results posts',
    );
    for (const member of [greta, ed]) {
      const post = posts.find((p) => firstEmbed(p.message)?.description?.includes(`<@${member.user.id}>`));
      expect(post && firstEmbed(post.message)).toMatchObject({
        title: 'Quiz abgeschlossen',
        description: `<@${member.user.id}> hat „Planeten“ abgeschlossen.`,
      });
    }
  }, 60_000);
});
