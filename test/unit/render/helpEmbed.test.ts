import { SlashCommandBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import { renderHelpEmbed } from '../../../src/render/helpEmbed.js';
import { renderStatusEmbed } from '../../../src/render/statusEmbed.js';

describe('renderHelpEmbed', () => {
  it('lists every command and subcommand from the definitions, marking manager-only ones', () => {
    const quiz = new SlashCommandBuilder()
      .setName('quiz')
      .setDescription('Quizzes')
      .addSubcommand((s) => s.setName('take').setDescription('Take a quiz'))
      .addSubcommandGroup((g) =>
        g
          .setName('question')
          .setDescription('Questions')
          .addSubcommand((s) => s.setName('add').setDescription('Add a question')),
      )
      .toJSON();
    const status = new SlashCommandBuilder()
      .setName('status')
      .setDescription('Health')
      .setDefaultMemberPermissions(32n)
      .toJSON();
    const embed = renderHelpEmbed(
      { definitions: [status, quiz], docsUrl: 'https://example.org/badgey' },
      translatorFor('en-US'),
    );
    const commands = embed.fields?.find((f) => f.name === 'Commands')?.value;
    expect(commands?.split('\n')).toEqual([
      '`/quiz take` — Take a quiz',
      '`/quiz question add` — Add a question',
      '`/status` — Health *(server managers)*',
    ]);
    expect(embed.fields?.find((f) => f.name === 'Documentation')?.value).toBe('https://example.org/badgey');
  });
});

describe('renderStatusEmbed', () => {
  it('says degraded when a shard is not ready and shows n/a before the first heartbeat', () => {
    const embed = renderStatusEmbed(
      {
        uptimeSeconds: 93_784,
        gatewayLatencyMs: undefined,
        shards: [
          { id: 0, state: 'ready', pingMs: 41.6 },
          { id: 1, state: 'reconnecting', pingMs: undefined },
        ],
        memoryUsageMb: 78.44,
        cpuPercent: undefined,
        threadCount: 8,
        quizzesRunning: 2,
        version: '1.2.3',
      },
      translatorFor('en-US'),
    );
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({
      Status: 'degraded',
      Uptime: '1d 2h 3m 4s',
      'Gateway latency': 'n/a',
      Shards: 'shard 0: ready (42 ms)\nshard 1: reconnecting',
      Memory: '78.4 MB',
      CPU: 'n/a',
      'Quizzes running': '2',
    });
  });
});
