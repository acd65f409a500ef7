/**
 * The layers are enforced by the build (issue 10), so a deliberate violation must fail it:
 *  - ESLint (eslint.config.js, run by `npm run lint`) reports an import across a layer boundary,
 *    `electron` outside electron/main and electron/preload, a Node built-in in shared/ or the
 *    renderer, and an eslint-disable without a reason;
 *  - the per-layer tsconfigs (run by `npm run typecheck`) reject the globals a layer does not have:
 *    Node's in shared/ and the renderer, the DOM's in shared/ and the core.
 * Lint fixtures are linted as text under a path in the layer (nothing is written to the tree);
 * type fixtures are written to a temporary folder under node_modules/.cache, which no tsconfig
 * and no lint run of the tree includes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('ESLint: layer boundaries', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  /** `rule: message` of each problem ESLint reports for `code` as the file at `path`. */
  async function problems(path: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
  }

  it('reports a Node built-in in shared/ and in the renderer, with or without node:', async () => {
    expect(await problems('shared/zz-fixture.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: 'node:fs'.*Node built-ins are not available/),
    ]);
    expect(await problems('renderer/src/lib/zz-fixture.ts', "import { join } from 'path';\nexport const j = join;\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: 'path'/),
    ]);
  });

  it('reports shared/ importing the renderer or the core', async () => {
    const found = await problems(
      'shared/zz-fixture.ts',
      "import { App } from '../renderer/src/App';\nimport { CoreApp } from '../electron/core/app';\nexport const x = [App, CoreApp];\n",
    );
    expect(found).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: .*"shared" to elements of type "renderer"/),
      expect.stringMatching(/^boundaries\/dependencies: .*"shared" to elements of type "core"/),
    ]);
  });

  it('reports electron in the core and the web host, and the core importing the renderer or the web host', async () => {
    expect(await problems('electron/core/util/zz-fixture.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: 'electron'.*Only electron\/main and electron\/preload/),
    ]);
    expect(await problems('electron/web-host/zz-fixture.ts', "import 'electron';\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: 'electron'/),
    ]);
    const found = await problems(
      'electron/core/util/zz-fixture.ts',
      "import { App } from '../../../renderer/src/App';\nimport type { WebHost } from '../../web-host/server';\nexport const x = App;\nexport type Y = WebHost;\n",
    );
    expect(found).toEqual([
      expect.stringMatching(/"core" to elements of type "renderer"/),
      expect.stringMatching(/"core" to elements of type "web-host"/),
    ]);
  });

  it('reports the renderer importing the core, but not its own file named electron.ts', async () => {
    expect(await problems('renderer/src/lib/zz-fixture.ts', "import { CoreApp } from '../../../electron/core/app';\nexport const c = CoreApp;\n")).toEqual([
      expect.stringMatching(/"renderer" to elements of type "core"/),
    ]);
    expect(await problems('renderer/src/transport/zz-fixture.ts', "import { electronTransport } from './electron';\nexport const t = electronTransport;\n")).toEqual([]);
  });

  it('allows electron in electron/main, and tests that mock it', async () => {
    expect(await problems('electron/main/zz-fixture.ts', "import { app } from 'electron';\nimport { CoreApp } from '../core/app';\nexport const x = [app, CoreApp];\n")).toEqual([]);
    const mockingTest = [
      "import { vi } from 'vitest';",
      "import { fake } from './fake-electron';",
      "vi.mock('electron', async () => (await import('./fake-electron')).electronModule);",
      "export const f = fake;",
      '',
    ].join('\n');
    expect(await problems('test/unit/shell/zz-fixture.test.ts', mockingTest)).toEqual([]);
  });

  it('reports an eslint-disable without a reason, and one that disables nothing', async () => {
    const found = await problems('shared/zz-fixture.ts', "// eslint-disable-next-line no-restricted-imports\nexport const x = 1;\n");
    expect(found).toEqual([
      expect.stringMatching(/^@eslint-community\/eslint-comments\/require-description:/),
      expect.stringMatching(/^parser: Unused eslint-disable directive/),
    ]);
  });
});

describe('tsc: each layer sees only its own globals', () => {
  let dir: string;
  beforeAll(() => {
    // Under the repository so that @types/* resolve as they do for the layer itself.
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'layer-fixture-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The TS error codes `tsc` reports for `code` checked under the layer's tsconfig. */
  function typeErrors(layerConfig: string, name: string, code: string): string[] {
    const file = join(dir, `${name}.ts`);
    const config = join(dir, `${name}.tsconfig.json`);
    writeFileSync(file, code);
    writeFileSync(config, JSON.stringify({ extends: join(ROOT, layerConfig), files: [file], include: [] }));
    try {
      execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', config], { cwd: ROOT, encoding: 'utf8' });
      return [];
    } catch (e) {
      const out = String((e as { stdout?: string }).stdout ?? '');
      return [...out.matchAll(/error (TS\d+): Cannot find name '(\w+)'/g)].map((m) => `${m[1]} ${m[2]}`);
    }
  }

  it('is TypeScript 7 that `tsc` runs (typescript6, for the linter only, must not take its place)', () => {
    expect(execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-v'], { encoding: 'utf8' })).toMatch(/^Version 7\./);
  });

  it('shared/: neither Node nor the DOM', () => {
    const errors = typeErrors('shared/tsconfig.json', 'shared', 'export const a = process.env;\nexport const b = document.title;\nexport const c = [1].at(-1);\n');
    expect(errors).toEqual([expect.stringMatching(/ process$/), expect.stringMatching(/ document$/)]);
  });

  it('renderer/: the DOM, not Node', () => {
    const errors = typeErrors('renderer/tsconfig.json', 'renderer', 'export const a = document.title;\nexport const b = Buffer.from("x");\n');
    expect(errors).toEqual([expect.stringMatching(/ Buffer$/)]);
  });

  it('electron/core: Node, not the DOM', () => {
    const errors = typeErrors('electron/tsconfig.core.json', 'core', 'export const a = Buffer.from("x");\nexport const b = window.location;\n');
    expect(errors).toEqual([expect.stringMatching(/ window$/)]);
  });
});
