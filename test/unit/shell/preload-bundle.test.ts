/**
 * The preload imports its channel names from shared/ipc-channels.ts. A sandboxed preload can
 * require only a few built-ins, so this builds it as electron-vite does (one CommonJS file;
 * `electron`, Node built-ins and package dependencies left as require() calls) and checks that the shared module is inlined (the bundle
 * requires nothing but `electron`) and that the names main and the page use are the ones it relays.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { PORT_MESSAGE, PORT_REQUEST } from '../../../shared/ipc-channels';

const root = resolve(__dirname, '../../..');
const dependencies = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {});
const outDir = mkdtempSync(join(tmpdir(), 'tickscope-preload-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the preload bundle', () => {
  it('inlines the shared channel names and requires only electron', async () => {
    await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: { entry: join(root, 'electron/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
        rollupOptions: {
          external: (id) => id === 'electron' || id.startsWith('node:') || builtinModules.includes(id) || dependencies.some((d) => id === d || id.startsWith(`${d}/`)),
        },
      },
    });
    const code = readFileSync(join(outDir, 'index.cjs'), 'utf8');
    const required = [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(code).toContain(JSON.stringify(PORT_REQUEST));
    expect(code).toContain(JSON.stringify(PORT_MESSAGE));
    // The wire names themselves: main (test/unit/shell/main-ipc.test.ts) and the page agree on these.
    expect([PORT_REQUEST, PORT_MESSAGE]).toEqual(['tickscope:request-port', 'tickscope:port']);
  });
});
