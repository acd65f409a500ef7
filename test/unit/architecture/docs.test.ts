/**
 * The structure docs stay true to the tree (issue 10): files move, and a doc naming a file that
 * is gone sends the next reader looking for it.
 *  - every file or folder docs/architecture.md names exists (a path without a top folder is under
 *    electron/core/, as the doc says; names with placeholders like `<venue>` are skipped);
 *  - README.md's "Code layout" table has a row for every folder of electron/core/ and every other
 *    top-level source folder, and every folder it names exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TOP_FOLDERS = ['shared', 'electron', 'renderer', 'test', 'bench', 'scripts', 'docs', 'build'];

/** Backticked names that look like a repository path: a folder (`x/`) or a file with an extension. */
function namedPaths(markdown: string): string[] {
  const out = new Set<string>();
  for (const [, name] of markdown.matchAll(/`([^`\s]+)`/g)) {
    if (/[<>{}*:]/.test(name!) || !name!.includes('/')) continue;
    if (/\/$|\.(ts|tsx|js|cjs|mjs|json|md|yml)$/.test(name!)) out.add(name!);
  }
  return [...out];
}

/** Where a name points: as written when it starts with a top folder, else under electron/core/. */
function resolveName(name: string): string {
  const top = name.split('/')[0]!;
  return TOP_FOLDERS.includes(top) ? join(ROOT, name) : join(ROOT, 'electron', 'core', name);
}

/** The "Code layout" section of README.md, up to the next heading. */
function codeLayout(readme: string): string {
  const start = readme.indexOf('### Code layout');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n#', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The folder cell of each table row: `electron/core/runtime/`, `electron/main/`, `electron/preload/`... */
function tableFolders(section: string): string[] {
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) => [...l.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

function subfolders(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${dir}/${e.name}/`);
}

describe('docs/architecture.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');

  it('names only files and folders that exist', () => {
    const names = namedPaths(doc);
    expect(names.length).toBeGreaterThan(60); // the check reads the doc's paths (not vacuous)
    expect(names.filter((n) => !existsSync(resolveName(n)))).toEqual([]);
  });

  it('has the sections code comments cite', () => {
    const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    for (const cited of ['Layers', 'From socket to pixel', 'Normalisation', 'Backpressure', 'Reliability', 'Security']) {
      expect(headings).toContain(cited);
    }
  });
});

describe('README.md, Code layout', () => {
  const folders = tableFolders(codeLayout(readFileSync(join(ROOT, 'README.md'), 'utf8')));

  it('lists every folder of the core and every top-level source folder', () => {
    const expected = [
      ...subfolders('electron/core'),
      ...subfolders('electron').filter((f) => f !== 'electron/core/'),
      ...TOP_FOLDERS.filter((f) => f !== 'electron').map((f) => `${f}/`),
    ];
    expect(expected.filter((f) => !folders.includes(f))).toEqual([]);
  });

  it('names only folders and files that exist', () => {
    expect(folders.length).toBeGreaterThan(20);
    expect(folders.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
  });
});
