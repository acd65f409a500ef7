/**
 * The Electron main process's IPC handling, with `electron` mocked: a port is handed only to the
 * main frame of our own window on our app:// page, and what arrives over that port is checked
 * by schema before it touches the core.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../helpers/wait-for';

type Listener = (...args: unknown[]) => void;

const mock = vi.hoisted(() => {
  const ipcHandlers = new Map<string, Listener>();
  const ports: { sent: unknown[]; peer: { emit: (ev: string, e: unknown) => void } }[] = [];
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  return { ipcHandlers, ports, whenReady, ready: () => ready(), windows: [] as { webContents: { id: number } }[], userData: '' };
});

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class FakePort extends EventEmitter {
    sent: unknown[] = [];
    postMessage(m: unknown) {
      this.sent.push(m);
    }
    start() {}
    close() {}
  }
  let nextId = 41;
  return {
    app: {
      whenReady: () => mock.whenReady,
      getPath: () => mock.userData,
      on: () => undefined,
      quit: () => undefined,
      exit: () => undefined,
      requestSingleInstanceLock: () => true,
      commandLine: { appendSwitch: () => undefined },
    },
    BrowserWindow: class {
      webContents = { id: nextId++, on: () => undefined, setWindowOpenHandler: () => undefined };
      constructor() {
        mock.windows.push(this);
      }
      on() {}
      loadURL() {
        return Promise.resolve();
      }
      static getAllWindows() {
        return mock.windows;
      }
    },
    dialog: { showErrorBox: () => undefined },
    ipcMain: { on: (ch: string, fn: Listener) => mock.ipcHandlers.set(ch, fn) },
    MessageChannelMain: class {
      port1 = new FakePort();
      port2 = new FakePort();
      constructor() {
        mock.ports.push({ sent: this.port1.sent, peer: this.port1 });
      }
    },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    net: { fetch: () => Promise.resolve(new Response('')) },
    session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
  };
});

mock.userData = mkdtempSync(join(tmpdir(), 'tickscope-main-'));

function frame(url: string) {
  return { url, posted: [] as unknown[][], postMessage(...a: unknown[]) { this.posted.push(a); } };
}

describe('Electron main: port handoff and IPC checks', async () => {
  await import('../../../electron/main/index');
  mock.ready();
  const win = await waitFor(() => mock.windows[0], 'the window');
  const request = mock.ipcHandlers.get('tickscope:request-port')!;

  it('refuses a port to a foreign page, a sub-frame or another webContents', async () => {
    const foreign = frame('https://evil.example/');
    request({ sender: { id: win.webContents.id, mainFrame: foreign }, senderFrame: foreign });
    const sub = frame('app://tickscope/index.html');
    request({ sender: { id: win.webContents.id, mainFrame: frame('app://tickscope/index.html') }, senderFrame: sub });
    const other = frame('app://tickscope/index.html');
    request({ sender: { id: 999, mainFrame: other }, senderFrame: other });
    expect([foreign.posted, sub.posted, other.posted]).toEqual([[], [], []]);
    expect(mock.ports).toHaveLength(0);
  });

  it('hands our page a port that streams hello and batches, and rejects bad commands', async () => {
    const ours = frame('app://tickscope/index.html');
    request({ sender: { id: win.webContents.id, mainFrame: ours }, senderFrame: ours });
    expect(ours.posted).toHaveLength(1);
    expect(ours.posted[0]![0]).toBe('tickscope:port');
    const port = mock.ports[0]!;
    await waitFor(() => port.sent.some((m) => (m as { type: string }).type === 'batch'), 'a batch on the port');
    expect((port.sent[0] as { type: string }).type).toBe('hello');
    port.peer.emit('message', { data: { type: 'command', id: 5, name: 'removeFeed', args: { id: 42 } } });
    port.peer.emit('message', { data: 'rm -rf /' });
    const replies = await waitFor(() => {
      const r = port.sent.filter((m) => (m as { type: string }).type === 'reply');
      return r.length >= 2 && r;
    }, 'two replies');
    expect(replies).toEqual([
      expect.objectContaining({ id: 5, ok: false, error: expect.stringContaining('id:') }),
      expect.objectContaining({ id: -1, ok: false, error: expect.stringContaining('malformed message') }),
    ]);
  });
});
