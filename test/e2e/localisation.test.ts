import type { APIEmbed } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DiscordEmulator,
  EmulatedGuild,
  EmulatedMember,
  InteractionHandle,
} from '../support/discord-emulator/index.js';
import { type BotWorld, type OptionSpec, startBotWorld } from './botWorld.js';
import {
  buttons,
  click,
  currentMessage,
  EPHEMERAL,
  firstEmbed,
  quizInput,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// The same flows in English and German, end to end: the real bot against the emulator, one server
// and two members — ada, whose Discord is en-US, and bea, whose Discord is German. What only a
// member sees follows her language; what the channel sees follows the server's (its Discord locale,
// or /settings language). Build first: `npm run build`.

const QUESTION = { options: ['Mercury', 'Venus'], correctIndex: 0, points: 10, explanation: null };

let world: BotWorld<'admin' | 'ada' | 'bea'>;
let emu: DiscordEmulator;
let guild: EmulatedGuild;
let quizChannel: string;
let ada: EmulatedMember;
let bea: EmulatedMember;
let oneQuestionQuiz: number;
let twoQuestionQuiz: number;

beforeAll(async () => {
  world = await startBotWorld({
    guild: { name: 'Space Club', locale: 'en-US' },
    members: { admin: { manager: true }, ada: {}, bea: { locale: 'de' } },
    quizzes: [
      { quiz: quizInput('Sun', 30), questions: [{ ...QUESTION, text: 'Closest planet to the Sun?' }] },
      {
        quiz: quizInput('Planets', 30),
        questions: [
          { ...QUESTION, text: 'Closest planet to the Sun?' },
          { ...QUESTION, text: 'Smallest planet?' },
        ],
      },
    ],
    settings: { retakePolicy: 'unlimited' },
  });
  ({ emu, guild } = world);
  ({ ada, bea } = world.members);
  quizChannel = world.channel('quiz');
  [oneQuestionQuiz = 0, twoQuestionQuiz = 0] = world.quizIds;
  await waitUntil(
    () => emu.registeredCommands({ guildId: guild.id }).length > 0 || undefined,
    'registration',
  );
}, 40_000);

afterAll(async () => {
  await world?.close();
});

/** `/line` as `member`, whose Discord speaks `locale`. */
function command(member: EmulatedMember, locale: string, line: string, spec?: OptionSpec): InteractionHandle {
  return world.command(member, line, spec, { locale });
}

/** The text of the first reply (content, else the embeds' titles, descriptions and fields). */
async function replyText(handle: InteractionHandle): Promise<{ text: string; ephemeral: boolean }> {
  const response = await handle.waitForResponse(10_000);
  const message =
    response.data.content === undefined && response.kind !== 'callback' ? undefined : response.data;
  const embeds = (message?.embeds ?? []) as APIEmbed[];
  const text = [
    String(message?.content ?? ''),
    ...embeds.flatMap((e) => [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
  ]
    .filter(Boolean)
    .join('\n');
  return { text, ephemeral: (Number(message?.flags ?? 0) & EPHEMERAL) !== 0 };
}

describe('Badgey in English and German', () => {
  it('registers every command with German names and descriptions, as Discord accepts them', () => {
    const registered = emu.registeredCommands({ guildId: guild.id });
    expect(registered.length).toBe(8);
    for (const definition of registered) {
      expect(definition.name_localizations?.de, definition.name).toBeTruthy();
      expect(definition.description_localizations?.de, definition.name).toBeTruthy();
    }
    const quiz = registered.find((c) => c.name === 'quiz');
    const take = quiz?.options?.find((o) => o.name === 'take');
    expect(take).toMatchObject({
      name_localizations: { de: 'spielen' },
      description: 'Take a quiz: timed questions, only you see them; results are posted for the server',
    });
    expect(take?.description_localizations?.de).toMatch(/^Ein Quiz spielen/);
    const leaderboard = registered.find((c) => c.name === 'leaderboard');
    expect(leaderboard?.name_localizations).toEqual({ de: 'bestenliste' });
    const period = leaderboard?.options?.find((o) => o.name === 'period');
    expect(period && 'choices' in period ? period.choices?.[0] : undefined).toEqual({
      name: 'All time',
      name_localizations: { de: 'Gesamte Zeit' },
      value: 'all',
    });
  });

  it("answers a refusal in the member's own language", async () => {
    const nope = { quiz: 'Nope' };
    const english = await replyText(command(ada, 'en-US', 'leaderboard', nope));
    const german = await replyText(command(bea, 'de', 'leaderboard', nope));
    expect(english).toEqual({ text: 'I can\'t find a quiz called "Nope" in this server.', ephemeral: true });
    expect(german).toEqual({ text: 'Ich finde auf diesem Server kein Quiz namens „Nope“.', ephemeral: true });
    // A language Badgey lacks reads English; British English reads American.
    expect((await replyText(command(ada, 'ja', 'leaderboard', nope))).text).toBe(english.text);
    expect((await replyText(command(ada, 'en-GB', 'leaderboard', nope))).text).toBe(english.text);
  });

  /** The same flow for each language: what the member reads, in her language. */
  const FLOWS = [
    {
      locale: 'en-US',
      member: () => ada,
      listed: ['#1 · Sun\n1 question · by', '#2 · Planets\n2 questions · by'],
      help: ['`/quiz take` — Take a quiz', '`/leaderboard` — '],
      questionTitle: /^Question 1\/1$/,
      summaryTitle: 'Quiz complete: Sun',
      score: /^\*\*\d+\*\* of 10 points$/,
    },
    {
      locale: 'de',
      member: () => bea,
      listed: ['#1 · Sun\n1 Frage · von', '#2 · Planets\n2 Fragen · von'],
      help: ['`/quiz spielen` — Ein Quiz spielen', '`/bestenliste` — '],
      questionTitle: /^Frage 1\/1$/,
      summaryTitle: 'Quiz geschafft: Sun',
      score: /^\*\*\d+\*\* von 10 Punkten$/,
    },
  ];

  for (const flow of FLOWS) {
    it(`${flow.locale}: lists the quizzes with "1" and "2" questions in the right plural, and /help names the commands as the member sees them`, async () => {
      const list = await replyText(command(flow.member(), flow.locale, 'quiz list'));
      expect(list.ephemeral).toBe(true);
      for (const part of flow.listed) expect(list.text).toContain(part);
      const help = await replyText(command(flow.member(), flow.locale, 'help'));
      for (const part of flow.help) expect(help.text).toContain(part);
    });

    it(`${flow.locale}: a quiz taken from the question to the summary`, async () => {
      const take = command(flow.member(), flow.locale, 'quiz take', { quiz: String(oneQuestionQuiz) });
      const messageId = await sessionMessageId(take);
      const question = await waitForTitle(emu, messageId, flow.questionTitle);
      const right = buttons(question)[0];
      if (!right) throw new Error('no answer button');
      await click(emu, messageId, right.custom_id, flow.member().user.id);
      const feedback = await waitForTitle(emu, messageId, /✅/);
      const next = buttons(feedback).at(-1);
      if (!next) throw new Error('no button to the results');
      await click(emu, messageId, next.custom_id, flow.member().user.id);
      const summary = firstEmbed(await waitForTitle(emu, messageId, /: Sun$/));
      expect(summary?.title).toBe(flow.summaryTitle);
      expect(summary?.fields?.[0]?.value).toMatch(flow.score);
    });
  }

  it("posts results in the server's Discord language, whatever the member's", async () => {
    emu.updateGuild(guild.id, { locale: 'de' });
    const before = emu.messages(quizChannel).length;
    const take = command(ada, 'en-US', 'quiz take', { quiz: String(twoQuestionQuiz) });
    const messageId = await sessionMessageId(take);
    for (const number of [1, 2]) {
      const question = await waitForTitle(emu, messageId, new RegExp(`^Question ${number}/2$`));
      const wrong = buttons(question)[1];
      if (!wrong) throw new Error('no answer button');
      await click(emu, messageId, wrong.custom_id, ada.user.id);
      const feedback = await waitForTitle(emu, messageId, /❌/);
      const next = buttons(feedback).at(-1);
      if (!next) throw new Error('no next button');
      await click(emu, messageId, next.custom_id, ada.user.id);
    }
    // ada reads her own summary in English; the channel reads the post in German.
    expect(firstEmbed(await waitForTitle(emu, messageId, /^Quiz complete/))?.fields?.[0]?.value).toContain(
      '**0** of 20 points',
    );
    // The earlier tests' posts (quiz "Sun") are sent in the background and may land late: this
    // attempt's post is the one naming "Planets".
    const post = await waitUntil(
      () =>
        emu
          .messages(quizChannel)
          .slice(before)
          .find((m) => (m.flags ?? 0) === 0 && m.embeds[0]?.description?.includes('Planets')),
      'the public results post',
    );
    expect(JSON.stringify(post.embeds)).toMatch(/Quiz abgeschlossen/);
    expect(currentMessage(emu, post.id).embeds).toEqual(post.embeds);
  });
});
