import { SlashCommandBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commandsEqual } from '../../../src/discord/registerCommands.js';

const local = [
  new SlashCommandBuilder()
    .setName('quiz')
    .setDescription('Quizzes')
    .setDefaultMemberPermissions(32n)
    .addStringOption((o) => o.setName('name').setDescription('Quiz name').setRequired(false))
    .toJSON(),
];

// What Discord answers for the same definition: ids, version, defaults; `required: false` omitted.
const remote = [
  {
    id: '1',
    application_id: '2',
    version: '3',
    type: 1,
    name: 'quiz',
    description: 'Quizzes',
    default_member_permissions: '32',
    dm_permission: true,
    contexts: null,
    integration_types: [0],
    nsfw: false,
    options: [{ type: 3, name: 'name', description: 'Quiz name' }],
  },
];

describe('commandsEqual', () => {
  it("treats Discord's echo of our definitions as unchanged", () => {
    expect(commandsEqual(local, remote)).toBe(true);
  });

  it('detects a changed description, a new option, a dropped permission and a missing command', () => {
    expect(commandsEqual(local, [{ ...remote[0], description: 'Old' }])).toBe(false);
    expect(commandsEqual(local, [{ ...remote[0], options: [] }])).toBe(false);
    expect(commandsEqual(local, [{ ...remote[0], default_member_permissions: null }])).toBe(false);
    expect(commandsEqual(local, [])).toBe(false);
    expect(commandsEqual(local, [...remote, { ...remote[0], name: 'other' }])).toBe(false);
  });
});

describe('commandsEqual with localizations', () => {
  const localized = [
    new SlashCommandBuilder()
      .setName('quiz')
      .setDescription('Quizzes')
      .setNameLocalizations({ de: 'raetsel' })
      .setDescriptionLocalizations({ de: 'Quizze' })
      .addStringOption((o) =>
        o
          .setName('mode')
          .setDescription('Mode')
          .setDescriptionLocalizations({ de: 'Modus' })
          .addChoices({ name: 'Fast', value: 'fast', name_localizations: { de: 'Schnell' } }),
      )
      .toJSON(),
  ];
  // Discord's answer with with_localizations=true: the maps as sent, null where none were.
  const echo = (patch: (command: Record<string, unknown>) => void = () => {}) => {
    const command: Record<string, unknown> = {
      ...structuredClone(localized[0]),
      id: '1',
      version: '2',
      default_member_permissions: null,
    };
    patch(command);
    return [command];
  };
  const option = (command: Record<string, unknown>) =>
    (command.options as Array<Record<string, unknown>>)[0] as Record<string, unknown>;

  it('treats the echo of the same localizations as unchanged, in any key order', () => {
    expect(commandsEqual(localized, echo())).toBe(true);
    expect(
      commandsEqual(
        localized,
        echo((c) => {
          c.name_localizations = { de: 'raetsel' };
        }),
      ),
    ).toBe(true);
  });

  it('treats null, absent, {} and all-null maps alike', () => {
    const help = new SlashCommandBuilder().setName('help').setDescription('Help').toJSON();
    const plain = [help];
    const withMaps = (maps: Record<string, unknown>) => [{ ...help, id: '1', ...maps }];
    expect(
      commandsEqual(plain, withMaps({ name_localizations: null, description_localizations: null })),
    ).toBe(true);
    expect(commandsEqual(plain, withMaps({ name_localizations: {}, description_localizations: {} }))).toBe(
      true,
    );
    expect(commandsEqual(plain, withMaps({ name_localizations: { de: null } }))).toBe(true);
    const emptyLocal = [{ ...help, name_localizations: {}, description_localizations: null }];
    expect(commandsEqual(emptyLocal, withMaps({}))).toBe(true);
  });

  it('detects a changed, an added and a dropped localization, at any depth', () => {
    expect(
      commandsEqual(
        localized,
        echo((c) => {
          c.description_localizations = { de: 'Alt' };
        }),
      ),
    ).toBe(false);
    // Discord still has a locale we no longer send: must re-register to drop it.
    expect(
      commandsEqual(
        localized,
        echo((c) => {
          c.name_localizations = { de: 'raetsel', fr: 'jeu' };
        }),
      ),
    ).toBe(false);
    expect(
      commandsEqual(
        localized,
        echo((c) => {
          c.name_localizations = null;
        }),
      ),
    ).toBe(false);
    expect(
      commandsEqual(
        localized,
        echo((c) => {
          option(c).description_localizations = null;
        }),
      ),
    ).toBe(false);
    expect(
      commandsEqual(
        localized,
        echo((c) => {
          (option(c).choices as Array<Record<string, unknown>>)[0]!.name_localizations = { de: 'Flink' };
        }),
      ),
    ).toBe(false);
  });

  it('a list without the maps (no with_localizations) never matches localized definitions', () => {
    expect(
      commandsEqual(
        localized,
        echo((c) => {
          delete c.name_localizations;
          delete c.description_localizations;
        }),
      ),
    ).toBe(false);
  });
});
