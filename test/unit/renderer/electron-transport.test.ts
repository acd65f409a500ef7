/**
 * The renderer's Electron transport with a fake window and MessagePort: each batch is acked to
 * main ({type:'ack', seq}) once the listeners have applied it, so main can tell a slow renderer
 * from a prompt one; other messages are not acked, and a listener that throws does not stall the
 * stream.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage, StreamBatch } from '../../../shared/protocol';
import { PORT_MESSAGE, PORT_REQUEST } from '../../../shared/ipc-channels';
import { electronTransport } from '../../../renderer/src/transport/electron';
import type { CoreTransport } from '../../../renderer/src/transport/types';

class FakeMessagePort {
  posted: unknown[] = [];
  started = false;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  postMessage(m: unknown): void {
    this.posted.push(m);
  }
  start(): void {
    this.started = true;
  }
  close(): void {}
  /** What the page receives when main posts `data`. */
  fromMain(data: unknown): void {
    this.onmessage!({ data });
  }
}

function fakeWindow() {
  const listeners = new Set<(e: unknown) => void>();
  const win = {
    tickscopeShell: { kind: 'electron' as const, version: '41.0.0' },
    location: { origin: 'app://tickscope' },
    posted: [] as unknown[][],
    addEventListener: (_type: string, fn: (e: unknown) => void) => listeners.add(fn),
    removeEventListener: (_type: string, fn: (e: unknown) => void) => listeners.delete(fn),
    postMessage: (...a: unknown[]) => win.posted.push(a),
    /** The preload relaying main's port, as window.postMessage would deliver it. */
    deliverPort: (port: FakeMessagePort) => {
      for (const fn of [...listeners]) fn({ source: win, data: PORT_MESSAGE, ports: [port] });
    },
  };
  return win;
}

function batch(seq: number): StreamBatch {
  return { type: 'batch', seq, at: 0, bars: [], trades: [], tradesOmitted: 0, quotes: [], liquidations: [], funding: [], statuses: [], books: [], conflated: 0 };
}

async function connected(): Promise<{ transport: CoreTransport; port: FakeMessagePort }> {
  const win = fakeWindow();
  vi.stubGlobal('window', win);
  expect(electronTransport.available()).toBe(true);
  const pending = electronTransport.connect();
  expect(win.posted).toEqual([[PORT_REQUEST, 'app://tickscope']]);
  const port = new FakeMessagePort();
  win.deliverPort(port);
  const transport = await pending;
  expect(port.started).toBe(true);
  return { transport, port };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Electron transport (renderer): batch acks for backpressure', () => {
  it('acks each batch after the listeners have applied it', async () => {
    const { transport, port } = await connected();
    const seen: { seq: number; acksWhileApplying: number }[] = [];
    transport.onMessage((m: ServerMessage) => {
      if (m.type === 'batch') seen.push({ seq: m.seq, acksWhileApplying: port.posted.length });
    });
    port.fromMain(batch(7));
    port.fromMain(batch(8));
    expect(seen).toEqual([
      { seq: 7, acksWhileApplying: 0 },
      { seq: 8, acksWhileApplying: 1 },
    ]);
    expect(port.posted).toEqual([
      { type: 'ack', seq: 7 },
      { type: 'ack', seq: 8 },
    ]);
  });

  it('does not ack the hello or replies, and sends commands unchanged', async () => {
    const { transport, port } = await connected();
    port.fromMain({ type: 'hello', protocol: 1, feeds: [], timeframes: ['1s'], venues: [], notices: [] });
    port.fromMain({ type: 'reply', id: 1, ok: true, result: [] });
    transport.send({ type: 'command', id: 2, name: 'listFeeds' });
    expect(port.posted).toEqual([{ type: 'command', id: 2, name: 'listFeeds' }]);
  });

  it('still acks a batch whose listener threw, so one bad batch does not stall the stream', async () => {
    const { transport, port } = await connected();
    transport.onMessage(() => {
      throw new Error('chart exploded');
    });
    expect(() => port.fromMain(batch(3))).toThrow('chart exploded');
    expect(port.posted).toEqual([{ type: 'ack', seq: 3 }]);
  });
});
