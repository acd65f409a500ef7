/**
 * When the core fails behind a WebSocket (a command handler rejects or throws, a message cannot
 * be encoded, a session cannot start), the web host answers or closes that one socket, counts
 * it, and keeps serving; nothing becomes an unhandled rejection or an uncaught exception.
 * A real host on 127.0.0.1 and real sockets; only the core behind it is a stand-in that fails
 * on demand.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession, Transport } from '../../../electron/core/api/core-api';
import { startWebHost, type WebHost } from '../../../electron/web-host/server';
import type { ServerMessage } from '../../../shared/protocol';
import { openSocket } from './harness';
import { waitFor } from '../../helpers/wait-for';

type Failure = 'none' | 'receive rejects' | 'receive throws' | 'hello cannot be encoded' | 'hello cannot be encoded, core falls back' | 'connect throws';

let failure: Failure = 'none';
const sessions: Transport[] = [];
const api = {
  connect(t: Transport): ApiSession {
    const mode = failure;
    if (mode === 'connect throws') throw new Error('core not started');
    const hello: Record<string, unknown> = { type: 'hello', protocol: 1, feeds: [], timeframes: [], venues: [], notices: [] };
    if (mode.startsWith('hello cannot be encoded')) hello.feeds = [hello]; // a cycle: JSON.stringify throws
    if (mode === 'hello cannot be encoded, core falls back') {
      // What the real core does (core-api.ts): a send that throws gets a fallback hello.
      try {
        t.send(hello as unknown as ServerMessage);
      } catch {
        t.send({ type: 'hello', protocol: 1, feeds: [], timeframes: [], venues: [], notices: ['fallback'] });
      }
    } else {
      t.send(hello as unknown as ServerMessage);
    }
    sessions.push(t);
    return {
      receive: (raw) => {
        // The host hands over the frame's text; the core parses it.
        const id = (JSON.parse(raw as string) as { id: number }).id;
        if (mode === 'receive throws') throw new Error('handler threw synchronously');
        if (mode === 'receive rejects') return Promise.reject(new Error('handler rejected'));
        t.send({ type: 'reply', id, ok: true, result: 'pong' });
        return Promise.resolve();
      },
      close: () => sessions.splice(sessions.indexOf(t), 1),
    };
  },
};

let host: WebHost;
const reported: string[] = [];
const escaped: unknown[] = [];
const onEscape = (e: unknown) => escaped.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  const rendererDir = await mkdtemp(join(tmpdir(), 'tickscope-wh-stub-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startWebHost({ api, rendererDir, onError: (where) => reported.push(where) });
});

afterEach(() => {
  failure = 'none';
});

afterAll(async () => {
  await host.close();
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});

/** A healthy session still works after the failure: hello, then a command answered. */
async function healthySessionWorks(): Promise<void> {
  const c = openSocket(host.port, host.token);
  await waitFor(() => c.got[0]?.type === 'hello', 'hello on a healthy session');
  c.ws.send(JSON.stringify({ type: 'command', id: 99, name: 'ping' }));
  await waitFor(() => c.got.some((m) => m.type === 'reply' && m.id === 99 && m.ok), 'a reply on a healthy session');
  c.ws.close();
}

describe('web host when the core fails behind a socket', () => {
  for (const mode of ['receive rejects', 'receive throws'] as const) {
    it(`answers the command with an internal error when ${mode}, keeps the socket, and keeps serving`, async () => {
      failure = mode;
      const before = host.stats().internalErrors;
      const c = openSocket(host.port, host.token);
      await waitFor(() => c.got.length > 0, 'hello');
      c.ws.send(JSON.stringify({ type: 'command', id: 7, name: 'listFeeds' }));
      c.ws.send(JSON.stringify({ type: 'command', id: 8, name: 'listFeeds' }));
      const replies = await waitFor(() => {
        const r = c.got.filter((m) => m.type === 'reply');
        return r.length >= 2 ? r : undefined;
      }, 'two replies');
      expect(replies).toEqual([
        { type: 'reply', id: 7, ok: false, error: 'internal error: the core could not handle this command' },
        { type: 'reply', id: 8, ok: false, error: 'internal error: the core could not handle this command' },
      ]);
      expect(c.ws.readyState).toBe(c.ws.OPEN);
      expect(host.stats().internalErrors).toBe(before + 2);
      expect(reported.at(-1)).toBe('command');
      c.ws.close();
      failure = 'none';
      await healthySessionWorks();
      expect(escaped).toEqual([]);
    });
  }

  it('lets the core fall back when its hello cannot be encoded: the send throws, the socket stays', async () => {
    failure = 'hello cannot be encoded, core falls back';
    const c = openSocket(host.port, host.token);
    await waitFor(() => c.got.length > 0, 'the fallback hello');
    expect(c.got[0]).toMatchObject({ type: 'hello', notices: ['fallback'] });
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    expect(reported.at(-1)).toBe('encoding a hello message');
    c.ws.close();
    expect(escaped).toEqual([]);
  });

  it('closes only that socket (1011) when the hello cannot be encoded and the core does not recover', async () => {
    failure = 'hello cannot be encoded';
    const c = openSocket(host.port, host.token);
    const closed = await c.closed;
    expect(closed.code).toBe(1011);
    expect(closed.reason).toContain('could not start this session');
    expect(reported.slice(-2)).toEqual(['encoding a hello message', 'connect']);
    failure = 'none';
    await healthySessionWorks();
    expect(escaped).toEqual([]);
  });

  it('closes only that socket (1011) when the session cannot start', async () => {
    failure = 'connect throws';
    const c = openSocket(host.port, host.token);
    expect((await c.closed).code).toBe(1011);
    expect(reported.at(-1)).toBe('connect');
    failure = 'none';
    await healthySessionWorks();
    expect(escaped).toEqual([]);
  });

  it('closes only the socket a batch cannot be encoded for; the others keep their stream', async () => {
    const bystander = openSocket(host.port, host.token);
    const victim = openSocket(host.port, host.token);
    await waitFor(() => bystander.got.length > 0 && victim.got.length > 0 && sessions.length >= 2, 'two sessions');
    const [first, second] = sessions.slice(-2) as [Transport, Transport];
    // The stand-in publisher: one bad batch to the newest session, a good one to both.
    const bad = { type: 'batch', seq: 1, at: 0, bars: [], trades: [], tradesOmitted: 0, quotes: [], liquidations: [], funding: [], statuses: [], books: [], conflated: 10n };
    // The publisher is told (it drops that subscriber); the client is told by the close.
    expect(() => second.send(bad as unknown as ServerMessage)).toThrow('the batch message cannot be encoded');
    for (const t of [first, second]) t.send({ type: 'batch', seq: 2, at: 0, bars: [], trades: [], tradesOmitted: 0, quotes: [], liquidations: [], funding: [], statuses: [], books: [], conflated: 0 });
    expect((await victim.closed).code).toBe(1011);
    await waitFor(() => bystander.got.some((m) => m.type === 'batch' && m.seq === 2), 'the good batch');
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    bystander.ws.close();
    expect(escaped).toEqual([]);
  });
});
