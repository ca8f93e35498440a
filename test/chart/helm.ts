import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, HELM_BIN, REPO_ROOT } from '../../scripts/k8s-render.js';

export { CHART_DIR, HELM_BIN, REPO_ROOT };
export const KUBECTL_BIN = join(REPO_ROOT, '.tools/kubectl/kubectl');
export const CI_VALUES_DIR = join(CHART_DIR, 'ci');
export const BAD_VALUES_DIR = join(REPO_ROOT, 'test/chart/bad-values');

/** A Kubernetes object as rendered (parsed YAML). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fetches helm + kubectl into .tools/ (cached: instant after the first time). */
export function ensureK8sTools(): void {
  execFileSync('bash', [join(REPO_ROOT, 'scripts/fetch-k8s-tools.sh')], { stdio: 'pipe' });
}

export function run(bin: string, args: readonly string[]): RunResult {
  const result = spawnSync(bin, args, { encoding: 'utf8', cwd: REPO_ROOT });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function helm(args: readonly string[]): RunResult {
  return run(HELM_BIN, args);
}

/** The ci/ value sets (chart-testing convention: ci/*-values.yaml). */
export function ciValueFiles(): string[] {
  return readdirSync(CI_VALUES_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(CI_VALUES_DIR, name));
}

export function parseObjects(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null && typeof object === 'object');
}

/** `helm template` with the given values files / --set args; throws with helm's stderr on failure. */
export function renderChart(
  options: { valuesFiles?: string[]; set?: string[]; release?: string } = {},
): K8sObject[] {
  const args = ['template', options.release ?? 'badgey', CHART_DIR];
  for (const file of options.valuesFiles ?? []) args.push('-f', file);
  for (const assignment of options.set ?? []) args.push('--set', assignment);
  const result = helm(args);
  if (result.code !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${result.stderr}`);
  return parseObjects(result.stdout);
}

export function findObject(objects: K8sObject[], kind: string, nameSuffix = ''): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name.endsWith(nameSuffix));
  if (!found) throw new Error(`no ${kind} rendered (kinds: ${objects.map((o) => o.kind).join(', ')})`);
  return found;
}
