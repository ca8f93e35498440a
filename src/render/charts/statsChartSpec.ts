import type { TopLevelSpec } from 'vega-lite';
import { translatorFor } from '../../i18n/index.js';
import { scoreRange, weekdayNames } from '../statsFormat.js';

/** What a `/stats` chart shows: everything it draws also stands in the embed's text. */
export interface StatsChartInput {
  /** Heading drawn at the top (e.g. the server's name); cut to 80 characters. */
  title: string;
  /** Attempts started per UTC weekday (0 = Monday … 6 = Sunday) and hour: 7 rows of 24. */
  activity: number[][];
  /** One quiz's completed attempts in 10 bins of score share (0–10 % … 90–100 %); omitted: no panel. */
  scores?: { quizName: string; bins: number[] };
  /**
   * The language of the axis titles, headings and weekday names (a Discord locale; default en-US).
   * A locale and not the texts: the input crosses to the chart worker as plain data, and the worker
   * looks the texts up in the same catalogue.
   */
  locale?: string;
}

/** Output width in pixels (the height follows the layout); fixed, so a render's memory is too. */
export const CHART_WIDTH_PX = 1000;
const FONT = 'DejaVu Sans';

function cut(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

function countOf(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new Error(`chart input: ${where} must be a whole number ≥ 0, got ${String(value)}`);
  return value;
}

/** Checks the shape (a chart of fixed size: 168 cells and 10 bars at most) and builds the spec. */
export function statsChartSpec(input: StatsChartInput): TopLevelSpec {
  const t = translatorFor(input.locale);
  const weekdays = weekdayNames(t, 'short');
  if (!Array.isArray(input.activity) || input.activity.length !== 7)
    throw new Error('chart input: activity must have 7 weekday rows');
  const cells = input.activity.flatMap((row, day) => {
    if (!Array.isArray(row) || row.length !== 24)
      throw new Error(`chart input: activity row ${day} must have 24 hours`);
    return row.map((n, hour) => ({
      day: weekdays[day],
      hour,
      attempts: countOf(n, `activity[${day}][${hour}]`),
    }));
  });
  const activity = {
    title: { text: t('stats.chart.activityTitle'), anchor: 'start' as const, fontSize: 14 },
    width: 780,
    height: 7 * 26,
    data: { values: cells },
    mark: { type: 'rect' as const, stroke: 'white', strokeWidth: 1 },
    encoding: {
      x: {
        field: 'hour',
        type: 'ordinal' as const,
        title: t('stats.chart.hourAxis'),
        axis: { labelAngle: 0 },
      },
      y: { field: 'day', type: 'ordinal' as const, title: null, sort: weekdays },
      color: {
        field: 'attempts',
        type: 'quantitative' as const,
        title: t('stats.chart.attempts'),
        scale: { scheme: 'blues', domainMin: 0 },
      },
    },
  };
  const panels: TopLevelSpec[] = [activity as TopLevelSpec];
  if (input.scores) {
    const { bins } = input.scores;
    if (!Array.isArray(bins) || bins.length !== 10) throw new Error('chart input: scores must have 10 bins');
    const bars = bins.map((n, i) => ({
      range: scoreRange(i, t),
      order: i,
      attempts: countOf(n, `scores.bins[${i}]`),
    }));
    panels.push({
      title: {
        text: t('stats.chart.scoresTitle', { quiz: cut(input.scores.quizName, 60) }),
        anchor: 'start',
        fontSize: 14,
      },
      width: 780,
      height: 160,
      data: { values: bars },
      mark: { type: 'bar', color: '#5865f2' },
      encoding: {
        x: {
          field: 'range',
          type: 'ordinal',
          title: t('stats.chart.scoreAxis'),
          sort: { field: 'order' },
          axis: { labelAngle: 0 },
        },
        y: {
          field: 'attempts',
          type: 'quantitative',
          title: t('stats.chart.attempts'),
          axis: { tickMinStep: 1 },
        },
      },
    } as TopLevelSpec);
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: cut(input.title, 80), fontSize: 18, anchor: 'start' },
    background: 'white',
    padding: 16,
    vconcat: panels,
    spacing: 28,
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFont: FONT, titleFont: FONT },
      title: { font: FONT },
    },
  } as TopLevelSpec;
}
