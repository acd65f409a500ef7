/**
 * The Electron shell itself: runs only where an Electron binary is installed (it is downloaded on
 * first `npm start`; CI machines here cannot fetch it). Everything the shell does is also covered
 * without Electron: the UI in Chromium (other specs) and the IPC checks (test/unit/shell).
 */
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary(): string | null {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const bin = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
test.skip(!binary, 'Electron binary not installed (npm start downloads it; this machine cannot reach its host): shell tests skipped');

let app: ElectronApplication;

test.beforeAll(async () => {
  const userData = mkdtempSync(join(tmpdir(), 'tickscope-electron-'));
  app = await electron.launch({
    executablePath: binary!,
    args: ['.', `--user-data-dir=${userData}`, '--no-sandbox'],
  });
});

test.afterAll(async () => {
  await app?.close();
});

test('the window opens on the app:// page with live prices through the MessagePort', async () => {
  const page = await app.firstWindow();
  expect(page.url()).toMatch(/^app:\/\/tickscope\//);
  await expect(page.getByRole('table', { name: /markets|watchlist/i })).toContainText('BTC-USDT', { timeout: 20_000 });
});

test('security settings hold: no Node in the page, only the preload marker crosses the bridge', async () => {
  const page = await app.firstWindow();
  const seen = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    shell: (window as { tickscopeShell?: { kind: string } }).tickscopeShell?.kind,
    ipc: typeof (window as { ipcRenderer?: unknown }).ipcRenderer,
  }));
  expect(seen).toEqual({ require: 'undefined', process: 'undefined', shell: 'electron', ipc: 'undefined' });
  const csp = await page.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
  expect(csp).toContain("default-src 'self'");
});

test('navigation away from the app and new windows are blocked', async () => {
  const page = await app.firstWindow();
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toMatch(/^app:\/\/tickscope\//);
  await page.evaluate(() => window.open('https://example.com/'));
  await page.waitForTimeout(500);
  expect(app.windows()).toHaveLength(1);
});
