import { writeFileSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord.js';
import {
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotProcess } from '../support/botProcess.js';
import type { DiscordEmulator, EmulatedGuild, EmulatedMember } from '../support/discord-emulator/index.js';
import { type BotWorld, startBotWorld } from './botWorld.js';
import {
  ack,
  answer,
  channelMessages,
  expectedPoints,
  finalReply,
  injectGames,
  injectHost,
  titleOf,
  waitForChannelTitle,
  waitForQuestion,
} from './liveHarness.js';
import { buttons, EPHEMERAL, quizInput, waitUntil } from './takingHarness.js';

// A live game end to end: the real bot (`node dist/main.js`) against the emulator, one bot for the
// file. The whole channel plays on ordinary channel messages; clicks are stamped with chosen
// Discord times, so every score is exact (t from the question message's own timestamp to the
// click's snowflake time). Build first: `npm run build`.

const TIMER_S = 5;
const QUESTIONS = [
  {
    text: 'Closest planet to the Sun?',
    options: ['Mercury', 'Venus', 'Mars'],
    correctIndex: 0,
    points: 10,
    explanation: null,
  },
  {
    text: 'Largest planet?',
    options: ['Saturn', 'Jupiter'],
    correctIndex: 1,
    points: 20,
    explanation: 'By far.',
  },
  {
    text: 'Which planet is red?',
    options: ['Mars', 'Venus'],
    correctIndex: 0,
    points: 30,
    explanation: null,
  },
];

let world: BotWorld<'admin' | 'ada' | 'bob' | 'cy'>;
let emu: DiscordEmulator;
let bot: BotProcess;
let guild: EmulatedGuild;
let gameChannel: string;
let resultsChannel: string;
let otherChannel: string;
let admin: EmulatedMember;
let ada: EmulatedMember;
let bob: EmulatedMember;
let cy: EmulatedMember;
let quizId: number;
let emptyQuizId: number;

beforeAll(async () => {
  world = await startBotWorld({
    guild: { name: 'Space Club', channels: ['quiz-night', 'results', 'announcements'] },
    members: { admin: { manager: true }, ada: {}, bob: {}, cy: {} },
    quizzes: [
      { quiz: quizInput('Planets', TIMER_S), questions: QUESTIONS },
      { quiz: quizInput('Empty', TIMER_S), questions: [] },
    ],
    settings: (channel) => ({ resultsChannelId: channel('results') }),
    env: { LIVE_GAME_INTERLUDE_SECONDS: '1', LIVE_GAME_LEASE_SECONDS: '3' },
  });
  ({ emu, bot, guild } = world);
  ({ admin, ada, bob, cy } = world.members);
  gameChannel = world.channel('quiz-night');
  resultsChannel = world.channel('results');
  otherChannel = world.channel('announcements');
  [quizId = 0, emptyQuizId = 0] = world.quizIds;
}, 40_000);

afterAll(async () => {
  if (process.env.LIVE_E2E_DUMP && bot) writeFileSync(process.env.LIVE_E2E_DUMP, bot.dump());
  await world?.close();
});

const where = (channelId = gameChannel) => ({ guildId: guild.id, channelId });

describe('live game: lobby → start → questions → reveal → podium → leaderboard', () => {
  const totals = { ada: 0, bob: 0, cy: 0 };

  it('only managers may host; a quiz without questions and bad start times are refused with the reason', async () => {
    expect(await finalReply(injectHost(emu, where(), ada.user.id, quizId))).toMatch(/Manage Server/);
    expect(await finalReply(injectHost(emu, where(), admin.user.id, emptyQuizId))).toMatch(
      /has no questions yet/,
    );
    expect(await finalReply(injectHost(emu, where(), admin.user.id, quizId, { starts: 'tomorrow' }))).toMatch(
      /couldn't read `starts`/,
    );
    expect(
      await finalReply(injectHost(emu, where(), admin.user.id, quizId, { starts: '2030-01-01T10:00:00' })),
    ).toMatch(/no time zone/);
    expect(await finalReply(injectHost(emu, where(), admin.user.id, quizId, { starts: '15d' }))).toMatch(
      /more than 14 days/,
    );
    expect(channelMessages(emu, gameChannel)).toHaveLength(0);
  });

  it('plays three questions with exact time-decay scores, first answer counting, reveal by edit, standings and podium', async () => {
    const hosted = await finalReply(injectHost(emu, where(), admin.user.id, quizId));
    expect(hosted).toMatch(/lobby for "Planets" is up/);
    const lobby = await waitForChannelTitle(emu, gameChannel, /^Live quiz: Planets$/);
    expect(lobby.embeds[0]?.description).toMatch(/3 questions\*\*, 5 s each/);
    const [start, cancel] = buttons(lobby);
    expect(start?.label).toBe('Start now');
    expect(cancel?.label).toBe('Cancel');

    // A second game in the same channel is refused while this one waits.
    expect(await finalReply(injectHost(emu, where(), admin.user.id, quizId))).toMatch(
      /already has a scheduled or running game/,
    );

    // Only the host or a manager may start it.
    const refused = emu.injectComponent({
      messageId: lobby.id,
      customId: start?.custom_id ?? '',
      userId: ada.user.id,
    });
    expect(String((await refused.waitForResponse(8000)).data.content)).toMatch(
      /Only the host or a quiz manager/,
    );
    const started = emu.injectComponent({
      messageId: lobby.id,
      customId: start?.custom_id ?? '',
      userId: admin.user.id,
    });
    await started.waitForResponse(8000);

    // Question 1: ada right at 0.51 s, bob wrong, cy right at 2.51 s; bob's second click does not count.
    const q1 = await waitForQuestion(emu, gameChannel, 1);
    // Keep the buttons: the emulator's message object is edited in place by the reveal.
    const q1Buttons = buttons(q1);
    expect(buttons(q1).map((b) => b.label)).toEqual(['A. Mercury', 'B. Venus', 'C. Mars']);
    expect(await ack(await answer(emu, q1, ada.user.id, 0, 510))).toBe('Locked in: **A**');
    expect(await ack(await answer(emu, q1, bob.user.id, 1, 800))).toBe('Locked in: **B**');
    expect(await ack(await answer(emu, q1, bob.user.id, 0, 900))).toMatch(
      /already locked in \*\*B\*\*: your first answer counts/,
    );
    expect(await ack(await answer(emu, q1, cy.user.id, 0, 2510))).toBe('Locked in: **A**');
    totals.ada += expectedPoints(10, TIMER_S, 510);
    totals.cy += expectedPoints(10, TIMER_S, 2510);

    // The reveal edits the question message: buttons gone, counts and the fastest players shown.
    const revealed1 = await waitUntil(
      () => {
        const m = emu.message(q1.id)?.message;
        return m && /the answer is A/.test(titleOf(m)) ? m : undefined;
      },
      'the reveal of question 1',
      15_000,
    );
    expect(revealed1.components ?? []).toHaveLength(0);
    expect(revealed1.embeds[0]?.description).toContain('✅ **A.** Mercury — 2 answers');
    expect(revealed1.embeds[0]?.description).toContain('▫️ **B.** Venus — 1 answer');
    expect(revealed1.embeds[0]?.description).toContain(`🥇 <@${ada.user.id}> (0.5 s)`);
    expect(emu.message(q1.id)?.history?.length).toBeGreaterThanOrEqual(1);
    const standings1 = await waitForChannelTitle(emu, gameChannel, /^Standings after question 1 of 3$/);
    expect(standings1.embeds[0]?.description?.split('\n')[0]).toBe(
      `🥇 <@${ada.user.id}> — **${totals.ada}** (1 correct)`,
    );

    // A click after the reveal is refused politely (the old message has no buttons; inject anyway).
    const late = emu.injectComponent({
      messageId: q1.id,
      customId: q1Buttons[0]?.custom_id ?? '',
      userId: cy.user.id,
    });
    expect(await ack(late)).toBe('This question is closed.');

    // Question 2: bob fastest correct, ada wrong, cy does not answer.
    const q2 = await waitForQuestion(emu, gameChannel, 2);
    await ack(await answer(emu, q2, bob.user.id, 1, 1010));
    await ack(await answer(emu, q2, ada.user.id, 0, 1500));
    totals.bob += expectedPoints(20, TIMER_S, 1010);
    await waitForChannelTitle(emu, gameChannel, /^Standings after question 2 of 3$/);

    // Question 3: everyone right.
    const q3 = await waitForQuestion(emu, gameChannel, 3);
    await ack(await answer(emu, q3, cy.user.id, 0, 300));
    await ack(await answer(emu, q3, ada.user.id, 0, 1300));
    await ack(await answer(emu, q3, bob.user.id, 0, 4300));
    totals.cy += expectedPoints(30, TIMER_S, 300);
    totals.ada += expectedPoints(30, TIMER_S, 1300);
    totals.bob += expectedPoints(30, TIMER_S, 4300);

    const podium = await waitForChannelTitle(emu, gameChannel, /^🏆 Final results: Planets$/);
    const ranked = Object.entries(totals).sort((a, b) => b[1] - a[1]);
    const ids: Record<string, string> = { ada: ada.user.id, bob: bob.user.id, cy: cy.user.id };
    const lines = podium.embeds[0]?.description?.split('\n') ?? [];
    expect(lines.filter((l) => l.includes('<@'))).toEqual(
      ranked.map(
        ([name, score], i) =>
          `${['🥇', '🥈', '🥉'][i]} <@${ids[name]}> — **${score}** (${name === 'bob' ? 2 : name === 'ada' ? 2 : 2} correct)`,
      ),
    );
    // No standings after the last question: the podium is the final word.
    expect(channelMessages(emu, gameChannel).filter((m) => /^Standings/.test(titleOf(m)))).toHaveLength(2);

    // The results channel gets a post too.
    const post = await waitForChannelTitle(emu, resultsChannel, /^Live quiz results: Planets$/);
    expect(post.embeds[0]?.description).toContain(`<#${gameChannel}>`);

    // Nobody is ever pinged, and every game message is an ordinary channel message (bot token).
    const stored = emu.storedMessages(gameChannel).filter((s) => ((s.message.flags ?? 0) & EPHEMERAL) === 0);
    expect(stored.length).toBeGreaterThanOrEqual(7);
    for (const s of stored) {
      expect(s.via).toBe('channel');
      expect(s.allowedMentions).toEqual({ parse: [] });
    }
  }, 90_000);

  it('/leaderboard mode:live ranks the live scores; solo mode has none', async () => {
    const live = emu.injectChatInput({
      ...where(),
      userId: ada.user.id,
      name: 'leaderboard',
      options: [{ type: T.String, name: 'mode', value: 'live' }],
    });
    const board = (await live.waitForResponse(8000)).data.embeds?.[0] as
      | { title?: string; description?: string; footer?: { text?: string } }
      | undefined;
    expect(board?.title).toBe('Leaderboard · all quizzes · All time · Live games');
    expect(board?.footer?.text).toBe('3 players');
    const first = Object.entries(totals).sort((a, b) => b[1] - a[1])[0];
    expect(board?.description?.split('\n')[0]).toContain(`**${first?.[1]}** points · 1 attempt`);

    const solo = emu.injectChatInput({
      ...where(),
      userId: ada.user.id,
      name: 'leaderboard',
      options: [{ type: T.String, name: 'mode', value: 'solo' }],
    });
    const soloBoard = (await solo.waitForResponse(8000)).data.embeds?.[0] as
      | { description?: string }
      | undefined;
    expect(soloBoard?.description).toMatch(/No completed quizzes/);
  });
});

describe('live game: channel checks', () => {
  it('names exactly the permissions the bot lacks in the target channel, and posts nothing there', async () => {
    emu.setChannelPermissions(otherChannel, {
      botDeny: PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ReadMessageHistory,
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // CHANNEL_UPDATE reaches the bot's cache
    const reply = await finalReply(
      injectHost(emu, where(), admin.user.id, quizId, { channelId: otherChannel }),
    );
    expect(reply).toMatch(/missing \*\*Embed Links\*\*, \*\*Read Message History\*\* there/);
    expect(reply).not.toMatch(/Send Messages/);
    expect(channelMessages(emu, otherChannel)).toHaveLength(0);
    emu.setChannelPermissions(otherChannel, { botDeny: 0n });
  });

  it('a scheduled game is listed by /quiz games and can be cancelled there', async () => {
    const reply = await finalReply(
      injectHost(emu, where(), admin.user.id, quizId, { channelId: otherChannel, starts: '2h' }),
    );
    expect(reply).toMatch(/Scheduled "Planets" in <#/);
    const lobby = await waitForChannelTitle(emu, otherChannel, /^Live quiz: Planets$/);
    expect(lobby.embeds[0]?.description).toMatch(/Starts <t:\d+:R>/);
    expect(buttons(lobby)).toHaveLength(0);
    const games = injectGames(emu, where(), admin.user.id);
    await waitUntil(
      () => games.originalMessage()?.embeds[0]?.description?.includes('starts <t:'),
      'the games list',
    );
    const list = games.originalMessage();
    const cancel = buttons(list ?? ({ components: [] } as never))[0];
    expect(cancel?.label).toBe('Cancel 1: Planets');
    const clicked = emu.injectComponent({
      messageId: list?.id ?? '',
      customId: cancel?.custom_id ?? '',
      userId: admin.user.id,
    });
    await waitUntil(
      () => clicked.responses.some((r) => /was cancelled/.test(String(r.data.content ?? ''))),
      'cancel reply',
    );
    await waitUntil(
      () => /cancelled/.test(emu.message(lobby.id)?.message.embeds[0]?.description ?? ''),
      'the lobby shows the cancel',
    );
  });
});

/** `/settings language language:<value>` as the admin; resolves when the bot has answered. */
async function setLanguage(value: string): Promise<void> {
  await finalReply(
    emu.injectChatInput({
      ...where(),
      userId: admin.user.id,
      name: 'settings',
      options: [
        {
          type: T.Subcommand,
          name: 'language',
          options: [{ type: T.String, name: 'language', value }],
        } as APIApplicationCommandInteractionDataOption,
      ],
    }),
  );
}

/** Hosts a lobby in `otherChannel` as the (English-speaking) admin and cancels it: its German texts. */
async function hostGermanLobby(): Promise<void> {
  const after = channelMessages(emu, otherChannel).at(-1)?.id;
  // The host's own Discord is English: the reply to the command is too.
  const reply = await finalReply(
    injectHost(emu, where(), admin.user.id, quizId, { channelId: otherChannel }),
  );
  expect(reply).toMatch(/lobby for "Planets" is up/);
  const lobby = await waitForChannelTitle(emu, otherChannel, /^Live-Quiz: Planets$/, 20_000, after);
  expect(lobby.embeds[0]?.description).toMatch(/^\*\*3 Fragen\*\*, je 5 s Zeit\./);
  const [start, cancel] = buttons(lobby);
  expect(start?.label).toBe('Jetzt starten');
  expect(cancel?.label).toBe('Abbrechen');
  const refused = emu.injectComponent({
    messageId: lobby.id,
    customId: start?.custom_id ?? '',
    userId: ada.user.id,
    locale: 'de',
  });
  expect(String((await refused.waitForResponse(8000)).data.content)).toBe(
    'Das können nur der Host oder ein Quiz-Manager.',
  );
  const cancelled = emu.injectComponent({
    messageId: lobby.id,
    customId: cancel?.custom_id ?? '',
    userId: admin.user.id,
  });
  await waitUntil(
    () => cancelled.responses.some((r) => r.data.content === 'The game was cancelled.'),
    'cancel reply',
  );
  await waitUntil(
    () =>
      emu.message(lobby.id)?.message.embeds[0]?.description?.endsWith('**Dieses Spiel wurde abgebrochen.**'),
    'the lobby shows the cancel in German',
  );
}

describe('live game: a German server', () => {
  it("posts the game in the server's Discord language; each click is answered in the clicking member's", async () => {
    emu.updateGuild(guild.id, { locale: 'de' });
    try {
      await hostGermanLobby();
    } finally {
      emu.updateGuild(guild.id, { locale: 'en-US' });
    }
  });

  it("/settings language chooses the language of the posts over the server's Discord language", async () => {
    await setLanguage('de');
    try {
      await hostGermanLobby();
    } finally {
      await setLanguage('default');
    }
  });
});
