import { PermissionFlagsBits } from 'discord.js';
import { ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/openDatabase.js';
import { scratchPostgres, silentLogger } from '../integration/store/storeTargets.js';
import { BotProcess } from '../support/botProcess.js';
import { DiscordEmulator } from '../support/discord-emulator/index.js';
import {
  buttons,
  click,
  injectTake,
  quizInput,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// Two shard processes (SHARD_IDS 0 and 1 of 2) on ONE PostgreSQL schema, as a sharded install runs.
// A member completes a quiz in a server on shard 1; a bot owner asks `/stats scope:bot` in a server
// on shard 0. The bot-wide figures come from the shared database, so shard 0 counts it too. Before,
// each process showed its own in-memory analytics as "all servers": shard 0 said 0 completed.

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

type Field = { name: string; value: string };

describe('/stats scope:bot with two shard processes on one PostgreSQL', { timeout: 90_000 }, () => {
  it('counts every shard’s quizzes (from the shared database), not just the answering process’s', async () => {
    const scratch = await scratchPostgres();
    cleanups.push(() => scratch.dispose());
    const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000, shardCount: 2 });
    cleanups.push(() => emu.close());
    const onShard0 = emu.addGuild({ name: 'Zero', shard: 0, channels: [{ name: 'quiz' }] });
    const onShard1 = emu.addGuild({ name: 'One', shard: 1, channels: [{ name: 'quiz' }] });
    const owner = emu.addMember(onShard0.id, {
      user: { username: 'owner' },
      permissions: PermissionFlagsBits.ManageGuild,
    });
    const ada = emu.addMember(onShard1.id, { user: { username: 'ada' }, permissions: 0n });

    const db = await openDatabase({ url: scratch.url, logger: silentLogger });
    let quizId: number;
    try {
      await db.migrate();
      const quiz = await db.quizzes.create(onShard1.id, ada.user.id, quizInput('One', 30));
      await db.quizzes.addQuestion(onShard1.id, quiz.id, {
        text: '1 + 1?',
        options: ['2', '3'],
        correctIndex: 0,
        points: 10,
        explanation: null,
      });
      quizId = quiz.id;
    } finally {
      await db.close();
    }

    const shard = async (id: number) => {
      const bot = await BotProcess.start({
        env: {
          DISCORD_API_URL: emu.apiBase,
          DISCORD_TOKEN: emu.token,
          DISCORD_GUILD_IDS: `${onShard0.id},${onShard1.id}`,
          DATABASE_URL: scratch.url,
          BOT_OWNER_IDS: owner.user.id,
          SHARD_IDS: String(id),
          SHARD_COUNT: '2',
        },
      });
      cleanups.push(() => bot.stop());
      await bot.waitUntilServing(30_000);
      return bot;
    };
    await Promise.all([shard(0), shard(1)]);

    // Ada completes the quiz on shard 1.
    const take = injectTake(
      emu,
      { guildId: onShard1.id, channelId: onShard1.channels[0]?.id ?? '' },
      ada.user.id,
      quizId,
    );
    const messageId = await sessionMessageId(take);
    const question = await waitForTitle(emu, messageId, /^Question 1\/1/);
    await click(emu, messageId, buttons(question)[0]?.custom_id ?? '', ada.user.id);
    const feedback = await waitForTitle(emu, messageId, /^Correct!/);
    await click(
      emu,
      messageId,
      buttons(feedback).find((b) => b.label === 'See results')?.custom_id ?? '',
      ada.user.id,
    );
    await waitForTitle(emu, messageId, /^Quiz complete/);

    // The owner asks on shard 0.
    const handle = emu.injectChatInput({
      guildId: onShard0.id,
      channelId: onShard0.channels[0]?.id ?? '',
      userId: owner.user.id,
      name: 'stats',
      options: [{ type: T.String, name: 'scope', value: 'bot' }],
    });
    const embed = await waitUntil(
      () => handle.responses.map((r) => r.data.embeds?.[0]).find((e) => e !== undefined),
      'the /stats scope:bot embed',
    );
    const fields = ((embed as { fields?: Field[] }).fields ?? []) as Field[];
    const field = (name: string) => fields.find((f) => f.name === name)?.value;
    expect(field('Quizzes completed'), JSON.stringify(fields)).toBe('1');
    expect(field('Quizzes started')).toBe('1');
    expect(field('Servers')).toBe('1');
    expect(field('Players')).toBe('1');
  });
});
