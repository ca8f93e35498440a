import { Routes } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator, type EmulatedGuild } from '../support/discord-emulator/index.js';

// Command localizations (issue 15), as Discord checks and answers them: locale keys, localized
// names and descriptions, per-locale uniqueness, and the list GET without `with_localizations`.

let emu: DiscordEmulator;
let guild: EmulatedGuild;

beforeAll(async () => {
  emu = await DiscordEmulator.start();
  guild = emu.addGuild({ name: 'localized' });
});

afterAll(async () => {
  await emu?.close();
});

type Json = Record<string, unknown>;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${emu.apiBase}/v10${path}`, {
    method,
    headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const guildCommands = () => Routes.applicationGuildCommands(emu.applicationId, guild.id);
const put = (commands: unknown[]) => call('PUT', guildCommands(), commands);

/** A valid German localization on every level: command, group, subcommand, option, choice. */
function quiz(): Json {
  return {
    name: 'quiz',
    description: 'Play a quiz',
    name_localizations: { de: 'rätsel' },
    description_localizations: { de: 'Ein Quiz spielen', 'en-GB': 'Play a quiz' },
    options: [
      {
        type: 2,
        name: 'live',
        description: 'Live games',
        name_localizations: { de: 'live' },
        description_localizations: { de: 'Live-Spiele' },
        options: [
          {
            type: 1,
            name: 'start',
            description: 'Start a game',
            name_localizations: { de: 'starten' },
            description_localizations: { de: 'Ein Spiel starten' },
            options: [
              {
                type: 3,
                name: 'mode',
                description: 'How to play',
                name_localizations: { de: 'modus' },
                description_localizations: { de: 'Wie gespielt wird' },
                choices: [
                  { name: 'Fast', value: 'fast', name_localizations: { de: 'Schnell' } },
                  { name: 'Slow', value: 'slow', name_localizations: { de: 'Langsam' } },
                ],
              },
              {
                type: 4,
                name: 'rounds',
                description: 'Rounds',
                name_localizations: { de: 'runden', 'zh-CN': '回合' },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** The path's steps down to the leaf option / choice of `quiz()`. */
type Nested = { options: Json[] } & Json;
const group = (c: Json) => (c.options as Nested[])[0]!;
const sub = (c: Json) => group(c).options[0] as Nested;
const mode = (c: Json) => sub(c).options[0] as Json & { choices: Json[] };
const rounds = (c: Json) => sub(c).options[1] as Json;

/** The PUT is refused with 50035 and this one error at `path` (Discord's nested `errors`). */
async function expectRefused(commands: unknown[], path: string, code: string) {
  const res = await put(commands);
  expect(res.status).toBe(400);
  const body = res.body as Json;
  expect(body.code).toBe(50035);
  let cursor: unknown = body.errors;
  for (const part of path.split('.')) cursor = (cursor as Json | undefined)?.[part];
  expect(cursor, JSON.stringify(body.errors)).toEqual({ _errors: [expect.objectContaining({ code })] });
}

describe('command localizations: accepted and returned', () => {
  it('accepts a German localization on every level; the list returns the maps only with with_localizations=true', async () => {
    const accepted = await put([quiz(), { name: 'help', description: 'Help' }]);
    expect(accepted.status).toBe(200);
    // The PUT answer and what tests read back keep every map.
    expect((accepted.body as Json[])[0]).toMatchObject({ name_localizations: { de: 'rätsel' } });
    const stored = emu.registeredCommands({ guildId: guild.id });
    expect(mode(stored[0] as unknown as Json).choices[0]?.name_localizations).toEqual({ de: 'Schnell' });

    const full = await call('GET', `${guildCommands()}?with_localizations=true`);
    expect(full.status).toBe(200);
    const [command, help] = full.body as Json[];
    expect(command).toMatchObject({
      name_localizations: { de: 'rätsel' },
      description_localizations: { de: 'Ein Quiz spielen', 'en-GB': 'Play a quiz' },
    });
    expect(group(command!).name_localizations).toEqual({ de: 'live' });
    expect(sub(command!).description_localizations).toEqual({ de: 'Ein Spiel starten' });
    expect(mode(command!).choices.map((c) => c.name_localizations)).toEqual([
      { de: 'Schnell' },
      { de: 'Langsam' },
    ]);
    expect(help).toMatchObject({ name_localizations: null, description_localizations: null });
  });

  it('without with_localizations the list has no maps (nor, for a bot, localized fields) at any depth', async () => {
    expect((await put([quiz()])).status).toBe(200);
    for (const query of ['', '?with_localizations=false']) {
      const listed = await call('GET', `${guildCommands()}${query}`);
      const text = JSON.stringify(listed.body);
      expect(text).not.toContain('_localizations');
      expect(text).not.toContain('_localized');
      expect(mode((listed.body as Json[])[0]!).choices.map((c) => c.name)).toEqual(['Fast', 'Slow']);
    }
    // The stored commands (emu.registeredCommands) keep their maps.
    expect(emu.registeredCommands({ guildId: guild.id })[0]?.name_localizations).toEqual({ de: 'rätsel' });
  });

  it("with X-Discord-Locale the list carries name_localized/description_localized for the requester's locale", async () => {
    expect((await put([quiz()])).status).toBe(200);
    const listed = await call('GET', guildCommands(), undefined, { 'X-Discord-Locale': 'de' });
    const [command] = listed.body as Json[];
    expect(command).toMatchObject({ name_localized: 'rätsel', description_localized: 'Ein Quiz spielen' });
    expect(command).not.toHaveProperty('name_localizations');
    expect(sub(command!)).toMatchObject({
      name_localized: 'starten',
      description_localized: 'Ein Spiel starten',
    });
    expect(mode(command!).choices[0]).toMatchObject({ name: 'Fast', name_localized: 'Schnell' });
    expect(rounds(command!)).not.toHaveProperty('description_localized'); // none in German
  });

  it('a single command (GET by id) keeps its maps, as Discord returns them there', async () => {
    const [registered] = (await put([quiz()])).body as Json[];
    const one = await call('GET', `${guildCommands()}/${String(registered!.id)}`);
    expect(one.body).toMatchObject({ name_localizations: { de: 'rätsel' } });
  });

  it('accepts null, {} and null values in a map, and mixed case with spaces for a USER command', async () => {
    const res = await put([
      { name: 'help', description: 'Help', name_localizations: null, description_localizations: {} },
      { name: 'ping', description: 'Ping', name_localizations: { de: null } },
      { type: 2, name: 'Show Scores', name_localizations: { de: 'Punkte Zeigen' } },
    ]);
    expect(res.status).toBe(200);
  });

  it('POST validates the same way', async () => {
    const res = await call('POST', guildCommands(), { ...quiz(), name_localizations: { xx: 'rätsel' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 50035,
      errors: { name_localizations: { xx: { _errors: [{}] } } },
    });
  });
});

describe('command localizations: refused with 50035 and the field path', () => {
  it('a key that is not a Discord locale (command, option, choice)', async () => {
    await expectRefused(
      [{ ...quiz(), name_localizations: { german: 'rätsel' } }],
      '0.name_localizations.german',
      'ENUM_TYPE_COERCE',
    );
    const onDescription = quiz();
    sub(onDescription).description_localizations = { 'de-DE': 'Ein Spiel starten' };
    await expectRefused(
      [onDescription],
      '0.options.0.options.0.description_localizations.de-DE',
      'ENUM_TYPE_COERCE',
    );
    const onChoice = quiz();
    mode(onChoice).choices[1]!.name_localizations = { en: 'Slow' };
    await expectRefused(
      [onChoice],
      '0.options.0.options.0.options.0.choices.1.name_localizations.en',
      'ENUM_TYPE_COERCE',
    );
  });

  it('a localized name breaking the naming rule: upper case, a space, too long, empty (every level)', async () => {
    await expectRefused(
      [{ ...quiz(), name_localizations: { de: 'Rätsel' } }],
      '0.name_localizations.de',
      'APPLICATION_COMMAND_INVALID_NAME',
    );
    const spaced = quiz();
    group(spaced).name_localizations = { de: 'live spiele' };
    await expectRefused([spaced], '0.options.0.name_localizations.de', 'APPLICATION_COMMAND_INVALID_NAME');
    const long = quiz();
    sub(long).name_localizations = { de: 'x'.repeat(33) };
    await expectRefused(
      [long],
      '0.options.0.options.0.name_localizations.de',
      'APPLICATION_COMMAND_INVALID_NAME',
    );
    const empty = quiz();
    rounds(empty).name_localizations = { fr: '' };
    await expectRefused(
      [empty],
      '0.options.0.options.0.options.1.name_localizations.fr',
      'APPLICATION_COMMAND_INVALID_NAME',
    );
    // Letters without a lower-case form, Devanagari and Thai are allowed, as in names.
    const scripts = quiz();
    scripts.name_localizations = { ja: 'クイズ', hi: 'प्रश्नोत्तरी', th: 'แบบทดสอบ', de: 'ß-quiz' };
    expect((await put([scripts])).status).toBe(200);
  });

  it('a localized description empty or over 100 characters; a choice name over 100', async () => {
    await expectRefused(
      [{ ...quiz(), description_localizations: { de: '' } }],
      '0.description_localizations.de',
      'BASE_TYPE_BAD_LENGTH',
    );
    const long = quiz();
    mode(long).description_localizations = { de: 'ä'.repeat(101) };
    await expectRefused(
      [long],
      '0.options.0.options.0.options.0.description_localizations.de',
      'BASE_TYPE_BAD_LENGTH',
    );
    const atLimit = quiz();
    mode(atLimit).description_localizations = { de: 'ä'.repeat(100) };
    mode(atLimit).choices[0]!.name_localizations = { de: 'ü'.repeat(100) };
    expect((await put([atLimit])).status).toBe(200);
    const choice = quiz();
    mode(choice).choices[0]!.name_localizations = { de: 'x'.repeat(101) };
    await expectRefused(
      [choice],
      '0.options.0.options.0.options.0.choices.0.name_localizations.de',
      'BASE_TYPE_BAD_LENGTH',
    );
    const emptyChoice = quiz();
    mode(emptyChoice).choices[1]!.name_localizations = { de: '' };
    await expectRefused(
      [emptyChoice],
      '0.options.0.options.0.options.0.choices.1.name_localizations.de',
      'BASE_TYPE_BAD_LENGTH',
    );
  });

  it('a value that is not a string, a map that is not a dictionary', async () => {
    await expectRefused(
      [{ ...quiz(), name_localizations: { de: 5 } }],
      '0.name_localizations.de',
      'BASE_TYPE_STRING',
    );
    await expectRefused(
      [{ ...quiz(), description_localizations: ['de'] }],
      '0.description_localizations',
      'DICT_TYPE_CONVERT',
    );
  });

  it('two siblings with the same localized name in one locale (commands, options); other locales or types are fine', async () => {
    await expectRefused(
      [quiz(), { name: 'puzzle', description: 'Puzzles', name_localizations: { de: 'rätsel' } }],
      '1.name_localizations.de',
      'APPLICATION_COMMANDS_DUPLICATE_NAME',
    );
    const options = quiz();
    rounds(options).name_localizations = { de: 'modus' };
    await expectRefused(
      [options],
      '0.options.0.options.0.options.1.name_localizations.de',
      'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
    );
    const otherLocale = quiz();
    rounds(otherLocale).name_localizations = { fr: 'modus' };
    const userCommand = { type: 2, name: 'Quiz', name_localizations: { de: 'rätsel' } };
    expect((await put([otherLocale, userCommand])).status).toBe(200);
  });

  it('two options with the same name under one parent', async () => {
    const twice = quiz();
    rounds(twice).name = 'mode';
    await expectRefused(
      [twice],
      '0.options.0.options.0.options.1.name',
      'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
    );
  });
});
