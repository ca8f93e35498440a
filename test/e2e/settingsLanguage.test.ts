import type { APIApplicationCommandOption, APIEmbed } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DiscordEmulator,
  EmulatedGuild,
  EmulatedMember,
  InteractionHandle,
  InteractionResponse,
} from '../support/discord-emulator/index.js';
import { finalAnswer as answer, type BotWorld, startBotWorld } from './botWorld.js';

// `/settings language` end to end: the real bot process against the Discord emulator. A manager
// picks the language of public posts (the public /leaderboard follows it), `default` returns to
// the server's Discord language; ephemeral replies stay in each member's own language.
// Build first: `npm run build` (`make test` does).

const EPHEMERAL = 64;

let world: BotWorld<'admin' | 'ada'>;
let emu: DiscordEmulator;
let guild: EmulatedGuild;
let admin: EmulatedMember;
let member: EmulatedMember;

/** Every interaction injected, to check at the end that none got a refused call. */
const handles: { errors: readonly unknown[] }[] = [];

beforeAll(async () => {
  world = await startBotWorld({ guild: { name: 'Guild' }, members: { admin: { manager: true }, ada: {} } });
  ({ emu, guild } = world);
  ({ admin, ada: member } = world.members);
}, 40_000);

afterAll(async () => {
  await world?.close();
});

function inject(
  who: EmulatedMember,
  command: string,
  sub: string | null,
  options: Record<string, string> = {},
  locale?: string,
): InteractionHandle {
  const handle = world.command(
    who,
    sub === null ? command : `${command} ${sub}`,
    options,
    locale ? { locale } : {},
  );
  handles.push(handle);
  return handle;
}

const text = (response: InteractionResponse) => String(response.data.content ?? '');
const embed = (response: InteractionResponse): APIEmbed => (response.data.embeds?.[0] ?? {}) as APIEmbed;
const languageField = (response: InteractionResponse) =>
  embed(response).fields?.find((f) => f.name === 'Language' || f.name === 'Sprache')?.value;

describe('/settings language through Discord (bot process + emulator)', () => {
  it('registers the subcommand with one choice per language and German localizations', () => {
    const settings = emu.registeredCommands({ guildId: guild.id }).find((c) => c.name === 'settings');
    const language = settings?.options?.find((o) => o.name === 'language') as
      | (APIApplicationCommandOption & { options?: APIApplicationCommandOption[] })
      | undefined;
    expect(language?.name_localizations?.de).toBe('sprache');
    const option = language?.options?.[0] as
      | {
          required?: boolean;
          choices?: { name: string; value: string; name_localizations?: Record<string, string> }[];
        }
      | undefined;
    expect(option?.required).toBe(true);
    expect(option?.choices?.map((c) => [c.value, c.name])).toEqual([
      ['default', 'Server default'],
      ['en-US', 'English (US)'],
      ['de', 'Deutsch'],
    ]);
    expect(option?.choices?.[0]?.name_localizations?.de).toBe('Server-Standard');
  });

  it('shows the server default at first, in the language of the server', async () => {
    const view = await answer(inject(admin, 'settings', 'view'));
    expect(view.data.flags).toBe(EPHEMERAL);
    expect(languageField(view)).toBe('Server default (English (US))');
    const board = await answer(inject(member, 'leaderboard', null));
    expect(board.data.flags ?? 0).toBe(0);
    expect(embed(board).title).toBe('Leaderboard · all quizzes · All time');
  });

  it('refuses a member without Manage Server, and changes nothing', async () => {
    const refused = await answer(inject(member, 'settings', 'language', { language: 'de' }));
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(text(refused)).toMatch(/Manage Server/);
    expect(languageField(await answer(inject(admin, 'settings', 'view')))).toBe(
      'Server default (English (US))',
    );
  });

  it('sets German: the view shows it, public posts use it, ephemeral replies keep the member’s language', async () => {
    const set = await answer(inject(admin, 'settings', 'language', { language: 'de' }));
    expect(set.data.flags).toBe(EPHEMERAL);
    expect(text(set)).toBe(
      "Badgey's public posts here (results, live games, leaderboards) are now in Deutsch.",
    );
    expect(languageField(set)).toBe('Deutsch');
    const again = await answer(inject(admin, 'settings', 'language', { language: 'de' }));
    expect(text(again)).toMatch(/already in Deutsch; nothing changed/);

    const board = await answer(inject(member, 'leaderboard', null));
    expect(embed(board).title).toBe('Bestenliste · alle Quizze · Gesamte Zeit');
    const germanView = await answer(inject(admin, 'settings', 'view', {}, 'de'));
    expect(embed(germanView).title).toBe('Badgey-Einstellungen für diesen Server');
    expect(languageField(germanView)).toBe('Deutsch');
    expect(languageField(await answer(inject(admin, 'settings', 'view')))).toBe('Deutsch');
  });

  it('`default` clears it: public posts follow the server’s Discord language again', async () => {
    const cleared = await answer(inject(admin, 'settings', 'language', { language: 'default' }));
    expect(text(cleared)).toMatch(/^Language reset/);
    expect(languageField(cleared)).toBe('Server default (English (US))');
    expect(embed(await answer(inject(member, 'leaderboard', null))).title).toBe(
      'Leaderboard · all quizzes · All time',
    );
    // The server switches its Discord language: the default follows.
    emu.updateGuild(guild.id, { locale: 'de' });
    expect(languageField(await answer(inject(admin, 'settings', 'view')))).toBe('Server default (Deutsch)');
    expect(embed(await answer(inject(member, 'leaderboard', null))).title).toBe(
      'Bestenliste · alle Quizze · Gesamte Zeit',
    );
  });

  it('made no call Discord refused', () => {
    expect(handles.flatMap((h) => h.errors)).toEqual([]);
  });
});
