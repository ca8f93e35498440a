import {
  type APIApplicationCommandInteractionDataOption,
  PermissionFlagsBits,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgUrlForSchema, type Scratch, scratchPostgres } from '../integration/store/storeTargets.js';
import { BotProcess } from '../support/botProcess.js';
import {
  DiscordEmulator,
  type EmulatedGuild,
  type EmulatedMember,
  type InteractionHandle,
  type InteractionResponse,
} from '../support/discord-emulator/index.js';
import { TcpProxy } from '../support/TcpProxy.js';

// PostgreSQL stops answering mid-run (a TCP proxy in front of it is cut): the authoring commands
// answer with the friendly "try again in a moment" — ephemeral, within Discord's deadline, nothing
// thrown — and work again once it is back. One bot process for the file.
// Build first: `npm run build` (`make test` does).

const EPHEMERAL = 64;
const FRIENDLY = /can't reach my database right now, so nothing was changed\. Please try again in a moment/;

let scratch: Scratch;
let proxy: TcpProxy;
let emu: DiscordEmulator;
let bot: BotProcess;
let guild: EmulatedGuild;
let channelId: string;
let admin: EmulatedMember;
let member: EmulatedMember;
const handles: InteractionHandle[] = [];

beforeAll(async () => {
  scratch = await scratchPostgres();
  proxy = new TcpProxy('127.0.0.1', 5432);
  await proxy.start();
  const schema = new URL(scratch.url).searchParams.get('options')?.replace('-c search_path=', '') ?? '';
  emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  guild = emu.addGuild({ name: 'Outage Guild', channels: [{ name: 'quiz' }] });
  channelId = guild.channels[0]?.id ?? '';
  admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  member = emu.addMember(guild.id, { user: { username: 'ada' }, permissions: 0n });
  bot = await BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: guild.id,
      DATABASE_URL: pgUrlForSchema(schema, `postgres://postgres@127.0.0.1:${proxy.port}/test`),
    },
  });
  await bot.waitUntilServing();
}, 40_000);

afterAll(async () => {
  await bot?.stop();
  await emu?.close();
  await proxy?.stop();
  await scratch?.dispose();
});

function sub(name: string, options: APIApplicationCommandInteractionDataOption[] = []) {
  return [{ type: T.Subcommand, name, options } as APIApplicationCommandInteractionDataOption];
}

function inject(who: EmulatedMember, command: string, options: APIApplicationCommandInteractionDataOption[]) {
  const handle = emu.injectChatInput({
    guildId: guild.id,
    channelId,
    userId: who.user.id,
    name: command,
    options,
  });
  handles.push(handle);
  return handle;
}

/** The final answer: the reply, or the deferred reply's edit. */
async function answer(handle: InteractionHandle): Promise<InteractionResponse> {
  const first = await handle.waitForResponse(8000);
  if (first.type !== 5) return first;
  const [, edit] = await handle.waitForResponses(2, 15_000);
  if (!edit) throw new Error('no edit after the defer');
  return { ...edit, data: { ...edit.data, flags: first.data.flags } };
}

const str = (name: string, value: string) =>
  ({ type: T.String, name, value }) as APIApplicationCommandInteractionDataOption;

describe('quiz authoring while PostgreSQL is down', () => {
  it('answers every authoring command with a friendly "try again", then works again when the database is back', async () => {
    const before = await answer(inject(admin, 'quiz', sub('create', [str('name', 'Before the outage')])));
    expect(before.data.content).toMatch(/Created the quiz/);

    await proxy.cut();
    const notReady = await bot.waitForStatus('/ready', 503, 20_000);
    expect(JSON.stringify(notReady)).toMatch(/database/);

    const attachment = emu.addAttachment(
      'q.yaml',
      'version: 1\nname: X\nquestions: []\n',
      'application/yaml',
    );
    const commands: [EmulatedMember, string, APIApplicationCommandInteractionDataOption[]][] = [
      [admin, 'quiz', sub('create', [str('name', 'During the outage')])],
      [member, 'quiz', sub('list')],
      [admin, 'quiz', sub('questions', [str('quiz', 'Before the outage')])],
      [admin, 'quiz', sub('add-question', [str('quiz', 'Before the outage')])],
      [admin, 'quiz', sub('export', [str('quiz', 'Before the outage')])],
      [
        admin,
        'quiz',
        sub('import', [
          {
            type: T.Attachment,
            name: 'file',
            value: attachment.id,
          } as APIApplicationCommandInteractionDataOption,
        ]),
      ],
      [admin, 'settings', sub('view')],
      [admin, 'settings', sub('retakes', [str('policy', 'unlimited')])],
    ];
    for (const [who, command, options] of commands) {
      const response = await answer(inject(who, command, options));
      expect(response.data.flags, JSON.stringify(options)).toBe(EPHEMERAL);
      expect(response.data.content, JSON.stringify(options)).toMatch(FRIENDLY);
    }
    const complete = emu.injectAutocomplete({
      guildId: guild.id,
      channelId,
      userId: admin.user.id,
      name: 'quiz',
      options: [
        {
          type: T.Subcommand,
          name: 'questions',
          options: [{ type: T.String, name: 'quiz', value: '', focused: true }],
        },
      ] as APIApplicationCommandInteractionDataOption[],
    });
    handles.push(complete);
    expect((await complete.waitForResponse()).data.choices).toEqual([]);

    await proxy.restore();
    await bot.waitForStatus('/ready', 200, 20_000);
    const after = await answer(inject(admin, 'quiz', sub('create', [str('name', 'After the outage')])));
    expect(after.data.content).toMatch(/Created the quiz \*\*After the outage\*\*/);
    const list = await answer(inject(member, 'quiz', sub('list')));
    const names = ((list.data.embeds?.[0] ?? { fields: [] }) as { fields: { name: string }[] }).fields.map(
      (f) => f.name,
    );
    expect(names.map((n) => n.replace(/^#\d+ · /, ''))).toEqual(['After the outage', 'Before the outage']);

    // Nothing was half-saved, every interaction was answered in time, no bug was logged.
    expect(handles.flatMap((h) => h.errors)).toEqual([]);
    expect(emu.unhandledCalls).toEqual([]);
    expect(bot.logs.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
  }, 60_000);
});
