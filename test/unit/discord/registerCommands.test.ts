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
