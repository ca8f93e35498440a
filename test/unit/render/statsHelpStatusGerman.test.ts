/**
 * /stats, /status and /help in German (and their English, unchanged): texts from the catalogue,
 * plurals by count, decimal commas, weekday names from Intl, command names as the German Discord
 * client shows them, and a chart whose labels are drawn in the member's language.
 */
import { SlashCommandBuilder } from 'discord.js';
import { decode } from 'fast-png';
import pixelmatch from 'pixelmatch';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CHART_INPUT } from '../../../scripts/stats-chart-sample.js';
import { QuizAnalytics } from '../../../src/analytics/index.js';
import { FROM_CATALOGUE, localizeCommand } from '../../../src/commands/localizeCommand.js';
import { translatorFor } from '../../../src/i18n/index.js';
import type { BotStats, GuildStats } from '../../../src/quiz/ports.js';
import { renderChartPng, renderSvg } from '../../../src/render/charts/renderChartPng.js';
import { renderHelpEmbed } from '../../../src/render/helpEmbed.js';
import { renderBotStats, renderGuildStats } from '../../../src/render/stats.js';
import { renderStatusEmbed, type StatusView } from '../../../src/render/statusEmbed.js';

const en = translatorFor('en-US');
const de = translatorFor('de');

function fieldsOf(embed: { fields?: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
}

describe('/help in German', () => {
  const definitions = [
    new SlashCommandBuilder()
      .setName('quiz')
      .setDescription(FROM_CATALOGUE)
      .addSubcommand((s) =>
        s
          .setName('take')
          .setDescription(FROM_CATALOGUE)
          .addStringOption((o) => o.setName('quiz').setDescription(FROM_CATALOGUE)),
      )
      .toJSON(),
    new SlashCommandBuilder()
      .setName('settings')
      .setDescription(FROM_CATALOGUE)
      .setDefaultMemberPermissions(32n)
      .addSubcommandGroup((g) =>
        g
          .setName('manager-role')
          .setDescription(FROM_CATALOGUE)
          .addSubcommand((s) =>
            s
              .setName('add')
              .setDescription(FROM_CATALOGUE)
              .addRoleOption((o) => o.setName('role').setDescription(FROM_CATALOGUE).setRequired(true)),
          ),
      )
      .toJSON(),
    new SlashCommandBuilder().setName('leaderboard').setDescription(FROM_CATALOGUE).toJSON(),
  ].map(localizeCommand);

  it('lists the commands and subcommands by their German names and descriptions, sorted in German', () => {
    const embed = renderHelpEmbed({ definitions, docsUrl: undefined }, de);
    expect(embed.title).toBe('Badgey — Quizze für deinen Server');
    const fields = fieldsOf(embed);
    expect(fields.Befehle?.split('\n')).toEqual([
      '`/bestenliste` — Die besten Quizergebnisse dieses Servers',
      '`/einstellungen manager-rolle hinzufügen` — Mitglieder mit dieser Rolle Quizze verwalten lassen *(Server-Manager)*',
      '`/quiz spielen` — Ein Quiz spielen: Fragen auf Zeit, nur du siehst sie; die Ergebnisse werden im Server gepostet',
    ]);
    expect(fields['Deine Daten']).toContain('`/meinedaten exportieren`');
    expect(fields['Deine Daten']).toContain('`/meinedaten löschen`');
    expect(fields.Dokumentation).toMatch(/^Das README/);
  });

  it('keeps the English names for an English member', () => {
    const embed = renderHelpEmbed({ definitions, docsUrl: undefined }, en);
    expect(fieldsOf(embed).Commands?.split('\n')).toEqual([
      "`/leaderboard` — This server's best quiz scores",
      '`/quiz take` — Take a quiz: timed questions, only you see them; results are posted for the server',
      '`/settings manager-role add` — Let members with this role manage quizzes *(server managers)*',
    ]);
    expect(fieldsOf(embed)['Your data']).toBe(
      'What Badgey stores, for how long and how to delete it: `docs/privacy.md` in the Badgey repository. `/mydata export` shows what it holds about you here; `/mydata delete` erases it.',
    );
  });
});

function guildStats(completed: number): GuildStats {
  const activity = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  activity[2]![17] = 3;
  activity[6]![9] = 1;
  return {
    attempts: 4,
    completed,
    inProgress: 1,
    interrupted: 1,
    abandoned: 0,
    completionRate: 0.375,
    players: 3,
    averageScore: 4.25,
    averageScoreRatio: 0.6667,
    scoreP50: 4,
    scoreP90: 5.5,
    topQuizzes: [{ quizId: 1, name: 'Capitals of Europe', completed, averageScore: 4.25 }],
    attemptsByHourUtc: Array<number>(24).fill(0),
    busiestHoursUtc: [{ hour: 17, attempts: 3 }],
    attemptsByWeekdayHourUtc: activity,
  };
}

function scores(completed: number) {
  return {
    quizName: 'Capitals of Europe',
    distribution: { completed, bins: [0, 0, 0, 0, 0, 0, 0, 0, completed, 0] },
  };
}

describe('/stats in German', () => {
  it('says "1 abgeschlossener Versuch" and "2 abgeschlossene Versuche", with decimal commas and German weekdays', () => {
    const one = fieldsOf(renderGuildStats('Riverside', guildStats(1), { scores: scores(1) }, de));
    expect(one['Beliebteste Quizze']).toBe('1. Capitals of Europe — 1 abgeschlossener Versuch, Ø 4,3');
    expect(one['Punkte · Capitals of Europe']).toMatch(/^1 abgeschlossener Versuch · 0–9 %: 0 · /);
    const two = renderGuildStats('Riverside', guildStats(2), { scores: scores(2) }, de);
    const fields = fieldsOf(two);
    expect(two.title).toBe('Quizstatistik · Riverside');
    expect(fields['Beliebteste Quizze']).toBe('1. Capitals of Europe — 2 abgeschlossene Versuche, Ø 4,3');
    expect(fields['Punkte · Capitals of Europe']).toMatch(/^2 abgeschlossene Versuche · 0–9 %: 0 · /);
    expect(fields.Abschlussquote).toBe('37,5 %');
    expect(fields['Durchschnitt vom Maximum']).toBe('66,7 %');
    expect(fields['Punkte p90']).toBe('5,5');
    expect(fields['Versuche nach Wochentag (UTC)']).toBe('Mittwoch (3), Sonntag (1)');
    expect(fields['Meiste Aktivität']).toBe('17:00–18:00 UTC (3)');
    expect(two.footer?.text).toBe('Nur dieser Server · aus der Datenbank · Zeiten in UTC');
  });

  it('keeps the English text as it was', () => {
    const embed = renderGuildStats('Riverside', guildStats(2), { scores: scores(2) }, en);
    const fields = fieldsOf(embed);
    expect(embed.title).toBe('Quiz statistics · Riverside');
    expect(fields['Top quizzes']).toBe('1. Capitals of Europe — 2 completed, avg 4.3');
    expect(fields['Completion rate']).toBe('37.5 %');
    expect(fields['Attempts by weekday (UTC)']).toBe('Wednesday (3), Sunday (1)');
    expect(fields['Scores · Capitals of Europe']).toBe(
      '2 completed · 0–9 %: 0 · 10–19 %: 0 · 20–29 %: 0 · 30–39 %: 0 · 40–49 %: 0 · 50–59 %: 0 · 60–69 %: 0 · 70–79 %: 0 · 80–89 %: 2 · 90–100 %: 0',
    );
  });

  it('labels the bot-wide figures and this process in German', () => {
    const analytics = new QuizAnalytics({ salt: 'test-salt', clock: { now: () => 0 } });
    analytics.recordCommand('quiz', 0.0123);
    const bot: BotStats = { ...guildStats(2), servers: 2 };
    const embed = renderBotStats(bot, analytics.getStatistics(), de);
    const fields = fieldsOf(embed);
    expect(embed.title).toBe('Badgey-Statistik · alle Server');
    expect(fields['Befehle (dieser Prozess)']).toBe('`quiz` 1× · p50 12 ms');
    expect(fields['Fehler nach Typ (dieser Prozess)']).toBe('keine');
    expect(fields['Laufzeit (dieser Prozess)']).toBe('0 T. 0 Std. 0 Min. 0 Sek.');
    expect(fields['Punkte Ø / p50 / p90']).toBe('4,3 / 4 / 5,5');
    const english = fieldsOf(renderBotStats(bot, analytics.getStatistics(), en));
    expect(english['Uptime (this process)']).toBe('0d 0h 0m 0s');
    expect(english['Errors by type (this process)']).toBe('none');
  });
});

describe('/status in German', () => {
  const view: StatusView = {
    uptimeSeconds: 93_784,
    gatewayLatencyMs: 41.6,
    shards: [
      { id: 0, state: 'ready', pingMs: 41.6 },
      { id: 1, state: 'reconnecting', pingMs: undefined },
    ],
    memoryUsageMb: 78.44,
    cpuPercent: 3.25,
    threadCount: 8,
    quizzesRunning: 2,
    version: '1.2.3',
  };

  it('names every field, the shard states and the uptime in German, with decimal commas', () => {
    const embed = renderStatusEmbed(view, de);
    expect(embed.title).toBe('Badgey-Status');
    expect(embed.description).toBe('Eingeschränkt: Einige Shards sind nicht bereit.');
    expect(fieldsOf(embed)).toEqual({
      Status: 'eingeschränkt',
      Laufzeit: '1 T. 2 Std. 3 Min. 4 Sek.',
      'Gateway-Latenz': '42 ms',
      Shards: 'Shard 0: bereit (42 ms)\nShard 1: verbindet neu',
      Speicher: '78,4 MB',
      CPU: '3,3 %',
      Threads: '8',
      'Laufende Quizze': '2',
      Version: '1.2.3',
    });
  });

  it('says all is well when every shard is ready', () => {
    const embed = renderStatusEmbed({ ...view, shards: [{ id: 0, state: 'ready', pingMs: 12 }] }, de);
    expect(embed.description).toBe('Alle Systeme im grünen Bereich. Ich überwache den Funkverkehr!');
    expect(fieldsOf(embed).Status).toBe('in Ordnung');
  });
});

/** RGBA pixels of a PNG (fast-png gives RGB or RGBA at 8 bits for these images). */
function rgba(png: Uint8Array): { width: number; height: number; data: Uint8ClampedArray } {
  const image = decode(png);
  const { width, height, channels } = image;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = image.data[i * channels + c]!;
    data[i * 4 + 3] = channels === 4 ? image.data[i * channels + 3]! : 255;
  }
  return { width, height, data };
}

describe('the /stats chart in German', () => {
  it('draws German axis titles, headings and weekdays: same layout, different text pixels', async () => {
    const german = { ...SAMPLE_CHART_INPUT, title: 'Quizstatistik · Riverside School', locale: 'de' };
    const svg = await renderSvg(german);
    const drawn = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(drawn).toEqual(
      expect.arrayContaining([
        'Quizstatistik · Riverside School',
        'Quizversuche nach Wochentag und Uhrzeit (UTC)',
        'Stunde (UTC)',
        'Versuche',
        'Punkte abgeschlossener Versuche · Capitals of Europe',
        'Punkte (Anteil am Maximum)',
        'Mo',
        'So',
      ]),
    );
    expect(drawn).not.toContain('Hour of day (UTC)');
    expect(drawn).not.toContain('Mon');
    const fresh = rgba((await renderChartPng(german)).png);
    const english = rgba((await renderChartPng(SAMPLE_CHART_INPUT)).png);
    expect([fresh.width, fresh.height]).toEqual([english.width, english.height]);
    const differing = pixelmatch(fresh.data, english.data, undefined, fresh.width, fresh.height, {
      threshold: 0.1,
    });
    // Only the text differs: far more than the sample comparison's tolerance, far less than other data.
    expect(differing / (fresh.width * fresh.height)).toBeGreaterThan(0.002);
  });
});
