/**
 * The chart's monitoring artefacts as the tests read them: the Grafana dashboard JSON, the alert
 * rules file, and the PromQL expressions in both, parsed with Prometheus' own Lezer grammar
 * (@prometheus-io/lezer-promql, the parser behind the Prometheus UI's editor) to list the metric
 * names they select.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { CHART_DIR } from './helm.js';

export const DASHBOARD_FILE = join(CHART_DIR, 'dashboards/badgey.json');
export const RULES_FILE = join(CHART_DIR, 'rules/badgey-alerts.yaml');

export interface DashboardTarget {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: DashboardTarget[];
}
export interface DashboardVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
  datasource?: { type?: string; uid?: string };
}
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: DashboardVariable[] };
}
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RulesFile {
  groups: { name: string; rules: AlertRule[] }[];
}

export function readDashboard(text = readFileSync(DASHBOARD_FILE, 'utf8')): Dashboard {
  return JSON.parse(text) as Dashboard;
}

export function readRules(): RulesFile {
  return parseYaml(readFileSync(RULES_FILE, 'utf8')) as RulesFile;
}

/**
 * Grafana's variables are not PromQL: `$__rate_interval` stands where a duration goes, and
 * `$namespace`/`$pod` only inside label-matcher strings (which any string satisfies).
 */
export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m');
}

/** A variable's PromQL: `label_values(<selector>, label)` gives the selector. */
export function variableSelector(variable: DashboardVariable): string | undefined {
  const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
  if (variable.type !== 'query' || !query) return undefined;
  const match = /^label_values\((.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$/.exec(query.trim());
  if (!match) throw new Error(`variable ${variable.name}: unsupported query ${query}`);
  return match[1];
}

/** Every PromQL expression of the dashboard: panel targets, then variable queries. */
export function dashboardExpressions(dashboard: Dashboard): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? [])
      found.push({ where: `panel ${panel.id} "${panel.title}" ${target.refId}`, expr: target.expr ?? '' });
  }
  for (const variable of dashboard.templating.list) {
    const selector = variableSelector(variable);
    if (selector !== undefined) found.push({ where: `variable ${variable.name}`, expr: selector });
  }
  return found;
}

/**
 * The metric names a PromQL expression selects (the identifier of each vector selector, or its
 * `__name__="..."` matcher). Throws with the position when the expression does not parse.
 */
export function metricNamesOf(expr: string): string[] {
  const text = substituteGrafanaVariables(expr);
  const tree = parser.parse(text);
  const names: string[] = [];
  let error: number | undefined;
  tree.iterate({
    enter(node) {
      if (node.type.isError && error === undefined) error = node.from;
      if (node.name !== 'VectorSelector') return;
      const identifier = node.node.getChild('Identifier');
      if (identifier) {
        names.push(text.slice(identifier.from, identifier.to));
        return;
      }
      const matchers = node.node.getChild('LabelMatchers');
      for (const matcher of matchers?.getChildren('UnquotedLabelMatcher') ?? []) {
        const label = matcher.getChild('LabelName');
        const value = matcher.getChild('StringLiteral');
        const op = matcher.getChild('MatchOp');
        if (label && value && op && text.slice(label.from, label.to) === '__name__') {
          if (text.slice(op.from, op.to) !== '=') throw new Error(`regex __name__ in ${expr}`);
          names.push(JSON.parse(text.slice(value.from, value.to)) as string);
        }
      }
    },
  });
  if (error !== undefined) throw new Error(`PromQL does not parse at ${error}: ${text}`);
  if (names.length === 0) throw new Error(`PromQL selects no metric: ${text}`);
  return names;
}

/**
 * The series names a Prometheus text exposition offers, from its `# TYPE` lines: a histogram
 * `x` is scraped as x_bucket, x_sum and x_count, a summary as x, x_sum and x_count.
 */
export function seriesNamesOf(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/.exec(line);
    if (!match) continue;
    const [, name, type] = match as unknown as [string, string, string];
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}
