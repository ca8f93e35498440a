import { DEFAULT_LOCALE, type Translate, translatorFor } from '../../i18n/index.js';
import type { StatsRepository } from '../../quiz/ports.js';
import type { StatsChartInput } from './statsChartSpec.js';

/** Written next to the analytics export when ANALYTICS_EXPORT_CHARTS is on. */
export const CHART_EXPORT_FILE = 'charts-latest.png';

/**
 * The `/stats` chart for every server at once (attempts by UTC weekday and hour, the score
 * distribution of all completed attempts), as the file the analytics exporter writes beside its
 * JSON, so an operator without Grafana can look at it. In the default language unless told
 * otherwise: the file is for operators, not for one server.
 */
export async function botWideChartFiles(
  stats: Pick<StatsRepository, 'attemptsByWeekdayHourUtc' | 'scoreDistribution'>,
  renderer: { render(input: StatsChartInput): Promise<{ png: Uint8Array }> },
  t: Translate = translatorFor(DEFAULT_LOCALE),
): Promise<{ name: string; data: Uint8Array }[]> {
  const activity = await stats.attemptsByWeekdayHourUtc({});
  const { bins } = await stats.scoreDistribution({});
  const image = await renderer.render({
    title: t('stats.chart.allServers'),
    activity,
    scores: { quizName: t('stats.chart.allQuizzes'), bins },
    locale: t.locale,
  });
  return [{ name: CHART_EXPORT_FILE, data: image.png }];
}
