/**
 * The Grafana dashboard and the PrometheusRule in the chart: rendered only when enabled, the
 * dashboard well formed (unique panel ids, datasource templated, every target an expression,
 * templated by namespace and pod), the alerts valid for promtool and unit-tested by it, and a
 * README runbook section for each alert. (Metric names against a real scrape:
 * monitoringMetrics.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CHART_DIR, ensureK8sTools, findObject, type K8sObject, REPO_ROOT, renderChart } from './helm.js';
import {
  type AlertRule,
  dashboardExpressions,
  metricNamesOf,
  type RulesFile,
  readDashboard,
  readRules,
} from './monitoring.js';

const MONITORING_ON = join(CHART_DIR, 'ci/monitoring-on-values.yaml');
const PROMTOOL_TESTS = join(REPO_ROOT, 'test/chart/promtool/badgey-alerts.test.yaml');

const kinds = (objects: K8sObject[]) => objects.map((object) => `${object.kind}/${object.metadata.name}`);
const dashboard = readDashboard();
/** Grafana's reference to the `datasource` variable (a literal `${…}`, not a JS template). */
const DATASOURCE_VARIABLE = '$' + '{datasource}';

function promtool(args: string[]): { code: number; output: string } {
  const result = spawnSync('promtool', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`promtool missing: run scripts/test-deps.sh (${result.error.message})`);
  return { code: result.status ?? -1, output: result.stdout + result.stderr };
}

let work: string;
beforeAll(() => {
  ensureK8sTools();
  work = mkdtempSync(join(tmpdir(), 'badgey-rules-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('rendered only when enabled', () => {
  it('defaults render neither the dashboard ConfigMap nor the PrometheusRule', () => {
    const objects = renderChart();
    expect(kinds(objects)).not.toContain('ConfigMap/badgey-dashboard');
    expect(objects.some((object) => object.kind === 'PrometheusRule')).toBe(false);
  });

  it('grafanaDashboard.enabled alone renders the ConfigMap with the sidecar label and the JSON file', () => {
    const objects = renderChart({ set: ['metrics.grafanaDashboard.enabled=true'] });
    expect(objects.some((object) => object.kind === 'PrometheusRule')).toBe(false);
    const configMap = findObject(objects, 'ConfigMap', '-dashboard') as K8sObject & {
      data: Record<string, string>;
    };
    expect(configMap.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(JSON.parse(configMap.data['badgey.json']!)).toEqual(dashboard);
  });

  it('the sidecar label, annotations and namespace are configurable', () => {
    const objects = renderChart({
      set: [
        'metrics.grafanaDashboard.enabled=true',
        'metrics.grafanaDashboard.labels.grafana_dashboard=null',
        'metrics.grafanaDashboard.labels.dashboards=badgey',
        'metrics.grafanaDashboard.annotations.grafana_folder=Bots',
        'metrics.grafanaDashboard.namespace=monitoring',
      ],
    });
    const configMap = findObject(objects, 'ConfigMap', '-dashboard') as K8sObject & {
      metadata: { namespace?: string };
    };
    expect(configMap.metadata.labels).toMatchObject({ dashboards: 'badgey' });
    expect(configMap.metadata.labels).not.toHaveProperty('grafana_dashboard');
    expect(configMap.metadata.annotations).toEqual({ grafana_folder: 'Bots' });
    expect(configMap.metadata.namespace).toBe('monitoring');
  });

  it('prometheusRule.enabled alone renders the PrometheusRule: the rules file plus ruleLabels and runbook_url', () => {
    const objects = renderChart({
      set: ['metrics.prometheusRule.enabled=true', 'metrics.prometheusRule.ruleLabels.severity=page'],
    });
    expect(kinds(objects)).not.toContain('ConfigMap/badgey-dashboard');
    const rule = findObject(objects, 'PrometheusRule') as K8sObject & { spec: RulesFile };
    const source = readRules();
    const rendered = rule.spec.groups.flatMap((group) => group.rules);
    expect(rendered.map((r) => r.alert)).toEqual(source.groups.flatMap((g) => g.rules.map((r) => r.alert)));
    for (const [i, original] of source.groups.flatMap((g) => g.rules).entries()) {
      const alert = rendered[i]!;
      expect(alert.expr).toBe(original.expr);
      // An alert's own label wins over ruleLabels.
      expect(alert.labels?.severity).toBe(original.labels?.severity);
      expect(alert.annotations?.runbook_url).toBe(
        `https://github.com/badgey/badgey/blob/main/README.md#runbook-${original.alert.toLowerCase()}`,
      );
    }
  });

  it('an unknown key under the new sections is refused by the schema', () => {
    expect(() => renderChart({ set: ['metrics.prometheusRule.enable=true'] })).toThrow(
      "at '/metrics/prometheusRule': additional properties 'enable' not allowed",
    );
  });
});

describe('Grafana dashboard JSON', () => {
  const panels = dashboard.panels;
  const targets = panels.flatMap((panel) => panel.targets ?? []);

  it('has a uid, a title, a schemaVersion and unique panel ids', () => {
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(dashboard.title).not.toBe('');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = panels.map((panel) => panel.id);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('templates the datasource: a datasource variable, and every panel and target uses it', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const notTemplated = [
      ...panels
        .filter((panel) => panel.type !== 'row')
        .map((panel) => ({ where: panel.title, ds: panel.datasource })),
      ...dashboard.templating.list
        .filter((v) => v.type === 'query')
        .map((v) => ({ where: `variable ${v.name}`, ds: v.datasource })),
      ...targets.map((target) => ({ where: `target ${target.refId}`, ds: target.datasource })),
    ].filter(({ ds }) => ds?.uid !== DATASOURCE_VARIABLE || ds?.type !== 'prometheus');
    expect(notTemplated).toEqual([]);
  });

  it('every non-row panel has targets and every target has a refId and a PromQL expression that parses', () => {
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      const refIds = panel.targets!.map((t) => t.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
    }
    for (const target of targets) {
      expect(target.refId).toMatch(/^[A-Z]$/);
      expect(target.expr?.trim()).toBeTruthy();
    }
    for (const { where, expr } of dashboardExpressions(dashboard))
      expect(() => metricNamesOf(expr), where).not.toThrow();
  });

  it('is templated by namespace and pod: both variables exist and every target filters on them', () => {
    const names = dashboard.templating.list.map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['namespace', 'pod']));
    const unfiltered = targets.filter(
      (t) => !t.expr?.includes('namespace=~"$namespace"') || !t.expr.includes('pod=~"$pod"'),
    );
    expect(unfiltered.map((t) => t.expr)).toEqual([]);
  });

  it('has the panels the issue asks for', () => {
    const titles = panels.map((panel) => panel.title);
    for (const title of [
      'Readiness per shard',
      'Gateway latency',
      'Gateway reconnects',
      'Interactions per second by command and outcome',
      'Reply latency percentiles',
      'Quizzes started / completed',
      'Answers by outcome',
      'Sessions running / queued',
      'Live games',
      'Database query time',
      'Event-loop delay',
      'Memory',
      'CPU',
      'Analytics export age',
    ])
      expect(titles).toContain(title);
  });

  it('panels sit on the 24-column grid without overlapping', () => {
    const cells = new Set<string>();
    for (const { gridPos, title } of panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++)
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('the metric-name extraction sees through functions, aggregations and __name__ matchers', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.99, sum by (le) (rate(a_bucket{pod=~"$pod"}[$__rate_interval]))) / on () {__name__="b"} and c offset 5m',
      ),
    ).toEqual(['a_bucket', 'b', 'c']);
    expect(() => metricNamesOf('sum(rate(a[5m])')).toThrow('does not parse');
  });
});

describe('PrometheusRule alerts', () => {
  const rendered = (): RulesFile => {
    const rule = findObject(renderChart({ valuesFiles: [MONITORING_ON] }), 'PrometheusRule') as K8sObject & {
      spec: RulesFile;
    };
    return rule.spec;
  };
  const alerts: AlertRule[] = readRules().groups.flatMap((group) => group.rules);

  it('has the seven alerts the issue asks for, each with a severity and a summary', () => {
    expect(alerts.map((alert) => alert.alert).sort()).toEqual(
      [
        'BadgeyAnalyticsExportStale',
        'BadgeyDatabaseUnreachable',
        'BadgeyErrorRatioHigh',
        'BadgeyEventLoopDelayHigh',
        'BadgeyNotReady',
        'BadgeyReplyLatencyHigh',
        'BadgeyRestartLoop',
      ].sort(),
    );
    for (const alert of alerts) {
      expect(alert.labels?.severity, alert.alert).toMatch(/^(critical|warning)$/);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(() => metricNamesOf(alert.expr), alert.alert).not.toThrow();
    }
  });

  it('the rendered rules pass `promtool check rules`', () => {
    const file = join(work, 'rules.yaml');
    writeFileSync(file, stringifyYaml(rendered()));
    const result = promtool(['check', 'rules', file]);
    expect(result.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('promtool check rules catches a broken expression (the check can fail)', () => {
    const broken = rendered();
    broken.groups[0]!.rules[0]!.expr = 'max by (pod) (badgey_ready == 0';
    const file = join(work, 'broken.yaml');
    writeFileSync(file, stringifyYaml(broken));
    const result = promtool(['check', 'rules', file]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('FAILED');
  });

  it('`promtool test rules` passes, with a unit case for every alert', () => {
    writeFileSync(join(work, 'rules.yaml'), stringifyYaml(rendered()));
    copyFileSync(PROMTOOL_TESTS, join(work, 'badgey-alerts.test.yaml'));
    const tests = parseYaml(readFileSync(PROMTOOL_TESTS, 'utf8')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const cases = tests.tests.flatMap((test) => test.alert_rule_test);
    for (const alert of alerts) {
      const mine = cases.filter((c) => c.alertname === alert.alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${alert.alert} never fires in a test`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${alert.alert} never stays quiet in a test`,
      ).toBe(true);
    }
    const result = promtool(['test', 'rules', join(work, 'badgey-alerts.test.yaml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code, result.output).toBe(0);
  });

  it('every alert has a runbook section in the README ("what it means, what to do")', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const alert of alerts) {
      const heading = `#### Runbook: ${alert.alert}`;
      const start = readme.indexOf(`${heading}\n`);
      expect(start, `README has no "${heading}"`).toBeGreaterThan(-1);
      const section = readme.slice(start + heading.length, readme.indexOf('\n#', start + heading.length));
      expect(section, alert.alert).toContain('**What it means.**');
      expect(section, alert.alert).toContain('**What to do.**');
    }
  });
});
