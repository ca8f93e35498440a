import { REST, SlashCommandBuilder } from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../../../src/discord/registerCommands.js';
import { DiscordEmulator, type EmulatedGuild } from '../../support/discord-emulator/index.js';

// registerCommands against the Discord emulator: localized definitions (issue 15) are written once,
// then found unchanged, because the GET asks for the localization maps (with_localizations=true).

const definitions = (germanDescription = 'Quiz spielen') => [
  new SlashCommandBuilder()
    .setName('quiz')
    .setDescription('Play a quiz')
    .setNameLocalizations({ de: 'raetsel' })
    .setDescriptionLocalizations({ de: germanDescription })
    .addSubcommand((s) =>
      s
        .setName('start')
        .setDescription('Start a quiz')
        .setNameLocalizations({ de: 'starten' })
        .setDescriptionLocalizations({ de: 'Ein Quiz starten' })
        .addStringOption((o) =>
          o
            .setName('mode')
            .setDescription('How to play')
            .setNameLocalizations({ de: 'modus' })
            .setDescriptionLocalizations({ de: 'Wie gespielt wird' })
            .addChoices(
              { name: 'Solo', value: 'solo', name_localizations: { de: 'Allein' } },
              { name: 'Live', value: 'live' },
            ),
        ),
    )
    .toJSON(),
  new SlashCommandBuilder().setName('help').setDescription('Help').toJSON(),
];

let emu: DiscordEmulator;
let guild: EmulatedGuild;
let rest: REST;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  emu = await DiscordEmulator.start();
  guild = emu.addGuild({ name: 'localized' });
  rest = new REST({ api: emu.apiBase }).setToken(emu.token);
});

afterAll(async () => {
  await emu.close();
});

const register = (defs: ReturnType<typeof definitions>, guildIds: string[] = [guild.id]) =>
  registerCommands({
    rest,
    applicationId: emu.applicationId,
    definitions: defs,
    guildIds,
    logger,
    attempts: 1,
  });

describe('registerCommands with localized definitions', () => {
  it('registers once, then finds the same localized definitions unchanged (guild and global)', async () => {
    const before = emu.commandRegistrations;
    expect(await register(definitions())).toEqual([{ scope: guild.id, outcome: 'registered' }]);
    expect(await register(definitions())).toEqual([{ scope: guild.id, outcome: 'unchanged' }]);
    expect(await register(definitions(), [])).toEqual([{ scope: 'global', outcome: 'registered' }]);
    expect(await register(definitions(), [])).toEqual([{ scope: 'global', outcome: 'unchanged' }]);
    expect(emu.commandRegistrations).toBe(before + 2);
    const gets = emu.restCalls.filter((c) => c.method === 'GET' && c.path.endsWith('/commands'));
    expect(gets.length).toBe(4);
    for (const get of gets) expect(get.query.with_localizations).toBe('true');
    // What was registered keeps every map, down to the choices.
    const quiz = emu.registeredCommands({ guildId: guild.id }).find((c) => c.name === 'quiz');
    expect(quiz?.name_localizations).toEqual({ de: 'raetsel' });
    expect(quiz?.options?.[0]).toMatchObject({
      name_localizations: { de: 'starten' },
      options: [
        { name_localizations: { de: 'modus' }, choices: [{ name_localizations: { de: 'Allein' } }, {}] },
      ],
    });
  });

  it('re-registers when a localization changes', async () => {
    await register(definitions());
    expect(await register(definitions('Ein Quiz spielen'))).toEqual([
      { scope: guild.id, outcome: 'registered' },
    ]);
    expect(await register(definitions('Ein Quiz spielen'))).toEqual([
      { scope: guild.id, outcome: 'unchanged' },
    ]);
  });

  it('reports a definition Discord refuses (an invalid locale) as failed, without retrying', async () => {
    const bad = definitions();
    (bad[1] as { name_localizations?: Record<string, string> }).name_localizations = { german: 'hilfe' };
    const puts = emu.restCalls.filter((c) => c.method === 'PUT').length;
    expect(await register(bad)).toEqual([{ scope: guild.id, outcome: 'failed' }]);
    expect(emu.restCalls.filter((c) => c.method === 'PUT').length).toBe(puts + 1);
  });
});
