/**
 * A stand-in for the parts of `electron` the main process uses, recording what main does with
 * them. Use it from a test file with
 *   vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
 * and inspect `fake` (the same module instance) in the tests. Each test file gets a fresh copy.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

export class FakePort extends EventEmitter {
  sent: unknown[] = [];
  closed = false;
  /** Called after each postMessage, e.g. to play a renderer that acks batches. */
  onPost: ((msg: unknown) => void) | null = null;
  postMessage(m: unknown): void {
    this.sent.push(m);
    this.onPost?.(m);
  }
  start(): void {}
  close(): void {
    this.closed = true;
  }
  /** What main receives when the page posts `data` on its end. */
  fromPage(data: unknown): void {
    this.emit('message', { data });
  }
}

export class FakeWindow {
  static all: FakeWindow[] = [];
  private static nextId = 41;
  webContents = { id: FakeWindow.nextId++, on: () => undefined, setWindowOpenHandler: () => undefined };
  minimized = false;
  calls: string[] = [];
  constructor(readonly options: unknown) {
    FakeWindow.all.push(this);
  }
  on(): void {}
  loadURL = vi.fn((_url: string) => fake.loadURLResult());
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
    this.calls.push('restore');
  }
  show(): void {
    this.calls.push('show');
  }
  focus(): void {
    this.calls.push('focus');
  }
  static getAllWindows(): FakeWindow[] {
    return FakeWindow.all;
  }
}

let markReady!: () => void;

export const fake = {
  userData: '',
  gotLock: true,
  whenReady: new Promise<void>((r) => (markReady = r)),
  ready: () => markReady(),
  appHandlers: new Map<string, Listener[]>(),
  ipcHandlers: new Map<string, Listener>(),
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
  ports: [] as FakePort[],
  loadURLResult: (): Promise<void> => Promise.resolve(),
  app: {
    whenReady: vi.fn(() => fake.whenReady),
    getPath: vi.fn(() => fake.userData),
    on: vi.fn((event: string, fn: Listener) => {
      fake.appHandlers.set(event, [...(fake.appHandlers.get(event) ?? []), fn]);
    }),
    quit: vi.fn(),
    exit: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => fake.gotLock),
    commandLine: { appendSwitch: vi.fn() },
  },
  dialog: { showErrorBox: vi.fn() },
  /** Fires an app event the way Electron would, returning what the handlers did with it. */
  emitApp(event: string, ...args: unknown[]): void {
    for (const fn of fake.appHandlers.get(event) ?? []) fn(...args);
  },
};

export const electronModule = {
  app: fake.app,
  dialog: fake.dialog,
  BrowserWindow: FakeWindow,
  ipcMain: { on: (ch: string, fn: Listener) => fake.ipcHandlers.set(ch, fn) },
  MessageChannelMain: class {
    port1 = new FakePort();
    port2 = new FakePort();
    constructor() {
      fake.ports.push(this.port1);
    }
  },
  protocol: {
    registerSchemesAsPrivileged: vi.fn(),
    handle: vi.fn((scheme: string, fn: (req: Request) => Promise<Response>) => fake.protocolHandlers.set(scheme, fn)),
  },
  session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
};

/** A frame of a window, as main sees it in an IPC event. */
export function frame(url: string) {
  return {
    url,
    posted: [] as unknown[][],
    postMessage(...a: unknown[]) {
      this.posted.push(a);
    },
  };
}

