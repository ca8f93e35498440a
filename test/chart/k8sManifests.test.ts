import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { K8S_DIR, renderK8sManifests, TOKEN_PLACEHOLDER } from '../../scripts/k8s-render.js';
import { ensureK8sTools, type K8sObject, KUBECTL_BIN, parseObjects, run } from './helm.js';
import { checkObjects } from './manifestChecks.js';

const committedFiles = (): string[] =>
  readdirSync(K8S_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort();

beforeAll(() => ensureK8sTools());

describe('k8s/ (plain manifests for kubectl apply -k)', () => {
  it('matches a fresh render of the chart defaults (run `make k8s` after changing the chart)', () => {
    const fresh = renderK8sManifests();
    expect(committedFiles()).toEqual([...fresh.keys()].sort());
    for (const [name, content] of fresh) {
      expect(readFileSync(join(K8S_DIR, name), 'utf8'), `k8s/${name} drifted from the chart`).toBe(content);
    }
  });

  it('every manifest passes kubernetes-models and the unknown-field check', async () => {
    const objects: K8sObject[] = [];
    for (const name of committedFiles().filter((file) => file !== 'kustomization.yaml')) {
      objects.push(...parseObjects(readFileSync(join(K8S_DIR, name), 'utf8')));
    }
    expect(objects.map((object) => object.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PersistentVolumeClaim',
      'Secret',
      'Service',
      'ServiceAccount',
    ]);
    expect(await checkObjects(objects)).toEqual([]);
  });

  it('`kubectl kustomize k8s/` builds every resource offline', () => {
    const result = run(KUBECTL_BIN, ['kustomize', K8S_DIR]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const kinds = parseObjects(result.stdout).map((object) => object.kind);
    expect(kinds.sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PersistentVolumeClaim',
      'Secret',
      'Service',
      'ServiceAccount',
    ]);
  });

  it('ships a placeholder token, never a real one', () => {
    const secret = parseObjects(readFileSync(join(K8S_DIR, 'secret.yaml'), 'utf8'))[0] as K8sObject & {
      stringData: Record<string, string>;
    };
    expect(secret.stringData).toEqual({ DISCORD_TOKEN: TOKEN_PLACEHOLDER });
  });
});
