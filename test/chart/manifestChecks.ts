/**
 * Offline checks of rendered Kubernetes objects (no API server here):
 * - validateWithModels: kubernetes-models' JSON schemas (types, required fields, enums, formats);
 * - findUnknownFields: a walk against @kubernetes/client-node's per-model attribute maps, because
 *   the schemas allow unknown fields, so a typo such as `periodSecond` would otherwise pass.
 */
import * as clientNode from '@kubernetes/client-node';
import type { K8sObject } from './helm.js';

interface Attribute {
  baseName: string;
  type: string;
}

/** What a model class exposes: client-node models carry `static attributeTypeMap`. */
interface ModelClass {
  attributeTypeMap?: Attribute[];
}

interface ValidatingModel {
  validate(): void;
}
type ModelConstructor = new (data: unknown) => ValidatingModel;

/** Module path of the kubernetes-models class for an object's apiVersion + kind. */
function modelModulePath(apiVersion: string, kind: string): string {
  if (apiVersion === 'monitoring.coreos.com/v1') {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`;
  }
  return apiVersion.includes('/')
    ? `kubernetes-models/${apiVersion}/${kind}`
    : `kubernetes-models/v1/${kind}`;
}

/** Schema errors for one object ([] when valid); an unknown apiVersion/kind is an error too. */
export async function validateWithModels(object: K8sObject): Promise<string[]> {
  const where = `${object.kind}/${object.metadata?.name}`;
  let Model: ModelConstructor | undefined;
  try {
    const module = (await import(modelModulePath(object.apiVersion, object.kind))) as Record<string, unknown>;
    Model = module[object.kind] as ModelConstructor | undefined;
  } catch {
    Model = undefined;
  }
  if (!Model) return [`${where}: no kubernetes-models class for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
}

/**
 * Attribute maps for the Prometheus Operator ServiceMonitor and PrometheusRule (CRDs, not in
 * client-node), listed from @kubernetes-models/prometheus-operator's .d.ts files (v6.0.0).
 */
const field = (baseName: string, type = 'any'): Attribute => ({ baseName, type });
const EXTRA_MODELS: Record<string, Attribute[]> = {
  MonitoringV1ServiceMonitor: [
    field('apiVersion', 'string'),
    field('kind', 'string'),
    field('metadata', 'V1ObjectMeta'),
    field('spec', 'MonitoringV1ServiceMonitorSpec'),
  ],
  MonitoringV1ServiceMonitorSpec: [
    ...'attachMetadata bodySizeLimit convertClassicHistogramsToNHCB fallbackScrapeProtocol jobLabel keepDroppedTargets labelLimit labelNameLengthLimit labelValueLengthLimit nativeHistogramBucketLimit nativeHistogramMinBucketFactor podTargetLabels sampleLimit scrapeClass scrapeClassicHistograms scrapeNativeHistograms scrapeProtocols selectorMechanism serviceDiscoveryRole targetLabels targetLimit'
      .split(' ')
      .map((name) => field(name)),
    field('selector', 'V1LabelSelector'),
    field('namespaceSelector', 'MonitoringV1NamespaceSelector'),
    field('endpoints', 'Array<MonitoringV1Endpoint>'),
  ],
  MonitoringV1NamespaceSelector: [field('any', 'boolean'), field('matchNames', 'Array<string>')],
  // PrometheusRule, from PrometheusRuleSpec.d.ts, RuleGroup.d.ts and Rule.d.ts (v6.0.0).
  MonitoringV1PrometheusRule: [
    field('apiVersion', 'string'),
    field('kind', 'string'),
    field('metadata', 'V1ObjectMeta'),
    field('spec', 'MonitoringV1PrometheusRuleSpec'),
  ],
  MonitoringV1PrometheusRuleSpec: [field('groups', 'Array<MonitoringV1RuleGroup>')],
  MonitoringV1RuleGroup: [
    ...'interval labels limit name partial_response_strategy query_offset'
      .split(' ')
      .map((name) => field(name)),
    field('rules', 'Array<MonitoringV1Rule>'),
  ],
  MonitoringV1Rule: 'alert annotations expr for keep_firing_for labels record'
    .split(' ')
    .map((name) => field(name)),
  MonitoringV1Endpoint:
    'authorization basicAuth bearerTokenFile bearerTokenSecret enableHttp2 filterRunning followRedirects honorLabels honorTimestamps interval metricRelabelings noProxy oauth2 params path port proxyConnectHeader proxyFromEnvironment proxyUrl relabelings scheme scrapeTimeout targetPort tlsConfig trackTimestampsStaleness'
      .split(' ')
      .map((name) => field(name)),
};

function attributesOf(typeName: string): Attribute[] | undefined {
  const extra = EXTRA_MODELS[typeName];
  if (extra) return extra;
  const model = (clientNode as unknown as Record<string, ModelClass | undefined>)[typeName];
  return model?.attributeTypeMap;
}

/** client-node model name of a top-level object: apps/v1 Deployment -> V1Deployment. */
function rootTypeName(apiVersion: string, kind: string): string {
  if (apiVersion === 'monitoring.coreos.com/v1') return `MonitoringV1${kind}`;
  const version = apiVersion.split('/').at(-1) ?? apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

function walk(value: unknown, typeName: string, path: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array) {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, array[1]!, `${path}[${i}]`, problems);
    }
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map) {
    if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, map[1]!, `${path}.${key}`, problems);
    }
    return;
  }
  const attributes = attributesOf(typeName);
  if (!attributes || typeof value !== 'object' || Array.isArray(value)) return; // primitive, any, IntOrString…
  for (const [key, item] of Object.entries(value)) {
    const attribute = attributes.find((candidate) => candidate.baseName === key);
    if (!attribute) {
      problems.push(`${path}.${key}: unknown field (not in ${typeName})`);
      continue;
    }
    walk(item, attribute.type, `${path}.${key}`, problems);
  }
}

/** Every key of the object that its Kubernetes model does not define. */
export function findUnknownFields(object: K8sObject): string[] {
  const typeName = rootTypeName(object.apiVersion, object.kind);
  if (!attributesOf(typeName)) return [`${object.kind}: no attribute map for ${typeName}`];
  const problems: string[] = [];
  walk(object, typeName, object.kind, problems);
  return problems;
}

/** Both checks for many objects; the list of every problem found. */
export async function checkObjects(objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    problems.push(...(await validateWithModels(object)), ...findUnknownFields(object));
  }
  return problems;
}
