/**
 * The app:// handler with real files in a temp folder: our files with the CSP, nothing outside
 * the folder, and every failure an HTTP answer (never a rejection, which Electron would turn
 * into an opaque network error with no cause in any log).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createAppProtocolHandler, type ReadFile } from '../../../electron/main/app-protocol';

vi.mock('electron', () => {
  throw new Error('electron must not be imported by the app:// handler');
});

const base = mkdtempSync(join(tmpdir(), 'tickscope-app-protocol-'));
const rootDir = join(base, 'renderer');
mkdirSync(join(rootDir, 'assets'), { recursive: true });
writeFileSync(join(rootDir, 'index.html'), '<!doctype html><title>Tickscope</title>');
writeFileSync(join(rootDir, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(rootDir, 'assets', 'a b.css'), 'body{}');
writeFileSync(join(base, 'secret.txt'), 'outside the renderer folder');

const CSP = "default-src 'self'";

function handler(read: ReadFile = (p) => readFile(p)) {
  return createAppProtocolHandler({ rootDir, host: 'tickscope', csp: CSP, readFile: read });
}

const get = (url: string, h = handler(), init?: RequestInit) => h(new Request(url, init));

describe('app:// protocol handler', () => {
  it('serves the page and its assets with the CSP and the right type', async () => {
    const page = await get('app://tickscope/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(await page.text()).toContain('<title>Tickscope</title>');
    const script = await get('app://tickscope/assets/index-abc.js?v=1');
    expect([script.status, script.headers.get('content-type'), await script.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    const css = await get('app://tickscope/assets/a%20b.css');
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
  });

  it('answers a path that is not valid percent-encoding with 400 instead of throwing', async () => {
    for (const bad of ['app://tickscope/%zz', 'app://tickscope/%E0%A4%A', 'app://tickscope/assets/%']) {
      const res = await get(bad);
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toMatch(/percent-encoding/);
    }
    expect((await get('app://tickscope/index.html%00.js')).status).toBe(400);
  });

  it('refuses anything outside the renderer folder', async () => {
    for (const out of ['app://tickscope/..%2fsecret.txt', 'app://tickscope/assets/..%2f..%2fsecret.txt', 'app://tickscope/..%2f..%2f..%2fetc%2fpasswd']) {
      const res = await get(out);
      expect(res.status, out).toBe(403);
      expect(await res.text()).toBe('forbidden');
    }
    // The URL parser already folds a literal or encoded "..": it stays inside (and is not there).
    for (const folded of ['app://tickscope/%2e%2e/secret.txt', 'app://tickscope/../secret.txt']) {
      const res = await get(folded);
      expect(res.status, folded).toBe(404);
    }
  });

  it('answers 404 for a missing file, a folder, or another app:// host', async () => {
    expect((await get('app://tickscope/nope.js')).status).toBe(404);
    expect((await get('app://tickscope/assets')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
  });

  it('answers 500 when a file cannot be read, and 405 for anything but a read', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const denied = handler(() => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })));
    const res = await get('app://tickscope/index.html', denied);
    expect(res.status).toBe(500);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('EACCES'));
    const thrower = handler(() => {
      throw new Error('synchronous failure');
    });
    expect((await get('app://tickscope/index.html', thrower)).status).toBe(500);
    errors.mockRestore();
    expect((await get('app://tickscope/index.html', handler(), { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await get('app://tickscope/index.html', handler(), { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });
});
