import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../shared/protocol';
import { startCoreApp, type CoreApp } from '../../../electron/core/app';
import { startWebHost, type WebHost } from '../../../electron/web-host/server';

let app: CoreApp;
let host: WebHost;
let origin: string;

beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tickscope-wh-'));
  const rendererDir = await mkdtemp(join(tmpdir(), 'tickscope-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  app = await startCoreApp({ dataDir });
  host = await startWebHost({ api: app.api, rendererDir });
  origin = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host.close();
  await app.stop();
});

/** Opens the protocol socket and collects messages. */
function connect(headers: Record<string, string>) {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers });
  const got: ServerMessage[] = [];
  ws.on('message', (d) => got.push(JSON.parse(d.toString()) as ServerMessage));
  return { ws, got };
}

async function until<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('web host', () => {
  it('refuses HTTP without the token, and with a wrong one', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(403);
    expect((await fetch(`${origin}/?token=nope`)).status).toBe(403);
  });

  it('turns the token into an HttpOnly cookie and serves the page with a CSP', async () => {
    const res = await fetch(host.url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${origin}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses a WebSocket without the token or from a foreign origin', async () => {
    for (const headers of [{} as Record<string, string>, { cookie: `tickscope_token=${host.token}`, origin: 'http://evil.example' }]) {
      const { ws } = connect(headers);
      const err = await new Promise<Error>((r) => ws.on('error', r));
      expect(err.message).toContain('403');
    }
  });

  it('streams hello then batches with increasing seq, and answers commands', async () => {
    const { ws, got } = connect({ cookie: `tickscope_token=${host.token}` });
    await until(() => (got.filter((m) => m.type === 'batch').length >= 3 ? true : undefined));
    expect(got[0]!.type).toBe('hello');
    const seqs = got.filter((m) => m.type === 'batch').map((m) => (m.type === 'batch' ? m.seq : 0));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    ws.send(JSON.stringify({ type: 'command', id: 1, name: 'addFeed', args: { exchange: 'simulator', symbols: ['BTCUSDT'] } }));
    ws.send(JSON.stringify({ type: 'command', id: 2, name: 'dropDatabase' }));
    ws.send('not json at all');
    ws.send(JSON.stringify({ type: 'command', id: 3, name: 'listFeeds' }));
    const replies = await until(() => {
      const r = got.filter((m) => m.type === 'reply');
      return r.length >= 4 ? r : undefined;
    });
    const byId = Object.fromEntries(replies.map((r) => [r.type === 'reply' ? r.id : 0, r]));
    expect(byId[1]).toMatchObject({ ok: false, error: expect.stringContaining('symbols[0]') });
    expect(byId[2]).toMatchObject({ ok: false, error: 'unknown command "dropDatabase"' });
    expect(byId[-1]).toMatchObject({ ok: false, error: expect.stringContaining('malformed message') });
    // Nothing changed: still only the default feed.
    expect(byId[3]).toMatchObject({ ok: true, result: [expect.objectContaining({ id: 'simulator-spot' })] });
    ws.close();
  });
});
