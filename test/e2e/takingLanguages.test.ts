import { rmSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord.js';
import {
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/botProcess.js';
import {
  DiscordEmulator,
  type EmulatedGuild,
  type EmulatedMember,
} from '../support/discord-emulator/index.js';
import {
  buttons,
  firstEmbed,
  quizInput,
  seedDatabase,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// Issue 15: a member's own quiz session speaks the member's Discord language (the interaction's
// `locale`); the public results post speaks the server's (`/settings language` over the server's
// Discord locale). Here the server is English on Discord but chose German in Badgey.

let emu: DiscordEmulator;
let bot: BotProcess;
let guild: EmulatedGuild;
let quizChannel: string;
let resultsChannel: string;
let greta: EmulatedMember;
let ed: EmulatedMember;
let quizId: number;
let dbDir: string;

beforeAll(async () => {
  emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  guild = emu.addGuild({
    name: 'Weltraum',
    locale: 'en-US',
    channels: [{ name: 'quiz' }, { name: 'results' }],
  });
  quizChannel = guild.channels[0]?.id ?? '';
  resultsChannel = guild.channels[1]?.id ?? '';
  const admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  greta = emu.addMember(guild.id, { user: { username: 'greta' }, permissions: 0n });
  ed = emu.addMember(guild.id, { user: { username: 'ed' }, permissions: 0n });
  const seeded = await seedDatabase({
    guildId: guild.id,
    creatorId: admin.user.id,
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
    settings: { resultsChannelId: resultsChannel, retakePolicy: 'unlimited', language: 'de' },
  });
  dbDir = seeded.dir;
  quizId = seeded.quizIds[0] ?? 0;
  bot = await BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: guild.id,
      DATABASE_URL: seeded.url,
    },
  });
  await bot.waitUntilServing();
}, 40_000);

afterAll(async () => {
  await bot?.stop();
  await emu?.close();
  if (dbDir) rmSync(dbDir, { recursive: true, force: true });
});

/** Takes the quiz, answers right and asks for the results, every interaction in `locale`. */
async function play(member: EmulatedMember, locale: string, words: { question: RegExp; feedback: RegExp }) {
  const take = emu.injectChatInput({
    guildId: guild.id,
    channelId: quizChannel,
    userId: member.user.id,
    locale,
    name: 'quiz',
    options: [
      {
        type: T.Subcommand,
        name: 'take',
        options: [{ type: T.String, name: 'quiz', value: String(quizId) }],
      } as APIApplicationCommandInteractionDataOption,
    ],
  });
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
