/**
 * `/stats` with its chart, end to end: the real bot (`node dist/main.js`, its chart worker bundle
 * included) on the Discord emulator with a seeded SQLite file. The reply carries the PNG as an
 * attachment that the embed shows, the numbers stay in the embed's text, and with
 * ANALYTICS_EXPORT_CHARTS the bot-wide chart is written next to the analytics export.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIEmbed } from 'discord-api-types/v10';
import { decode } from 'fast-png';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/openDatabase.js';
import { slashCommand, startBot, startWorld } from './discordHarness.js';
import { quizInput, seedDatabase, waitUntil } from './takingHarness.js';

const HOUR = 3_600_000;

describe('/stats chart', () => {
  it('attaches the chart PNG, keeps the numbers in the embed, and writes charts-latest.png with the export', async () => {
    const world = await startWorld();
    const seeded = await seedDatabase({
      guildId: world.guild.id,
      creatorId: world.admin.user.id,
      quizzes: [{ quiz: quizInput('Capitals of Europe', 30), questions: [] }],
    });
    const db = await openDatabase({ url: seeded.url, logger: pino({ level: 'silent' }) });
    const wednesday = Date.UTC(2026, 10, 25); // a Wednesday
    for (const [i, score] of [10, 35, 60, 80, 100].entries()) {
      const startedAt = wednesday + 18 * HOUR + i * 60_000;
      const attempt = await db.attempts.start({
        guildId: world.guild.id,
        userId: `1000000000000000${i}`,
        quizId: seeded.quizIds[0]!,
        maxScore: 100,
        questionCount: 5,
        startedAt,
      });
      await db.attempts.complete(attempt.id, {
        score,
        correctCount: 1,
        completedAt: startedAt + 30_000,
        durationSeconds: 30,
      });
    }
    await db.close();

    const bot = await startBot(world, {
      env: { DATABASE_URL: seeded.url, ANALYTICS_EXPORT_CHARTS: 'true', ANALYTICS_EXPORT_INTERVAL: '5s' },
    });
    await bot.waitUntilServing();
    const stats = slashCommand(world, world.admin.user.id, 'stats');
    const [, edit] = await stats.waitForResponses(2, 30_000);
    const embed = edit!.data.embeds?.[0] as APIEmbed | undefined;
    expect(embed?.image?.url).toBe('attachment://badgey-stats.png');
    const file = edit!.files.find((f) => f.name === 'badgey-stats.png');
    expect(file, 'no chart attachment').toBeDefined();
    const png = decode(new Uint8Array(file!.content));
    expect(png.width).toBe(1000);
    expect(png.height).toBeGreaterThan(400);

    // Screen readers get the chart's numbers as text.
    const fields = Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Attempts by weekday (UTC)']).toBe('Wednesday (5)');
    expect(fields['Scores · Capitals of Europe']).toBe(
      '5 completed · 0–9 %: 0 · 10–19 %: 1 · 20–29 %: 0 · 30–39 %: 1 · 40–49 %: 0 · 50–59 %: 0 · 60–69 %: 1 · 70–79 %: 0 · 80–89 %: 1 · 90–100 %: 1',
    );

    // The bot-wide chart beside the analytics export (written on the next export after the database opened).
    const exported = join(bot.dataDir, 'analytics', 'charts-latest.png');
    await waitUntil(() => existsSync(exported), 'charts-latest.png', 20_000);
    const written = decode(new Uint8Array(readFileSync(exported)));
    expect(written.width).toBe(1000);
  }, 90_000);
});
