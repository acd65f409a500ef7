/**
 * The folders of the core import each other in one direction only (issue 10): no cycle between
 * folders (a folder counts with its subfolders: adapters/binance/ is part of adapters/), and no
 * cycle between files anywhere in electron/ and shared/. A cycle is how "one job per folder"
 * erodes: history reaching into the pipeline that drives it, an adapter importing history.
 *
 * Imports are read from the source text (static `import`/`export ... from`, side-effect imports
 * and dynamic `import()`), type-only imports included: they are a dependency all the same.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CORE = join(ROOT, 'electron', 'core');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** The file a relative specifier names (extensionless, as the code writes them), or null. */
function resolve(from: string, spec: string): string | null {
  const base = normalize(join(dirname(from), spec.replace(/\.js$/, '')));
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
      const target = resolve(f, (m[1] ?? m[2] ?? m[3])!);
      if (target !== null) deps.push(target);
    }
    graph.set(f, deps);
  }
  return graph;
}

/** Strongly connected components with more than one node (Tarjan), each as a list of nodes. */
function cycles(graph: Map<string, Iterable<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** `electron/core/adapters/binance/stream.ts` -> `electron/core/adapters`; shared/ and other trees likewise by their first folder. */
function folderOf(file: string): string {
  const rel = relative(ROOT, file).split(sep);
  if (rel[0] === 'electron' && rel[1] === 'core') return rel.length > 3 ? `electron/core/${rel[2]}` : 'electron/core';
  return rel.length > 2 ? `${rel[0]}/${rel[1]}` : rel[0]!;
}

const files = [...sourceFiles(join(ROOT, 'electron')), ...sourceFiles(join(ROOT, 'shared'))];
const graph = importGraph(files);

describe('import cycles', () => {
  it('reads the imports (the check is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(100);
    const registry = graph.get(join(CORE, 'adapters', 'index.ts'))!;
    expect(registry).toContain(join(CORE, 'adapters', 'binance', 'venue.ts'));
    // A cycle planted in a copy of the graph is found.
    const planted = new Map(graph);
    planted.set(join(CORE, 'adapters', 'adapter.ts'), [...graph.get(join(CORE, 'adapters', 'adapter.ts'))!, join(CORE, 'adapters', 'index.ts')]);
    expect(cycles(planted).length).toBeGreaterThan(0);
  });

  it('no two folders of the core import each other, directly or through others', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, deps] of graph) {
      const from = folderOf(file);
      const set = folders.get(from) ?? new Set<string>();
      for (const d of deps) if (folderOf(d) !== from) set.add(folderOf(d));
      folders.set(from, set);
    }
    const found = cycles(folders);
    const edges = found.map((c) =>
      c.flatMap((a) => c.filter((b) => folders.get(a)!.has(b)).map((b) => {
        const via = [...graph].filter(([f]) => folderOf(f) === a).flatMap(([f, ds]) => ds.filter((d) => folderOf(d) === b).map((d) => `${relative(ROOT, f)} -> ${relative(ROOT, d)}`));
        return `${a} -> ${b} (${via.slice(0, 3).join('; ')})`;
      })),
    );
    expect(edges).toEqual([]);
  });

  it('no file imports itself back through others', () => {
    expect(cycles(graph).map((c) => c.map((f) => relative(ROOT, f)))).toEqual([]);
  });
});
