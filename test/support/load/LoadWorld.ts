/**
 * The stage of a load or fault run: a Discord emulator with one guild and N members, a data
 * directory (SQLite file + analytics exports) that survives bot restarts, seeded quizzes, and the
 * real bot (`node dist/main.js`) started against it as often as a scenario needs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import type { APIApplicationCommandOption } from 'discord-api-types/v10';
import { BotProcess } from '../botProcess.js';
import type { DiscordEmulatorOptions, EmulatedGuild, EmulatedMember } from '../discord-emulator/index.js';
import { DiscordEmulator } from '../discord-emulator/index.js';
import { type SeededQuiz, type SeedQuiz, seedQuizzes } from './seedQuizzes.js';

export interface LoadWorldOptions {
  /** Simulated members (plain members, no Manage Server). */
  members: number;
  /** Quizzes seeded before the bot starts. Default: three 3-question quizzes with a 20 s timer. */
  quizzes?: SeedQuiz[];
  /** `DATABASE_URL` for the bot; default a SQLite file in the world's data directory. */
  databaseUrl?: string;
  emulator?: DiscordEmulatorOptions;
}

export const DEFAULT_LOAD_QUIZZES: SeedQuiz[] = [
  { name: 'Load quiz A', questions: 3, timerSeconds: 20 },
  { name: 'Load quiz B', questions: 3, timerSeconds: 20 },
  { name: 'Load quiz C', questions: 3, timerSeconds: 20 },
];

export class LoadWorld {
  readonly bots: BotProcess[] = [];

  private constructor(
    readonly emu: DiscordEmulator,
    readonly guild: EmulatedGuild,
    readonly channelId: string,
    /** Has Manage Server (may run /status). */
    readonly admin: EmulatedMember,
    readonly members: EmulatedMember[],
    /** Kept across bot restarts; removed by close(). */
    readonly dataDir: string,
    readonly databaseUrl: string,
    readonly quizzes: SeededQuiz[],
  ) {}

  static async create(options: LoadWorldOptions): Promise<LoadWorld> {
    // Heartbeats every second keep zombie detection quick; a generous token lifetime is Discord's.
    const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000, ...options.emulator });
    const dataDir = mkdtempSync(join(tmpdir(), 'badgey-load-'));
    try {
      const guild = emu.addGuild({ name: 'Load Guild', channels: [{ name: 'quiz' }] });
      const channelId = guild.channels[0]?.id;
      if (!channelId) throw new Error('emulator created no channel');
      const admin = emu.addMember(guild.id, {
        user: { username: 'load-admin' },
        permissions: PermissionFlagsBits.ManageGuild,
      });
      const members = Array.from({ length: options.members }, (_, i) =>
        emu.addMember(guild.id, { user: { username: `member-${i}` }, permissions: 0n }),
      );
      const databaseUrl = options.databaseUrl ?? `sqlite:${join(dataDir, 'badgey.sqlite')}`;
      const quizzes = await seedQuizzes({
        databaseUrl,
        guildId: guild.id,
        creatorId: admin.user.id,
        quizzes: options.quizzes ?? DEFAULT_LOAD_QUIZZES,
      });
      return new LoadWorld(emu, guild, channelId, admin, members, dataDir, databaseUrl, quizzes);
    } catch (error) {
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get exportDir(): string {
    return join(this.dataDir, 'analytics');
  }

  get sqlitePath(): string | undefined {
    return this.databaseUrl.startsWith('sqlite:') ? this.databaseUrl.slice('sqlite:'.length) : undefined;
  }

  /**
   * Starts the bot on this world's database and export directory; resolves once `/ready` is 200
   * and the guild's commands are registered (unless `waitReady: false`).
   */
  async startBot(
    env: Record<string, string | undefined> = {},
    options: { waitReady?: boolean; readyTimeoutMs?: number } = {},
  ): Promise<BotProcess> {
    const registered =
      this.emu.registeredCommands({ guildId: this.guild.id }).length > 0
        ? Promise.resolve()
        : this.emu
            .waitFor('commandsRegistered', (e) => e.guildId === this.guild.id, 30_000)
            .then(() => undefined);
    registered.catch(() => undefined); // awaited below only when waiting for readiness
    const bot = await BotProcess.start({
      env: {
        DISCORD_API_URL: this.emu.apiBase,
        DISCORD_TOKEN: this.emu.token,
        DISCORD_GUILD_IDS: this.guild.id,
        DATABASE_URL: this.databaseUrl,
        ANALYTICS_EXPORT_DIR: this.exportDir,
        LOG_LEVEL: 'warn',
        SHUTDOWN_DELAY_SECONDS: '0',
        QUIZ_MAX_SESSIONS: String(Math.max(500, this.members.length * 2)),
        ...env,
      },
    });
    this.bots.push(bot);
    if (options.waitReady !== false) {
      await bot.waitForStatus('/ready', 200, options.readyTimeoutMs ?? 30_000, 100);
      await registered;
    }
    return bot;
  }

  /** True when the registered `/quiz` command has a `take` subcommand. */
  takingAvailable(): boolean {
    const quiz = this.emu.registeredCommands({ guildId: this.guild.id }).find((c) => c.name === 'quiz');
    const options = (quiz?.options ?? []) as APIApplicationCommandOption[];
    return options.some((o) => o.name === 'take');
  }

  /** Kills every bot still running, closes the emulator and removes the data directory. */
  async close(): Promise<void> {
    for (const bot of this.bots) await bot.stop().catch(() => undefined);
    await this.emu.close().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
