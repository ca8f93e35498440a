/**
 * Keeps the folder-level import graph of src/ acyclic: discord → commands → render / quiz →
 * store / analytics → config, with components/ (custom ids) below render and commands. A folder is
 * a top-level directory of src/; each file directly in src/ (main.ts, log.ts, clock.ts, …) is a
 * node of its own. Type-only imports count: a contract must live below its users either way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../../src');

/** One import that makes an edge, for the failure message. */
type Edges = Map<string, Map<string, string>>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function nodeOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? `${parts[0]}/` : (parts[0] ?? file);
}

/** Folder → folder edges of src/, each with the first import seen that makes it. */
function folderEdges(): Edges {
  const edges: Edges = new Map();
  for (const file of sourceFiles(SRC)) {
    const from = nodeOf(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue; // packages and node: builtins
      const to = nodeOf(resolve(dirname(file), fileName.replace(/\.js$/, '.ts')));
      if (to === from) continue;
      const targets = edges.get(from) ?? new Map<string, string>();
      if (!targets.has(to)) targets.set(to, `${relative(SRC, file)} imports ${fileName}`);
      edges.set(from, targets);
    }
  }
  return edges;
}

/** Strongly connected groups of more than one node (Tarjan): each is a folder-level cycle. */
function cyclicGroups(edges: Edges): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return groups;
}

function describeGroup(edges: Edges, group: string[]): string {
  const members = new Set(group);
  const lines = [...edges]
    .filter(([from]) => members.has(from))
    .flatMap(([from, targets]) =>
      [...targets].filter(([to]) => members.has(to)).map(([to, example]) => `  ${from} → ${to} (${example})`),
    );
  return `cycle between ${group.join(', ')}:\n${lines.join('\n')}`;
}

describe('folder-level imports in src/', () => {
  it('form no cycle', () => {
    const edges = folderEdges();
    expect(edges.size).toBeGreaterThan(5); // the walk found the tree
    const cycles = cyclicGroups(edges).map((group) => describeGroup(edges, group));
    expect(cycles, cycles.join('\n')).toEqual([]);
  });

  it('the detector finds a cycle through three folders and ignores a diamond', () => {
    const graph = (pairs: [string, string][]): Edges => {
      const edges: Edges = new Map();
      for (const [from, to] of pairs) {
        const targets = edges.get(from) ?? new Map<string, string>();
        targets.set(to, `${from}x.ts imports ${to}y.js`);
        edges.set(from, targets);
      }
      return edges;
    };
    expect(
      cyclicGroups(
        graph([
          ['a/', 'b/'],
          ['b/', 'c/'],
          ['c/', 'a/'],
          ['c/', 'd/'],
        ]),
      ),
    ).toEqual([['a/', 'b/', 'c/']]);
    expect(
      cyclicGroups(
        graph([
          ['a/', 'b/'],
          ['a/', 'c/'],
          ['b/', 'd/'],
          ['c/', 'd/'],
        ]),
      ),
    ).toEqual([]);
  });
});
