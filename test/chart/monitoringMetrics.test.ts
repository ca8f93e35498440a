/**
 * Every metric name that a dashboard panel, a dashboard variable or an alert expression selects
 * exists in a real `/metrics` scrape of the running bot (`node dist/main.js` on the Discord
 * emulator, after it served a command). The names come from parsing the PromQL
 * (@prometheus-io/lezer-promql), not from a text search.
 */
import { describe, expect, it } from 'vitest';
import { slashCommand, startBot, startWorld } from '../e2e/discordHarness.js';
import {
  dashboardExpressions,
  metricNamesOf,
  readDashboard,
  readRules,
  seriesNamesOf,
} from './monitoring.js';

describe('dashboard and alert metric names against a real scrape', () => {
  it('every selected metric is in the running bot’s /metrics', async () => {
    const world = await startWorld();
    const bot = await startBot(world);
    await bot.waitUntilServing();
    const reply = slashCommand(world, world.member.user.id, 'help');
    await reply.waitForResponse();
    const scrape = await fetch(`http://127.0.0.1:${bot.healthPort}/metrics`, {
      signal: AbortSignal.timeout(5000),
    });
    expect(scrape.status).toBe(200);
    const available = seriesNamesOf(await scrape.text());
    expect(available.size).toBeGreaterThan(20);

    const used = [
      ...dashboardExpressions(readDashboard()),
      ...readRules().groups.flatMap((group) =>
        group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
      ),
    ].flatMap(({ where, expr }) => metricNamesOf(expr).map((name) => ({ where, name })));
    expect(used.length).toBeGreaterThan(30);
    const missing = used.filter(({ name }) => !available.has(name));
    expect(missing).toEqual([]);
  }, 60_000);

  it('the check can fail: a name the bot does not export is reported', () => {
    const available = seriesNamesOf(
      '# HELP a_total x\n# TYPE a_total counter\na_total 1\n# TYPE h histogram\n',
    );
    expect([...available].sort()).toEqual(['a_total', 'h_bucket', 'h_count', 'h_sum']);
    expect(
      metricNamesOf('rate(a_total[5m]) / rate(h_count[5m]) + b').filter((n) => !available.has(n)),
    ).toEqual(['b']);
  });
});
