import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type APIApplicationCommandInteractionDataOption,
  PermissionFlagsBits,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, freePort } from '../support/botProcess.js';
import {
  DiscordEmulator,
  type EmulatedGuild,
  type EmulatedMember,
  type EmulatedRole,
  type InteractionResponse,
} from '../support/discord-emulator/index.js';
import { finalAnswer as answer, injectCommand, type OptionSpec } from './botWorld.js';
import {
  buttons,
  currentMessage,
  injectTake,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// Quiz authoring end to end: the real bot process (`node dist/main.js`, SQLite in a temp dir)
// against the Discord emulator. ONE bot for the whole file; the cases run in order and build on
// each other (a quiz created early is edited, exported and deleted later).
// Build first: `npm run build` (`make test` does).

const EPHEMERAL = 64;
const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'quizzes');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let emu: DiscordEmulator;
let bot: BotProcess;
let guildA: EmulatedGuild;
let guildB: EmulatedGuild;
let channelA: string;
let channelB: string;
let admin: EmulatedMember;
let member: EmulatedMember;
let roleMember: EmulatedMember;
let quizRole: EmulatedRole;
let adminB: EmulatedMember;

/** Every interaction injected, to check at the end that none got a refused call. */
const handles: { errors: readonly unknown[] }[] = [];

beforeAll(async () => {
  emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  guildA = emu.addGuild({ name: 'Guild A', channels: [{ name: 'quiz' }, { name: 'results' }] });
  guildB = emu.addGuild({ name: 'Guild B', channels: [{ name: 'quiz' }] });
  channelA = guildA.channels[0]?.id ?? '';
  channelB = guildB.channels[0]?.id ?? '';
  quizRole = emu.addRole(guildA.id, { name: 'Quizmasters', permissions: 0n });
  admin = emu.addMember(guildA.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  member = emu.addMember(guildA.id, { user: { username: 'ada' }, permissions: 0n });
  roleMember = emu.addMember(guildA.id, {
    user: { username: 'quizmaster' },
    roles: [quizRole.id],
    permissions: 0n,
  });
  adminB = emu.addMember(guildB.id, {
    user: { username: 'adminB' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  bot = await BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: `${guildA.id},${guildB.id}`,
    },
  });
  await bot.waitUntilServing();
}, 40_000);

afterAll(async () => {
  await bot?.stop();
  await emu?.close();
});

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

interface Who {
  user: { id: string };
}

function inject(who: Who, command: string, path: string[], spec: OptionSpec = {}, guild = guildA) {
  const where = { guildId: guild.id, channelId: guild === guildA ? channelA : channelB };
  const handle = injectCommand(emu, where, who, [command, ...path].join(' '), spec);
  handles.push(handle);
  return handle;
}

async function quiz(who: Who, sub: string, spec: OptionSpec = {}, guild = guildA) {
  return answer(inject(who, 'quiz', [sub], spec, guild));
}

function text(response: InteractionResponse): string {
  return String(response.data.content ?? '');
}

function expectEphemeral(response: InteractionResponse) {
  expect(response.data.flags).toBe(EPHEMERAL);
  expect(response.data.allowed_mentions).toEqual({ parse: [] });
}

async function autocompleteQuiz(who: Who, typed: string, guild = guildA) {
  const handle = emu.injectAutocomplete({
    guildId: guild.id,
    channelId: guild === guildA ? channelA : channelB,
    userId: who.user.id,
    name: 'quiz',
    options: [
      {
        type: T.Subcommand,
        name: 'questions',
        options: [{ type: T.String, name: 'quiz', value: typed, focused: true }],
      },
    ] as APIApplicationCommandInteractionDataOption[],
  });
  handles.push(handle);
  const response = await handle.waitForResponse();
  expect(response.type).toBe(8);
  return response.data.choices ?? [];
}

interface ModalRow {
  components: { custom_id: string; value?: string; label: string }[];
}

/** Opens the question modal; returns its custom id and prefilled values. */
async function openModal(handle: ReturnType<typeof inject>) {
  const response = await handle.waitForResponse();
  expect(response.type, text(response)).toBe(9);
  const rows = (response.data.components ?? []) as unknown as ModalRow[];
  const values = Object.fromEntries(rows.map((r) => [r.components[0]?.custom_id, r.components[0]?.value]));
  return { customId: String(response.data.custom_id), title: String(response.data.title), values };
}

async function submitModal(who: Who, customId: string, fields: Record<string, string>) {
  const handle = emu.injectModalSubmit({
    guildId: guildA.id,
    channelId: channelA,
    userId: who.user.id,
    customId,
    fields,
  });
  handles.push(handle);
  return handle.waitForResponse();
}

async function click(who: Who, messageId: string, customId: string) {
  const handle = emu.injectComponent({ messageId, customId, userId: who.user.id });
  handles.push(handle);
  return handle.waitForResponse();
}

function buttonIds(response: InteractionResponse): string[] {
  const rows = (response.data.components ?? []) as unknown as { components: { custom_id: string }[] }[];
  return rows.flatMap((r) => r.components.map((c) => c.custom_id));
}

async function questionCount(quizRef: string): Promise<number> {
  const response = await quiz(admin, 'questions', { quiz: quizRef });
  const match = /^(\d+) questions?/.exec(String(response.data.embeds?.[0]?.description ?? ''));
  if (!match) throw new Error(`no question count in ${JSON.stringify(response.data)}`);
  return Number(match[1]);
}

function upload(name: string, content: string | Buffer) {
  return emu.addAttachment(name, content, name.endsWith('.json') ? 'application/json' : 'application/yaml');
}

async function importFile(who: Who, attachmentId: string, replace?: boolean) {
  const spec: OptionSpec = { file: { type: T.Attachment, value: attachmentId } };
  if (replace !== undefined) spec.replace = replace;
  return quiz(who, 'import', spec);
}

const validModal = {
  question: 'Which planet is the largest?',
  options: 'Mars\nJupiter\nVenus',
  correct: 'Jupiter',
  points: '',
  explanation: 'Jupiter is about 11 Earths wide.',
};

// ── the cases ────────────────────────────────────────────────────────────────────────────────

let solarId = '';

describe('quiz authoring through Discord (bot process + emulator)', () => {
  it('registers /quiz for everyone and /settings for Manage Server', () => {
    const commands = emu.registeredCommands({ guildId: guildA.id });
    const quizCommand = commands.find((c) => c.name === 'quiz');
    const settings = commands.find((c) => c.name === 'settings');
    expect(quizCommand?.default_member_permissions ?? null).toBeNull();
    expect(settings?.default_member_permissions).toBe('32');
    expect(quizCommand?.options?.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'create',
        'edit',
        'delete',
        'list',
        'add-question',
        'edit-question',
        'questions',
        'import',
        'export',
      ]),
    );
  });

  it('refuses a member without permission, ephemerally, naming what is missing; nothing is created', async () => {
    for (const [sub, spec] of [
      ['create', { name: 'Sneaky' }],
      ['questions', { quiz: 'anything' }],
      ['export', { quiz: 'anything' }],
      ['delete', { quiz: 'anything' }],
      ['add-question', { quiz: 'anything' }],
    ] as const) {
      const response = await quiz(member, sub, spec);
      expectEphemeral(response);
      expect(text(response), sub).toMatch(/Manage Server.*manager roles/);
    }
    const imported = await importFile(member, upload('planets.yaml', fixture('planets.yaml')).id);
    expect(text(imported)).toMatch(/Manage Server/);
    const settings = await answer(inject(member, 'settings', ['view']));
    expectEphemeral(settings);
    expect(text(settings)).toMatch(/Manage Server/);
    expect(await autocompleteQuiz(admin, '')).toEqual([]);
  });

  it('lets a manager create a quiz; a duplicate name and bad settings get specific messages', async () => {
    const created = await quiz(admin, 'create', { name: 'Solar system', timer: 20, shuffle: true });
    expectEphemeral(created);
    expect(text(created)).toMatch(/Created the quiz \*\*Solar system\*\* \(#(\d+)\): 20 s per question/);
    solarId = /#(\d+)/.exec(text(created))?.[1] ?? '';

    const duplicate = await quiz(admin, 'create', { name: 'SOLAR SYSTEM' });
    expect(text(duplicate)).toMatch(/already exists/);

    const cases: [OptionSpec, RegExp][] = [
      [{ name: 'T', timer: 3 }, /Timer \(seconds\) must be at least 5, got 3/],
      [{ name: 'T', timer: 100_000 }, /Timer \(seconds\) must be at most 600, got 100000/],
      [{ name: 'x'.repeat(101) }, /Name must be at most 100 characters \(has 101\)/],
      [{ name: 'T', description: 'd'.repeat(1025) }, /Description must be at most 1024 characters/],
      [{ name: 'T', opens: 'tomorrow' }, /Opens at must be an ISO 8601 date-time with a time zone/],
      [
        { name: 'T', opens: '2026-05-08T18:00:00Z', closes: '2026-05-01T18:00:00Z' },
        /Closes at must be later than opens at/,
      ],
    ];
    for (const [spec, message] of cases) {
      const response = await quiz(admin, 'create', spec);
      expectEphemeral(response);
      expect(text(response)).toMatch(/^The quiz was not saved:/);
      expect(text(response)).toMatch(message);
    }
    const choices = await autocompleteQuiz(admin, '');
    expect(choices.map((c) => c.name)).toEqual(['Solar system']);
  });

  it('adds questions through the modal and edits one with the modal prefilled', async () => {
    const modal = await openModal(inject(admin, 'quiz', ['add-question'], { quiz: solarId }));
    expect(modal.title).toMatch(/Add question 1 · Solar system/);
    expect(modal.values.question).toBeUndefined();
    const added = await submitModal(admin, modal.customId, validModal);
    expectEphemeral(added);
    expect(text(added)).toMatch(/Added question 1 to \*\*Solar system\*\*/);
    expect(text(added)).toMatch(/✅ Jupiter · 10 points/);

    // The correct answer by letter, options containing colons (the original bot broke on them).
    const second = await openModal(inject(admin, 'quiz', ['add-question'], { quiz: 'solar system' }));
    expect(second.title).toMatch(/Add question 2/);
    const added2 = await submitModal(admin, second.customId, {
      question: 'Which moon orbits Mars?',
      options: 'A: Phobos\nB: Titan\nC: Europa',
      correct: 'a',
      points: '15',
      explanation: '',
    });
    expect(text(added2)).toMatch(/Added question 2[\s\S]*✅ A: Phobos · 15 points/);

    const edit = await openModal(inject(admin, 'quiz', ['edit-question'], { quiz: solarId, number: 1 }));
    expect(edit.title).toMatch(/Edit question 1 · Solar system/);
    expect(edit.values).toEqual({
      question: 'Which planet is the largest?',
      options: 'Mars\nJupiter\nVenus',
      correct: 'Jupiter',
      points: '10',
      explanation: 'Jupiter is about 11 Earths wide.',
    });
    const saved = await submitModal(admin, edit.customId, {
      ...edit.values,
      question: 'Which planet is the biggest?',
      points: '25',
    } as Record<string, string>);
    expect(text(saved)).toMatch(/Saved question 1 of \*\*Solar system\*\*/);

    const review = await quiz(admin, 'questions', { quiz: solarId });
    expectEphemeral(review);
    const embed = JSON.stringify(review.data.embeds);
    expect(embed).toContain('Which planet is the biggest?');
    expect(embed).toContain('Question 1 · 25 points');
    expect(embed).toContain('✅ **B. Jupiter**');
    expect(embed).toContain('✅ **A. A: Phobos**');
    expect(String(review.data.embeds?.[0]?.description)).toMatch(/^2 questions/);
  });

  it('refuses each bad modal input with a specific message, saves nothing, and "Fix it" reopens what was typed', async () => {
    const { customId } = await openModal(inject(admin, 'quiz', ['add-question'], { quiz: solarId }));
    const cases: [Partial<typeof validModal>, RegExp][] = [
      [{ options: 'Mars' }, /Options must list 2 to 5 options \(has 1\)/],
      [{ options: 'a\nb\nc\nd\ne\nf' }, /Options must list 2 to 5 options \(has 6\)/],
      [
        { options: 'Mars\nmars\nVenus', correct: 'Venus' },
        /Options \(option 2\) repeats option 1 \("mars"\)/,
      ],
      [
        { correct: 'Pluto' },
        /Correct answer "Pluto" matches no option: type the option's text, its letter \(A–C\) or its number \(1–3\)/,
      ],
      [
        { options: `Mars\n${'J'.repeat(81)}`, correct: 'Mars' },
        /Options \(option 2\) must be at most 80 characters \(has 81\)/,
      ],
      [{ question: 'Q'.repeat(1025) }, /Question must be at most 1024 characters \(has 1025\)/],
      [{ question: '   ' }, /Question must not be empty/],
      [{ points: '-5' }, /Points must be at least 1, got -5/],
      [{ points: '5000' }, /Points must be at most 1000, got 5000/],
      [{ points: 'lots' }, /Points must be a number/],
      [{ explanation: 'E'.repeat(1025) }, /Explanation must be at most 1024 characters \(has 1025\)/],
    ];
    let lastReply: InteractionResponse | undefined;
    for (const [change, message] of cases) {
      const response = await submitModal(admin, customId, { ...validModal, ...change });
      expectEphemeral(response);
      expect(text(response)).toMatch(/^The question was not saved:/);
      expect(text(response)).toMatch(message);
      lastReply = response;
    }
    expect(await questionCount(solarId)).toBe(2);

    // "Fix it" on the last refusal reopens the modal with the typed text; only for its author.
    const messageId = lastReply?.messageId ?? '';
    const [retryId] = buttonIds(lastReply as InteractionResponse);
    expect(retryId).toMatch(/^bdg1:quiz-question:retry:/);
    const notYours = await click(member, messageId, retryId ?? '');
    expect(text(notYours)).toMatch(/belong to/);
    const reopened = await click(admin, messageId, retryId ?? '');
    expect(reopened.type).toBe(9);
    const rows = (reopened.data.components ?? []) as unknown as ModalRow[];
    expect(rows.find((r) => r.components[0]?.custom_id === 'explanation')?.components[0]?.value).toBe(
      'E'.repeat(1025),
    );
    expect(rows.find((r) => r.components[0]?.custom_id === 'question')?.components[0]?.value).toBe(
      validModal.question,
    );
  });

  it('"Fix it" reopens a form whose typed values are longer than its fields allow: cut to fit, and the label says so', async () => {
    // A submit can carry more than a field allows (the client enforces max_length, not Discord's
    // API); reopening it verbatim made Discord refuse the whole form.
    const { customId } = await openModal(inject(admin, 'quiz', ['add-question'], { quiz: solarId }));
    const refused = await submitModal(admin, customId, { ...validModal, points: '9'.repeat(30) });
    expect(text(refused)).toMatch(/^The question was not saved:/);
    const [retryId] = buttonIds(refused);
    const reopened = await click(admin, refused.messageId ?? '', retryId ?? '');
    expect(reopened.type, text(reopened)).toBe(9);
    const points = ((reopened.data.components ?? []) as unknown as ModalRow[]).find(
      (r) => r.components[0]?.custom_id === 'points',
    )?.components[0];
    expect(points?.value).toBe('9'.repeat(10));
    expect(points?.label).toBe('Points (cut to 10 characters)');
  });

  it('edits quiz settings; unknown quizzes and out-of-range question numbers get specific messages', async () => {
    const edited = await quiz(admin, 'edit', {
      quiz: solarId,
      timer: 45,
      description: 'Planets and moons',
      'question-limit': 2,
    });
    expectEphemeral(edited);
    expect(text(edited)).toMatch(
      /Updated \*\*Solar system\*\*: new description, timer 20 s → 45 s, question limit all → 2/,
    );
    const opens = await quiz(admin, 'edit', { quiz: solarId, opens: '2026-06-01T00:00:00Z' });
    expect(text(opens)).toMatch(/new opening times\.\nNow: .* · opens <t:1780272000:f>\.$/);
    const cleared = await quiz(admin, 'edit', { quiz: solarId, opens: '-' });
    expect(text(cleared)).toMatch(
      /new opening times\.\nNow: 45 s per question · at most 2 per attempt · shuffled\.$/,
    );
    const tooMany = await quiz(admin, 'edit', { quiz: solarId, 'question-limit': 5 });
    expect(text(tooMany)).toMatch(/Question limit must be at most the number of questions \(2\), got 5/);

    expect(text(await quiz(admin, 'questions', { quiz: 'Nope' }))).toMatch(
      /There is no quiz called "Nope" in this server/,
    );
    expect(text(await quiz(admin, 'questions', { quiz: '999999' }))).toMatch(
      /There is no quiz #999999 in this server/,
    );
    const number = await answer(inject(admin, 'quiz', ['edit-question'], { quiz: solarId, number: 7 }));
    expect(text(number)).toMatch(/"Solar system" has no question 7: its questions are numbered 1 to 2/);
  });

  it("keeps guilds apart: autocomplete lists only the guild's quizzes, another guild's quiz is not found", async () => {
    const createdB = await quiz(adminB, 'create', { name: 'Secret B quiz' }, guildB);
    const bId = /#(\d+)/.exec(text(createdB))?.[1] ?? '';
    expect(bId).not.toBe('');

    expect((await autocompleteQuiz(admin, '')).map((c) => c.name)).toEqual(['Solar system']);
    expect((await autocompleteQuiz(adminB, '', guildB)).map((c) => c.name)).toEqual(['Secret B quiz']);
    expect(await autocompleteQuiz(admin, 'Secret')).toEqual([]);
    const [choice] = await autocompleteQuiz(admin, 'sol');
    expect(choice).toEqual({ name: 'Solar system', value: solarId });

    for (const sub of ['questions', 'export', 'delete', 'edit']) {
      const response = await quiz(admin, sub, { quiz: bId });
      expect(text(response), sub).toMatch(new RegExp(`There is no quiz #${bId} in this server`));
    }
    expect(text(await quiz(admin, 'questions', { quiz: 'Secret B quiz' }))).toMatch(
      /no quiz called "Secret B quiz"/,
    );
  });

  let planetsId = '';

  it('imports a YAML file, refuses a second import of the same name without replace, replaces with it', async () => {
    const created = await importFile(admin, upload('planets.yaml', fixture('planets.yaml')).id);
    expectEphemeral(created);
    expect(text(created)).toMatch(/Created \*\*Planets: the basics\*\* \(#(\d+)\) with 4 questions/);
    planetsId = /#(\d+)/.exec(text(created))?.[1] ?? '';

    const again = await importFile(admin, upload('planets.yaml', fixture('planets.yaml')).id);
    expect(text(again)).toMatch(/already exists in this server, so nothing was imported.*replace: True/);

    const replaced = await importFile(admin, upload('planets.yaml', fixture('planets.yaml')).id, true);
    expect(text(replaced)).toMatch(
      /Replaced \*\*Planets: the basics\*\* \(#(\d+)\) with 4 questions \(its scores were kept\)/,
    );
    expect(/#(\d+)/.exec(text(replaced))?.[1]).toBe(planetsId);
    expect(await questionCount(planetsId)).toBe(4);
  });

  it('exports the same content back (YAML and JSON), and export → import round-trips', async () => {
    const exported = await quiz(admin, 'export', { quiz: planetsId });
    expectEphemeral(exported);
    expect(exported.files.map((f) => f.name)).toEqual(['planets-the-basics.yaml']);
    expect(exported.files[0]?.content.toString('utf8')).toBe(fixture('planets.yaml'));

    const asJson = await quiz(admin, 'export', { quiz: planetsId, format: 'json' });
    expect(asJson.files[0]?.name).toBe('planets-the-basics.json');
    expect(asJson.files[0]?.content.toString('utf8')).toBe(fixture('planets.json'));

    // The hand-made quiz (modal questions) survives export → import (replace) → export unchanged.
    const first = await quiz(admin, 'export', { quiz: solarId });
    const content = first.files[0]?.content.toString('utf8') ?? '';
    expect(content).toContain('answer: "A: Phobos"');
    const reimported = await importFile(admin, upload(first.files[0]?.name ?? 'x.yaml', content).id, true);
    expect(text(reimported)).toMatch(/Replaced/);
    const second = await quiz(admin, 'export', { quiz: solarId });
    expect(second.files[0]?.content.toString('utf8')).toBe(content);
  });

  it('refuses every bad file with a specific message and imports nothing', async () => {
    const before = (await autocompleteQuiz(admin, '')).map((c) => c.name);
    const cases: [string, string | Buffer, RegExp[]][] = [
      [
        'bad-syntax.yaml',
        fixture('bad-syntax.yaml'),
        [/line 7, column 1: YAML syntax error: Missing closing "quote/],
      ],
      [
        'bad-syntax.json',
        fixture('bad-syntax.json'),
        [/line 5, column 104: JSON syntax error: trailing comma before "}"/],
      ],
      [
        'bad-schema.yaml',
        fixture('bad-schema.yaml'),
        [
          /line 3, column 1: the quiz has unknown key "timer"/,
          /line 7, column 13: questions\[0\]\.answer "Pluto" is not one of the options \("Mars", "Jupiter", "Venus"\)/,
          /line 9, column 14: questions\[1\]\.options must list 2 to 5 options \(has 6\)/,
          /questions\[2\]\.options\[1\] must not be empty/,
          /questions\[3\]\.points must be at most 1000, got 5000/,
          /questions\[4\]\.options\[1\] repeats option 1/,
        ],
      ],
      ['list.json', '[1, 2, 3]', [/the file must hold a quiz/]],
      ['binary.yaml', Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]), [/is not a UTF-8 text file/]],
    ];
    for (const [name, content, messages] of cases) {
      const response = await importFile(admin, upload(name, content).id);
      expectEphemeral(response);
      for (const message of messages) expect(text(response), name).toMatch(message);
      if (name.startsWith('bad'))
        expect(text(response)).toMatch(
          new RegExp(`\`${name.replace('.', '\\.')}\` was not imported \\(nothing was changed\\)`),
        );
    }

    // Too large: refused from the size Discord reports, before downloading.
    const big = upload('big.yaml', `# ${'x'.repeat(600 * 1024)}\n`);
    expect(text(await importFile(admin, big.id))).toMatch(
      /`big\.yaml` is 600 KiB; the import limit is 512 KiB/,
    );
    // A size that lies: counted while streaming.
    const lying = upload('lying.yaml', `# ${'x'.repeat(600 * 1024)}\n`);
    lying.size = 100;
    expect(text(await importFile(admin, lying.id))).toMatch(
      /`lying\.yaml` is 600 KiB; the import limit is 512 KiB/,
    );
    // Download failures: a 404 and a closed port.
    const gone = upload('gone.yaml', fixture('planets.yaml'));
    gone.url = `${emu.baseUrl}/attachments/1/gone.yaml`;
    expect(text(await importFile(admin, gone.id))).toMatch(
      /couldn't download `gone\.yaml` \(the server answered HTTP 404\)/,
    );
    const closed = upload('closed.yaml', fixture('planets.yaml'));
    closed.url = `http://127.0.0.1:${await freePort()}/closed.yaml`;
    expect(text(await importFile(admin, closed.id))).toMatch(
      /couldn't download `closed\.yaml` \(connection refused\)/,
    );

    expect((await autocompleteQuiz(admin, '')).map((c) => c.name)).toEqual(before);
    expect(await questionCount(planetsId)).toBe(4);
  });

  it('replacing with a bad file leaves the quiz as it was (all-or-nothing)', async () => {
    const broken = fixture('planets.yaml').replace('answer: Pluto', 'answer: Ceres');
    const response = await importFile(admin, upload('planets.yaml', broken).id, true);
    expect(text(response)).toMatch(/questions\[3\]\.answer "Ceres" is not one of the options/);
    const exported = await quiz(admin, 'export', { quiz: planetsId });
    expect(exported.files[0]?.content.toString('utf8')).toBe(fixture('planets.yaml'));
  });

  it('lists quizzes to everyone, paginated, with question counts and silent creator mentions', async () => {
    for (let i = 1; i <= 9; i++) {
      const created = await quiz(admin, 'create', { name: `Filler ${String(i).padStart(2, '0')}` });
      expect(text(created)).toMatch(/Created/);
    }
    // 11 quizzes in guild A: Filler 01..09, Planets, Solar system.
    const first = await quiz(member, 'list');
    expectEphemeral(first);
    const embed = first.data.embeds?.[0] as {
      fields: { name: string; value: string }[];
      footer: { text: string };
    };
    expect(embed.footer.text).toBe('Page 1 of 2 · 11 quizzes');
    expect(embed.fields).toHaveLength(10);
    expect(embed.fields[0]?.value).toContain(`0 questions · by <@${admin.user.id}>`);
    expect(JSON.stringify(embed)).not.toContain('Secret B quiz');
    const [previous, next] = buttonIds(first);
    expect(previous).toBe('bdg1:quiz-list:page:-1');
    const page2 = await click(member, first.messageId ?? '', next ?? '');
    expect(page2.type).toBe(7);
    const embed2 = page2.data.embeds?.[0] as {
      fields: { name: string; value: string }[];
      footer: { text: string };
    };
    expect(embed2.footer.text).toBe('Page 2 of 2 · 11 quizzes');
    expect(embed2.fields.map((f) => f.name)).toEqual([`#${solarId} · Solar system`]);
    expect(embed2.fields[0]?.value).toMatch(/^Planets and moons\n2 questions · by <@\d+>\n45 s per question/);
    expect(page2.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('deletes only after confirmation by the requesting manager; another member is refused', async () => {
    const ask = await quiz(admin, 'delete', { quiz: planetsId });
    expectEphemeral(ask);
    expect(text(ask)).toMatch(
      /Delete \*\*Planets: the basics\*\* with its 4 questions and every score on it\?/,
    );
    const [confirm, cancel] = buttonIds(ask);
    expect(confirm).toBe(`bdg1:quiz-delete:confirm:${planetsId}:${admin.user.id}`);

    const refused = await click(member, ask.messageId ?? '', confirm ?? '');
    expectEphemeral(refused);
    expect(text(refused)).toMatch(/These buttons belong to <@\d+>'s request/);
    const cancelled = await click(admin, ask.messageId ?? '', cancel ?? '');
    expect(cancelled.type).toBe(7);
    expect(text(cancelled)).toMatch(/nothing was deleted/);
    expect(await questionCount(planetsId)).toBe(4);

    const again = await quiz(admin, 'delete', { quiz: 'planets: the basics' });
    const [confirm2] = buttonIds(again);
    const done = await click(admin, again.messageId ?? '', confirm2 ?? '');
    expect(done.type).toBe(7);
    expect(text(done)).toMatch(/Deleted \*\*Planets: the basics\*\* with its questions and scores/);
    expect(done.data.components).toEqual([]);
    expect(text(await quiz(admin, 'questions', { quiz: planetsId }))).toMatch(
      /There is no quiz #\d+ in this server/,
    );
  });

  it('deleting a quiz while a member is taking it ends that session politely', async () => {
    const take = injectTake(
      emu,
      { guildId: guildA.id, channelId: channelA },
      member.user.id,
      Number(solarId),
    );
    handles.push(take);
    const messageId = await sessionMessageId(take);
    await waitUntil(() => buttons(currentMessage(emu, messageId)).length > 0, 'the first question');

    const ask = await quiz(admin, 'delete', { quiz: solarId });
    const [confirm] = buttonIds(ask);
    const done = await click(admin, ask.messageId ?? '', confirm ?? '');
    expect(text(done)).toMatch(/Deleted \*\*Solar system\*\*/);

    const ended = await waitForTitle(emu, messageId, /^Quiz removed: Solar system$/);
    expect(ended.embeds[0]?.description).toMatch(/A server manager deleted this quiz, so it ends here/);
    expect(buttons(ended)).toEqual([]);
  });

  it('/settings: manager roles by id grant authoring, retakes and results channel; only Manage Server changes them', async () => {
    const denied = await quiz(roleMember, 'create', { name: 'By role' });
    expect(text(denied)).toMatch(/Manage Server/);

    const added = await answer(
      inject(admin, 'settings', ['manager-role', 'add'], { role: { type: T.Role, value: quizRole.id } }),
    );
    expectEphemeral(added);
    expect(text(added)).toBe(`Members with <@&${quizRole.id}> can now manage quizzes.`);
    const byRole = await quiz(roleMember, 'create', { name: 'By role' });
    expect(text(byRole)).toMatch(/Created the quiz \*\*By role\*\*/);
    // A manager role manages quizzes, not the settings.
    const roleSettings = await answer(inject(roleMember, 'settings', ['view']));
    expect(text(roleSettings)).toMatch(/Only members with the \*\*Manage Server\*\* permission/);

    const retakes = await answer(inject(admin, 'settings', ['retakes'], { policy: 'unlimited' }));
    expect(text(retakes)).toMatch(/Retakes are now unlimited/);
    const results = guildA.channels[1]?.id ?? '';
    const channel = await answer(
      inject(admin, 'settings', ['results-channel'], { channel: { type: T.Channel, value: results } }),
    );
    expect(text(channel)).toBe(`Quiz results will be posted in <#${results}>.`);
    const view = await answer(inject(admin, 'settings', ['view']));
    const fields = JSON.stringify(view.data.embeds);
    expect(fields).toContain(`<@&${quizRole.id}>`);
    expect(fields).toContain(`<#${results}>`);
    expect(fields).toContain('unlimited');

    const everyone = await answer(
      inject(admin, 'settings', ['manager-role', 'add'], { role: { type: T.Role, value: guildA.id } }),
    );
    expect(text(everyone)).toMatch(/@everyone cannot be a manager role/);
    const removed = await answer(
      inject(admin, 'settings', ['manager-role', 'remove'], { role: { type: T.Role, value: quizRole.id } }),
    );
    expect(text(removed)).toMatch(/no longer a manager role/);
    expect(text(await quiz(roleMember, 'create', { name: 'Again' }))).toMatch(/Manage Server/);
  });

  it('handles a quiz at every limit: 100 maximal questions import, page through review, export round-trips', async () => {
    const long = (ch: string, n: number) => ch.repeat(n);
    const name = `Limits ${long('L', 93)}`;
    const file = {
      version: 1,
      name,
      description: long('d', 1024),
      questions: Array.from({ length: 100 }, (_, i) => ({
        question: `${i + 1} ${long('q', 1020)}`,
        options: ['a', 'b', 'c', 'd', 'e'].map((letter) => `${letter}${i} ${long(letter, 76)}`),
        answer: `c${i} ${long('c', 76)}`,
        points: 1000,
        explanation: long('x', 1024),
      })),
    };
    const imported = await importFile(admin, upload('max.json', JSON.stringify(file)).id);
    expect(text(imported)).toMatch(/Created \*\*Limits L+\*\* \(#(\d+)\) with 100 questions/);
    const id = /#(\d+)/.exec(text(imported))?.[1] ?? '';

    // Every page of the review fits Discord's embed limits (the emulator refuses what would 400).
    let page = await quiz(admin, 'questions', { quiz: id });
    const embedOf = (r: InteractionResponse) =>
      (r.data.embeds?.[0] ?? { fields: [], footer: { text: '' } }) as {
        fields: { name: string }[];
        footer: { text: string };
      };
    const footer = () => embedOf(page).footer.text;
    const pages = Number(/of (\d+)/.exec(footer())?.[1]);
    expect(pages).toBeGreaterThan(10);
    const seen = new Set<string>();
    for (let i = 1; i < pages; i++) {
      for (const f of embedOf(page).fields) seen.add(f.name);
      const [, next] = buttonIds(page);
      page = await click(admin, page.messageId ?? '', next ?? '');
      expect(page.type).toBe(7);
      expect(footer()).toBe(`Page ${i + 1} of ${pages}`);
    }
    for (const f of embedOf(page).fields) seen.add(f.name);
    expect(seen.size).toBe(100);

    const full = await quiz(admin, 'add-question', { quiz: id });
    expect(text(full)).toMatch(/already has the maximum of 100 questions/);
    const removed = await quiz(admin, 'remove-question', { quiz: id, number: 100 });
    expect(text(removed)).toMatch(/Removed question 100 from \*\*Limits L+\*\*/);
    const modal = await openModal(inject(admin, 'quiz', ['add-question'], { quiz: id }));
    expect(modal.title).toMatch(/^Add question 100 · Limits L+…$/);
    expect(modal.title).toHaveLength(45);

    // The question-number autocomplete: 25 choices, managers only.
    const numbers = (who: Who) => {
      const handle = emu.injectAutocomplete({
        guildId: guildA.id,
        channelId: channelA,
        userId: who.user.id,
        name: 'quiz',
        options: [
          {
            type: T.Subcommand,
            name: 'edit-question',
            options: [
              { type: T.String, name: 'quiz', value: id },
              { type: T.Integer, name: 'number', value: '1', focused: true },
            ],
          },
        ] as unknown as APIApplicationCommandInteractionDataOption[],
      });
      handles.push(handle);
      return handle.waitForResponse().then((r) => r.data.choices ?? []);
    };
    const choices = await numbers(admin);
    expect(choices.map((c) => c.value).slice(0, 3)).toEqual([1, 10, 11]);
    expect(choices.every((c) => c.name.length <= 100)).toBe(true);
    expect(await numbers(member)).toEqual([]);

    const exported = await quiz(admin, 'export', { quiz: id, format: 'json' });
    const content = exported.files[0]?.content.toString('utf8') ?? '';
    const again = await importFile(admin, upload('again.json', content).id, true);
    expect(text(again)).toMatch(/Replaced .* with 99 questions/);
    const second = await quiz(admin, 'export', { quiz: id, format: 'json' });
    expect(second.files[0]?.content.toString('utf8')).toBe(content);
    expect(text(await quiz(admin, 'remove-question', { quiz: id, number: 100 }))).toMatch(
      /has no question 100: its questions are numbered 1 to 99/,
    );
  });

  it('made no unexpected REST calls, no refused interaction callbacks, no error logs', () => {
    expect(emu.unhandledCalls).toEqual([]);
    expect(handles.flatMap((h) => h.errors)).toEqual([]);
    expect(bot.logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
  });
});
