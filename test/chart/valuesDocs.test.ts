import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  CHART_DIR,
  CHART_README,
  readValueParams,
  renderChartReadme,
  VALUES_FILE,
  valueAt,
} from '../../scripts/k8s-render.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  $ref?: string;
}

const values = parseYaml(readFileSync(VALUES_FILE, 'utf8')) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as SchemaNode & {
  $defs: Record<string, SchemaNode>;
};
const documented = readValueParams().map((param) => param.key);

/** Dotted paths of every leaf value (empty maps and lists count as leaves). */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.keys(value).length === 0
  ) {
    return [prefix];
  }
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

function schemaAt(key: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const part of key.split('.')) {
    while (node?.$ref) node = schema.$defs[node.$ref.replace('#/$defs/', '')];
    node = node?.properties?.[part];
  }
  return node;
}

describe('values.yaml documentation', () => {
  it('documents every value with a ## @param comment (on the key or an enclosing key)', () => {
    const undocumented = leafPaths(values).filter(
      (path) => !documented.some((key) => path === key || path.startsWith(`${key}.`)),
    );
    expect(undocumented).toEqual([]);
  });

  it('every @param names an existing value that the schema also knows', () => {
    for (const key of documented) {
      expect(valueAt(values, key), `@param ${key} is not in values.yaml`).not.toBeUndefined();
      expect(schemaAt(key), `@param ${key} is not in values.schema.json`).toBeDefined();
    }
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('the schema forbids unknown keys on every object it defines', () => {
    const open: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.properties && record.additionalProperties !== false) open.push(path);
      for (const [key, child] of Object.entries(record)) visit(child, `${path}/${key}`);
    };
    visit(schema, '');
    expect(open).toEqual([]);
  });

  it('the chart README parameters table is up to date (run `make k8s`)', () => {
    expect(readFileSync(CHART_README, 'utf8')).toBe(renderChartReadme());
  });
});
