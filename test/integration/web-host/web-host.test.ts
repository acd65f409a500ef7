import { mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../shared/protocol';
import { tokenProtocols } from '../../../shared/web-host-auth';
import { startCoreApp, type CoreApp } from '../../../electron/core/app';
import { startWebHost, type WebHost } from '../../../electron/web-host/server';
import { waitFor } from '../../helpers/wait-for';

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

/** Opens the protocol socket (the token as a subprotocol, as the page sends it) and collects messages. */
function connect(headers: Record<string, string>, protocols: string[] = tokenProtocols(host.token)) {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, protocols, { headers });
  const got: ServerMessage[] = [];
  ws.on('message', (d) => got.push(JSON.parse(d.toString()) as ServerMessage));
  return { ws, got };
}

describe('web host', () => {
  it('refuses HTTP without the token, and with a wrong one', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(403);
    expect((await fetch(`${origin}/?token=nope`)).status).toBe(403);
  });

  it('refuses without saying which check failed and without setting anything', async () => {
    const answers = [
      await fetch(`${origin}/`),
      await fetch(`${origin}/?token=nope`),
      await fetch(`${origin}/`, { headers: { cookie: `tickscope_token=${host.token}` } }),
      await fetch(`${origin}/?token=${host.token}`, { headers: { origin: 'http://evil.example' } }),
    ];
    const bodies = await Promise.all(answers.map((r) => r.text()));
    for (const [i, r] of answers.entries()) {
      expect(r.status).toBe(403);
      expect(r.headers.get('set-cookie')).toBeNull();
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(bodies[i]).toBe(bodies[0]);
      expect(bodies[i]).not.toContain(host.token);
    }
  });

  it('swaps the token URL for a page cookie that is not the token, with a no-store, no-referrer 302', async () => {
    const res = await fetch(host.url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // The token moves into the fragment, which the browser sends to no server and in no Referer.
    expect(res.headers.get('location')).toBe(`/#token=${host.token}`);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^tickscope_page_${host.port}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    // Cookies ignore ports: every service on 127.0.0.1 gets this one, so it must not be the token.
    expect(cookie).not.toContain(host.token);
    const page = await fetch(`${origin}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain(`ws://127.0.0.1:${host.port}`);
    // A wrong token in the URL is refused even next to a good cookie.
    expect((await fetch(`${origin}/?token=nope`, { headers: { cookie: cookie.split(';')[0]! } })).status).toBe(403);
  });

  it('refuses a WebSocket without the token, from a foreign origin, or with only a cookie', async () => {
    const res = await fetch(host.url, { redirect: 'manual' });
    const pageCookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const refused: [Record<string, string>, string[]][] = [
      [{}, []],
      [{}, ['tickscope.v1']],
      [{}, tokenProtocols('wrongwrongwrongwrongwrong')],
      [{ origin: 'http://evil.example' }, tokenProtocols(host.token)],
      [{ origin: `http://localhost:${host.port + 1}` }, tokenProtocols(host.token)],
      // No cookie opens the socket: not the page cookie, not the token in a cookie.
      [{ cookie: pageCookie }, ['tickscope.v1']],
      [{ cookie: `tickscope_token=${host.token}` }, []],
    ];
    for (const [headers, protocols] of refused) {
      const { ws } = connect(headers, protocols);
      const err = await new Promise<Error>((r) => ws.on('error', r));
      expect(err.message).toContain('403');
    }
  });

  it('accepts the token as a subprotocol and answers with the version, never echoing the token', async () => {
    const { ws } = connect({ origin });
    const answer = new Promise<IncomingMessage>((r) => ws.on('upgrade', r));
    await new Promise((r) => ws.on('open', r));
    const headers = (await answer).headers;
    expect(headers['sec-websocket-protocol']).toBe('tickscope.v1');
    expect(JSON.stringify(headers)).not.toContain(host.token);
    expect(ws.protocol).toBe('tickscope.v1');
    ws.close();
  });

  it('streams hello then batches with increasing seq, and answers commands', async () => {
    const { ws, got } = connect({});
    await waitFor(() => got.filter((m) => m.type === 'batch').length >= 3, 'three batches');
    expect(got[0]!.type).toBe('hello');
    const seqs = got.filter((m) => m.type === 'batch').map((m) => (m.type === 'batch' ? m.seq : 0));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);

    ws.send(JSON.stringify({ type: 'command', id: 1, name: 'addFeed', args: { exchange: 'simulator', symbols: ['BTCUSDT'] } }));
    ws.send(JSON.stringify({ type: 'command', id: 2, name: 'dropDatabase' }));
    ws.send('not json at all');
    ws.send(JSON.stringify({ type: 'command', id: 3, name: 'listFeeds' }));
    const replies = await waitFor(() => {
      const r = got.filter((m) => m.type === 'reply');
      return r.length >= 4 && r;
    }, 'four replies');
    const byId = Object.fromEntries(replies.map((r) => [r.type === 'reply' ? r.id : 0, r]));
    expect(byId[1]).toMatchObject({ ok: false, error: expect.stringContaining('symbols[0]') });
    expect(byId[2]).toMatchObject({ ok: false, error: 'unknown command "dropDatabase"' });
    expect(byId[-1]).toMatchObject({ ok: false, error: expect.stringContaining('malformed message') });
    // Nothing changed: still only the default feed.
    expect(byId[3]).toMatchObject({ ok: true, result: [expect.objectContaining({ id: 'simulator-spot' })] });
    ws.close();
  });
});
