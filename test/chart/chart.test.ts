import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_ENV_NAMES, CONFIG_KEYS } from '../../src/config/configKeys.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import {
  BAD_VALUES_DIR,
  CHART_DIR,
  ciValueFiles,
  ensureK8sTools,
  findObject,
  helm,
  type K8sObject,
  renderChart,
} from './helm.js';
import { checkObjects, findUnknownFields, validateWithModels } from './manifestChecks.js';

// Loose views of the rendered objects: the tests read the fields they assert on.
interface Probe {
  httpGet: { path: string; port: string | number };
  successThreshold?: number;
}
interface Container {
  name: string;
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  envFrom?: { secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  volumes: {
    name: string;
    configMap?: { name: string };
    persistentVolumeClaim?: unknown;
    emptyDir?: unknown;
  }[];
  securityContext: Record<string, unknown>;
  terminationGracePeriodSeconds: number;
  automountServiceAccountToken: boolean;
  serviceAccountName: string;
}
interface Workload extends K8sObject {
  spec: {
    replicas: number;
    strategy?: { type: string };
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: PodSpec;
    };
    volumeClaimTemplates?: { metadata: { name: string } }[];
  };
}

const SECRET_KEYS = CONFIG_KEYS.filter((key) => key.secret).map((key) => key.env);
const valueSets = (): { name: string; files: string[] }[] => [
  { name: 'defaults', files: [] },
  ...ciValueFiles().map((file) => ({ name: basename(file), files: [file] })),
];

function workloadOf(objects: K8sObject[]): Workload {
  const workload = objects.find((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet');
  if (!workload) throw new Error('no Deployment or StatefulSet rendered');
  return workload as Workload;
}
const botContainer = (workload: Workload): Container => workload.spec.template.spec.containers[0]!;
function configFileOf(objects: K8sObject[]): Record<string, unknown> {
  const configMap = findObject(objects, 'ConfigMap') as K8sObject & { data: Record<string, string> };
  return parseYaml(configMap.data['config.yaml']!) as Record<string, unknown>;
}
/** The expected message of a bad values file: its first line, `# expect: <message>`. */
function expectedMessage(file: string): string {
  const match = /^# expect: (.+)$/m.exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`${file} has no "# expect: <message>" line`);
  return match[1]!;
}

beforeAll(() => ensureK8sTools());

describe('helm lint --strict', () => {
  it('has the five required ci/ value sets', () => {
    const names = ciValueFiles().map((file) => basename(file));
    for (const required of [
      'existing-secret-values.yaml',
      'postgresql-values.yaml',
      'persistence-off-values.yaml',
      'monitoring-on-values.yaml',
      'networkpolicy-on-values.yaml',
    ]) {
      expect(names).toContain(required);
    }
  });

  it.each(valueSets())('passes for $name', ({ files }) => {
    const result = helm(['lint', '--strict', CHART_DIR, ...files.flatMap((file) => ['-f', file])]);
    expect(result.stdout + result.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it('refuses Kubernetes older than the chart kubeVersion (1.28, for the pod-index label)', () => {
    const result = helm(['template', 'badgey', CHART_DIR, '--kube-version', '1.27']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('chart requires kubeVersion: >=1.28.0-0');
  });
});

describe('deliberately bad values', () => {
  const badFiles = readdirSync(BAD_VALUES_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(BAD_VALUES_DIR, name));

  it('exist for schema and validateValues rules', () => {
    expect(badFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(badFiles.map((file) => ({ name: basename(file), file })))(
    '$name fails with its message',
    ({ file }) => {
      const message = expectedMessage(file);
      const template = helm(['template', 'badgey', CHART_DIR, '-f', file]);
      expect(template.code).not.toBe(0);
      expect(template.stderr).toContain(message);
      // Schema violations also fail `helm lint`. (helm 4 lint logs a template's `fail` at INFO level
      // and passes, so validateValues rules are asserted through `helm template` above.)
      if (message.startsWith("at '/")) {
        const lint = helm(['lint', '--strict', CHART_DIR, '-f', file]);
        expect(lint.code).not.toBe(0);
        expect(lint.stdout + lint.stderr).toContain(`[ERROR] values.yaml: - ${message}`);
      }
    },
  );
});

describe('rendered objects', () => {
  it.each(valueSets())('pass kubernetes-models and the unknown-field check ($name)', async ({ files }) => {
    const objects = renderChart({ valuesFiles: files });
    expect(objects.length).toBeGreaterThan(4);
    expect(await checkObjects(objects)).toEqual([]);
  });

  it('the unknown-field check catches a misspelt probe field that kubernetes-models accepts', async () => {
    const deployment = structuredClone(findObject(renderChart(), 'Deployment')) as Workload;
    const container = botContainer(deployment) as Container & { readinessProbe: Record<string, unknown> };
    container.readinessProbe.periodSecond = 5;
    (deployment.spec.template.spec as unknown as Record<string, unknown>).terminationGracePeriodSecond = 30;
    expect(await validateWithModels(deployment)).toEqual([]);
    expect(findUnknownFields(deployment).sort()).toEqual([
      'Deployment.spec.template.spec.containers[0].readinessProbe.periodSecond: unknown field (not in V1Probe)',
      'Deployment.spec.template.spec.terminationGracePeriodSecond: unknown field (not in V1PodSpec)',
    ]);
  });

  it('kubernetes-models catches wrong types and missing required fields', async () => {
    const deployment = structuredClone(findObject(renderChart(), 'Deployment')) as Workload;
    const probe = botContainer(deployment).livenessProbe as unknown as { httpGet: Record<string, unknown> };
    probe.httpGet = { path: '/health', prot: 'http' };
    (deployment.spec as unknown as Record<string, unknown>).replicas = 'one';
    const problems = (await validateWithModels(deployment)).join('\n');
    expect(problems).toContain('must have required property');
    expect(problems).toContain('must be integer');
  });

  it('the unknown-field check covers the ServiceMonitor CRD too', () => {
    const monitor = structuredClone(
      findObject(
        renderChart({ valuesFiles: [join(CHART_DIR, 'ci/monitoring-on-values.yaml')] }),
        'ServiceMonitor',
      ),
    ) as K8sObject & { spec: { endpoints: Record<string, unknown>[] } };
    monitor.spec.endpoints[0]!.scrapeInterval = '30s';
    expect(findUnknownFields(monitor)).toEqual([
      'ServiceMonitor.spec.endpoints[0].scrapeInterval: unknown field (not in MonitoringV1Endpoint)',
    ]);
  });
});

describe('workload', () => {
  it('is a single-replica Deployment with the Recreate strategy by default', () => {
    const objects = renderChart();
    const deployment = findObject(objects, 'Deployment') as Workload;
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(objects.some((object) => object.kind === 'StatefulSet')).toBe(false);
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'badgey',
      'app.kubernetes.io/instance': 'badgey',
    });
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('with sharding, is a StatefulSet whose pod ordinal is its shard id', () => {
    const objects = renderChart({ valuesFiles: [join(CHART_DIR, 'ci/sharding-values.yaml')] });
    expect(objects.some((object) => object.kind === 'Deployment')).toBe(false);
    const statefulSet = findObject(objects, 'StatefulSet') as Workload;
    expect(statefulSet.spec.replicas).toBe(3);
    const env = botContainer(statefulSet).env ?? [];
    expect(env.find((entry) => entry.name === 'SHARD_IDS')?.valueFrom?.fieldRef?.fieldPath).toBe(
      "metadata.labels['apps.kubernetes.io/pod-index']",
    );
    expect(env.find((entry) => entry.name === 'SHARD_COUNT')?.value).toBe('3');
    expect(statefulSet.spec.volumeClaimTemplates?.map((claim) => claim.metadata.name)).toEqual(['data']);
  });

  it.each(valueSets())(
    'probes /health (startup, liveness) and /ready (readiness) on the http port ($name)',
    ({ files }) => {
      const objects = renderChart({ valuesFiles: files });
      const container = botContainer(workloadOf(objects));
      expect(container.startupProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(container.startupProbe?.successThreshold).toBe(1);
      expect(container.livenessProbe?.successThreshold).toBe(1);
      // The named port is the port the bot listens on: HEALTH_PORT from the mounted config file.
      expect(container.ports).toEqual([
        { name: 'http', containerPort: configFileOf(objects).HEALTH_PORT, protocol: 'TCP' },
      ]);
      const service = findObject(objects, 'Service') as K8sObject & {
        spec: { ports: { targetPort: string }[] };
      };
      expect(service.spec.ports[0]?.targetPort).toBe('http');
    },
  );

  it("sizes V8's heap from the memory limit (NODE_OPTIONS), so the pod collects garbage instead of being OOM-killed", () => {
    // Issue 12 item 4: nothing sized the heap to the container; a queue burst reached 794 MB
    // against the 384Mi limit.
    const nodeOptions = (set: string[] = []) =>
      botContainer(workloadOf(renderChart({ set })))
        .env?.filter((entry) => entry.name === 'NODE_OPTIONS')
        .map((entry) => entry.value);
    expect(nodeOptions()).toEqual(['--max-old-space-size=268']); // 70 % of the default 384Mi
    expect(nodeOptions(['resources.limits.memory=1Gi'])).toEqual(['--max-old-space-size=716']);
    expect(nodeOptions(['resources.limits.memory=512M', 'nodeHeap.percentOfMemoryLimit=50'])).toEqual([
      '--max-old-space-size=244',
    ]);
    expect(nodeOptions(['resources.limits.memory=1.5Gi'])).toEqual(['--max-old-space-size=1075']);
    expect(nodeOptions(['resources.limits.memory='])).toEqual([]); // no limit: Node's own default
    expect(nodeOptions(['nodeHeap.percentOfMemoryLimit=0'])).toEqual([]);
    // The operator's own NODE_OPTIONS wins, and is not doubled.
    expect(
      nodeOptions(['extraEnv[0].name=NODE_OPTIONS', 'extraEnv[0].value=--max-old-space-size=100']),
    ).toEqual(['--max-old-space-size=100']);
  });

  it('probe timings are tunable from values', () => {
    const container = botContainer(
      workloadOf(renderChart({ set: ['probes.readiness.periodSeconds=7', 'probes.liveness.enabled=false'] })),
    );
    expect(container.readinessProbe).toMatchObject({ periodSeconds: 7 });
    expect(container.livenessProbe).toBeUndefined();
  });

  it.each(valueSets())(
    'terminationGracePeriodSeconds exceeds shutdown delay + timeout ($name)',
    ({ files }) => {
      const objects = renderChart({ valuesFiles: files });
      const config = configFileOf(objects);
      const grace = workloadOf(objects).spec.template.spec.terminationGracePeriodSeconds;
      expect(grace).toBeGreaterThan(
        Number(config.SHUTDOWN_DELAY_SECONDS) + Number(config.SHUTDOWN_TIMEOUT_SECONDS),
      );
    },
  );

  it.each(valueSets())(
    'runs locked down: non-root, read-only root, no capabilities, no SA token ($name)',
    ({ files }) => {
      const objects = renderChart({ valuesFiles: files });
      const pod = workloadOf(objects).spec.template.spec;
      const container = botContainer(workloadOf(objects));
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        fsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(container.resources.requests).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources.limits?.memory).toEqual(expect.any(String));
      const serviceAccount = objects.find((object) => object.kind === 'ServiceAccount') as
        | (K8sObject & { automountServiceAccountToken: boolean })
        | undefined;
      expect(serviceAccount?.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe(serviceAccount?.metadata.name);
    },
  );
});

describe('configuration and secrets', () => {
  it.each(valueSets())(
    'the config file is a read-only ConfigMap mount named by BADGEY_CONFIG ($name)',
    ({ files }) => {
      const objects = renderChart({ valuesFiles: files });
      const workload = workloadOf(objects);
      const container = botContainer(workload);
      const configMap = findObject(objects, 'ConfigMap');
      const volume = workload.spec.template.spec.volumes.find(
        (entry) => entry.configMap?.name === configMap.metadata.name,
      );
      const mount = container.volumeMounts.find((entry) => entry.name === volume?.name);
      expect(mount).toMatchObject({ mountPath: '/etc/badgey', readOnly: true });
      expect(container.env?.find((entry) => entry.name === 'BADGEY_CONFIG')?.value).toBe(
        '/etc/badgey/config.yaml',
      );
      expect(Object.keys((configMap as K8sObject & { data: object }).data)).toEqual(['config.yaml']);
    },
  );

  it.each(valueSets())(
    'every key of the config file is known to the config loader, and none is a secret ($name)',
    ({ files }) => {
      const config = configFileOf(renderChart({ valuesFiles: files }));
      for (const key of Object.keys(config)) {
        expect(CONFIG_ENV_NAMES.has(key), `${key} is not a key of src/config/configKeys.ts`).toBe(true);
        expect(SECRET_KEYS, `${key} is a secret`).not.toContain(key);
      }
    },
  );

  it.each(valueSets())('the config loader accepts the rendered config file as it is ($name)', ({ files }) => {
    const dir = mkdtempSync(join(tmpdir(), 'badgey-chart-config-'));
    try {
      const configMap = findObject(renderChart({ valuesFiles: files }), 'ConfigMap') as K8sObject & {
        data: Record<string, string>;
      };
      writeFileSync(join(dir, 'config.yaml'), configMap.data['config.yaml']!);
      const config = loadConfig({ env: { BADGEY_CONFIG: join(dir, 'config.yaml') }, cwd: dir });
      expect(config.healthPort).toBe(8080);
      expect(config.analyticsExportDir).toBe('/data/analytics');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the values schema allows only loader keys in config, and no secret ones', () => {
    const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as {
      properties: { config: { properties: Record<string, unknown>; additionalProperties: boolean } };
    };
    expect(schema.properties.config.additionalProperties).toBe(false);
    for (const key of Object.keys(schema.properties.config.properties)) {
      expect(CONFIG_ENV_NAMES.has(key), `${key} is not a config key`).toBe(true);
      expect(SECRET_KEYS).not.toContain(key);
    }
  });

  it('the schema bounds of numeric config keys are exactly the config loader bounds', () => {
    const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as {
      properties: {
        config: { properties: Record<string, { type?: string; minimum?: number; maximum?: number }> };
      };
    };
    const emptyDir = mkdtempSync(join(tmpdir(), 'badgey-bounds-')); // no .env there
    const accepts = (key: string, value: number): boolean => {
      try {
        loadConfig({ env: { [key]: String(value) }, cwd: emptyDir });
        return true;
      } catch {
        return false;
      }
    };
    const numeric = Object.entries(schema.properties.config.properties).filter(
      ([, rule]) => rule.type === 'integer',
    );
    expect(numeric.length).toBeGreaterThanOrEqual(8);
    for (const [key, rule] of numeric) {
      expect(rule.minimum, `${key} has no minimum`).toBeTypeOf('number');
      expect(rule.maximum, `${key} has no maximum`).toBeTypeOf('number');
      expect([key, accepts(key, rule.minimum!), accepts(key, rule.maximum!)]).toEqual([key, true, true]);
      expect([key, accepts(key, rule.minimum! - 1), accepts(key, rule.maximum! + 1)]).toEqual([
        key,
        false,
        false,
      ]);
    }
    rmSync(emptyDir, { recursive: true });
  });

  it('a config change changes the checksum annotation, so the pod rolls', () => {
    const before = workloadOf(renderChart()).spec.template.metadata.annotations['checksum/config'];
    const after = workloadOf(renderChart({ set: ['config.LOG_LEVEL=debug'] })).spec.template.metadata
      .annotations['checksum/config'];
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  it('secrets come from the chart Secret via envFrom, never from the ConfigMap', () => {
    const objects = renderChart({ valuesFiles: [join(CHART_DIR, 'ci/postgresql-values.yaml')] });
    const secret = findObject(objects, 'Secret') as K8sObject & { stringData: Record<string, string> };
    expect(Object.keys(secret.stringData).sort()).toEqual([
      'ANALYTICS_SALT',
      'DATABASE_URL',
      'DISCORD_TOKEN',
    ]);
    const configText = (findObject(objects, 'ConfigMap') as K8sObject & { data: Record<string, string> })
      .data['config.yaml']!;
    expect(configText).not.toContain('postgres://');
    expect(configText).not.toContain('ci-placeholder');
    expect(botContainer(workloadOf(objects)).envFrom).toEqual([
      { secretRef: { name: secret.metadata.name } },
    ]);
  });

  it('existingSecret replaces the chart Secret', () => {
    const objects = renderChart({ valuesFiles: [join(CHART_DIR, 'ci/existing-secret-values.yaml')] });
    expect(objects.some((object) => object.kind === 'Secret')).toBe(false);
    expect(botContainer(workloadOf(objects)).envFrom).toEqual([{ secretRef: { name: 'badgey-secrets' } }]);
  });
});

describe('storage', () => {
  it.each(valueSets())(
    'the analytics export dir and the SQLite file are on a writable data volume ($name)',
    ({ files }) => {
      const objects = renderChart({ valuesFiles: files });
      const workload = workloadOf(objects);
      const config = configFileOf(objects);
      const exportDir = String(config.ANALYTICS_EXPORT_DIR);
      const mount = botContainer(workload).volumeMounts.find((entry) =>
        `${exportDir}/`.startsWith(`${entry.mountPath}/`),
      );
      expect(mount, `no volume mounted over ${exportDir}`).toBeDefined();
      expect(mount?.readOnly).not.toBe(true);
      const volume = workload.spec.template.spec.volumes.find((entry) => entry.name === mount?.name);
      const fromClaimTemplate = workload.spec.volumeClaimTemplates?.some(
        (claim) => claim.metadata.name === mount?.name,
      );
      expect(Boolean(volume?.persistentVolumeClaim || volume?.emptyDir || fromClaimTemplate)).toBe(true);
      if (config.DATABASE_URL !== undefined) {
        expect(String(config.DATABASE_URL)).toBe(`sqlite:${mount?.mountPath}/badgey.sqlite`);
      }
      // /tmp is writable too (read-only root filesystem)
      expect(botContainer(workload).volumeMounts.some((entry) => entry.mountPath === '/tmp')).toBe(true);
    },
  );

  it('persistence on: a PVC backs /data; off: an emptyDir', () => {
    const on = renderChart();
    const claim = findObject(on, 'PersistentVolumeClaim') as K8sObject & { spec: Record<string, unknown> };
    expect(claim.spec).toMatchObject({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
    const volumes = workloadOf(on).spec.template.spec.volumes;
    expect(volumes.find((volume) => volume.name === 'data')?.persistentVolumeClaim).toEqual({
      claimName: claim.metadata.name,
    });
    const off = renderChart({ valuesFiles: [join(CHART_DIR, 'ci/persistence-off-values.yaml')] });
    expect(off.some((object) => object.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(
      workloadOf(off).spec.template.spec.volumes.find((volume) => volume.name === 'data')?.emptyDir,
    ).toEqual({});
    const existing = renderChart({ set: ['persistence.existingClaim=my-claim'] });
    expect(existing.some((object) => object.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(
      workloadOf(existing).spec.template.spec.volumes.find((volume) => volume.name === 'data')
        ?.persistentVolumeClaim,
    ).toEqual({ claimName: 'my-claim' });
  });
});

describe('NOTES.txt', () => {
  it.each(valueSets())(
    'tells how to check readiness, read logs, metrics and analytics exports ($name)',
    ({ files }) => {
      const args = ['install', 'badgey', CHART_DIR, '--dry-run=client', '--namespace', 'bots'];
      const result = helm([...args, ...files.flatMap((file) => ['-f', file])]);
      expect(result.code, result.stderr).toBe(0);
      const notes = result.stdout.slice(result.stdout.indexOf('NOTES:'));
      expect(notes).toContain('helm test badgey -n bots');
      expect(notes).toContain('localhost:8080/ready');
      expect(notes).toContain('logs -l app.kubernetes.io/instance=badgey');
      expect(notes).toContain('http://badgey.bots.svc:8080/metrics');
      expect(notes).toContain('/data/analytics/analytics-latest.json');
    },
  );

  it('warns when no Discord token is configured', () => {
    const result = helm(['install', 'badgey', CHART_DIR, '--dry-run=client']);
    expect(result.stdout).toContain('WARNING: no Discord token');
    const withToken = helm([
      'install',
      'badgey',
      CHART_DIR,
      '--dry-run=client',
      '--set',
      'secrets.DISCORD_TOKEN=t',
    ]);
    expect(withToken.stdout).not.toContain('WARNING: no Discord token');
  });
});

describe('service, monitoring, network policy, helm test', () => {
  it('the ServiceMonitor scrapes /metrics on the http port of the Service', () => {
    const objects = renderChart({ valuesFiles: [join(CHART_DIR, 'ci/monitoring-on-values.yaml')] });
    const monitor = findObject(objects, 'ServiceMonitor') as K8sObject & {
      spec: { selector: { matchLabels: object }; endpoints: object[] };
    };
    const service = findObject(objects, 'Service') as K8sObject & { spec: { selector: object } };
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(monitor.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(monitor.spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' },
    ]);
    expect(workloadOf(objects).spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
    expect(findObject(objects, 'PodDisruptionBudget')).toBeDefined();
  });

  it('the NetworkPolicy allows egress to DNS and 443 only', () => {
    const objects = renderChart({ valuesFiles: [join(CHART_DIR, 'ci/networkpolicy-on-values.yaml')] });
    const policy = findObject(objects, 'NetworkPolicy') as K8sObject & {
      spec: { egress: { ports: { port: number; protocol: string }[] }[]; ingress: { ports: object[] }[] };
    };
    const egressPorts = policy.spec.egress.flatMap((rule) =>
      rule.ports.map((port) => `${port.port}/${port.protocol}`),
    );
    expect(egressPorts.sort()).toEqual(['443/TCP', '53/TCP', '53/UDP']);
    expect(policy.spec.ingress).toHaveLength(1);
    expect(policy.spec.ingress[0]?.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
  });

  it('the helm test pod checks /ready through the Service and is not itself a Service endpoint', () => {
    const objects = renderChart();
    const testPod = objects.find((object) => object.kind === 'Pod') as K8sObject & {
      spec: { containers: { env: { name: string; value: string }[]; command: string[] }[] };
    };
    const service = findObject(objects, 'Service') as K8sObject & {
      spec: { selector: Record<string, string>; ports: { port: number }[] };
    };
    expect(testPod.metadata.annotations?.['helm.sh/hook']).toBe('test');
    const url = testPod.spec.containers[0]?.env.find((entry) => entry.name === 'READY_URL')?.value;
    expect(url).toBe(`http://${service.metadata.name}:${service.spec.ports[0]?.port}/ready`);
    expect(testPod.spec.containers[0]?.command.slice(0, 2)).toEqual(['node', '-e']);
    const matchesService = Object.entries(service.spec.selector).every(
      ([key, value]) => testPod.metadata.labels?.[key] === value,
    );
    expect(matchesService).toBe(false);
  });
});
