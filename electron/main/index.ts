/**
 * The Electron shell: one instance per user, app lifecycle, a hardened window, the UI served from
 * the app:// protocol, the core started in this process, and a MessagePort handed to each window
 * that asks for one. Every promise here has its failure handled: a core that cannot start is an
 * error dialog and a non-zero exit, never a windowless process left running.
 */
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, protocol, type IpcMainEvent } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PORT_MESSAGE, PORT_REQUEST } from '../../shared/ipc-channels';
import { startCoreApp, type CoreApp } from '../core/app';
import { AckWindow, parseAck } from './ack-window';
import { createAppProtocolHandler } from './app-protocol';
import { APP_ORIGIN, isTrustedSender } from './ipc-guard';
import { CSP, hardenSessions } from './security';
import { describeCause, WHOLE_MESSAGE_CHARS } from '../core/util/errors';
import { settleWithin } from './settle';
import { createAlertNotifier } from './alert-notify';

const rendererDir = join(__dirname, '../renderer');
const windows = new Set<number>();
let core: CoreApp | null = null;
/** How long quitting (or a failed start-up) waits for the core to close its feeds and files. */
const CORE_STOP_TIMEOUT_MS = 5_000;

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    backgroundColor: '#0f1115',
    title: 'Tickscope',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const id = win.webContents.id;
  windows.add(id);
  win.on('closed', () => windows.delete(id));
  // Rejects when the load fails or is replaced; the window stays open either way, so only log.
  win.loadURL(`${APP_ORIGIN}/index.html`).catch((e: unknown) => console.error(`tickscope: the window could not load the UI: ${describeCause(e, WHOLE_MESSAGE_CHARS)}`));
}

/** A second launch lands here: bring the existing window forward instead of opening another core. */
function showExistingWindow(): void {
  const win = BrowserWindow.getAllWindows()[0];
  if (!win) {
    // macOS keeps the app running with no window; a core still starting opens its own window.
    if (core) createWindow();
    return;
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function handlePortRequest(event: IpcMainEvent): void {
  const frame = event.senderFrame;
  const verdict = isTrustedSender(
    { webContentsId: event.sender.id, frameUrl: frame?.url ?? '', isMainFrame: frame === event.sender.mainFrame },
    windows,
  );
  // A frame that is already gone (null) would never receive the port: refuse before connecting.
  if (!verdict.ok || !core || !frame) {
    console.warn(`tickscope: refused a port request: ${!verdict.ok ? verdict.why : !core ? 'core not running' : 'the frame is gone'}`);
    return;
  }
  const { port1, port2 } = new MessageChannelMain();
  const acks = new AckWindow();
  const session = core.api.connect({
    send: (msg) => {
      port1.postMessage(msg);
      if (msg.type === 'batch') acks.sent(msg.seq);
    },
    // A port has no backlog to inspect: the renderer acks each batch it applied, and while too
    // many are unacknowledged the publisher conflates this renderer's batches (ack-window.ts).
    ready: () => acks.ready(),
  });
  port1.on('message', (e) => {
    const seq = parseAck(e.data);
    if (seq !== null && acks.ack(seq)) return;
    // Commands, and anything that is neither a command nor a valid ack: session.receive checks
    // it by schema and answers a bad one with an error reply.
    session.receive(e.data).catch((err: unknown) => console.error(`tickscope: a message from the UI failed: ${describeCause(err, WHOLE_MESSAGE_CHARS)}`));
  });
  port1.on('close', () => session.close());
  port1.start();
  try {
    frame.postMessage(PORT_MESSAGE, null, [port2]);
  } catch (e) {
    session.close();
    port1.close();
    console.warn(`tickscope: the port could not be handed to the page: ${describeCause(e, WHOLE_MESSAGE_CHARS)}`);
  }
}

async function startUp(): Promise<void> {
  hardenSessions();
  protocol.handle('app', createAppProtocolHandler({ rootDir: rendererDir, host: new URL(APP_ORIGIN).host, csp: CSP, readFile: (p) => readFile(p) }));
  core = await startCoreApp({ dataDir: app.getPath('userData') });
  core.pipeline.onAlert(createAlertNotifier());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

/** Without this the process would linger with no window and no word of what went wrong. */
async function failStartUp(e: unknown): Promise<void> {
  const reason = describeCause(e, WHOLE_MESSAGE_CHARS);
  console.error(`tickscope: could not start: ${reason}`);
  try {
    dialog.showErrorBox('Tickscope could not start', `${reason}\n\nData folder: ${app.getPath('userData')}`);
  } catch (dialogError) {
    console.error(`tickscope: could not show the error dialog: ${describeCause(dialogError, WHOLE_MESSAGE_CHARS)}`);
  }
  // The core may have started before the failure: let it close its sockets and files, briefly.
  if (core) await settleWithin(core.stop(), CORE_STOP_TIMEOUT_MS);
  app.exit(1);
}

function startShell(): void {
  // A larger young generation: trade batches live just long enough to be promoted by the default
  // 16 MiB semi-space, and GC then dominates ingest (bench: Bybit 124k -> 225k trades/s, side by side).
  app.commandLine.appendSwitch('js-flags', '--max-semi-space-size=64');

  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  app.on('second-instance', showExistingWindow);

  ipcMain.on(PORT_REQUEST, (event) => {
    try {
      handlePortRequest(event);
    } catch (e) {
      console.error(`tickscope: a port request failed: ${describeCause(e, WHOLE_MESSAGE_CHARS)}`);
    }
  });

  app.whenReady().then(startUp).catch(failStartUp);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting || !core) return;
    e.preventDefault();
    quitting = true;
    // Quit whatever the stop does: a stop that throws or hangs must not keep the app alive.
    void settleWithin(core.stop(), CORE_STOP_TIMEOUT_MS).then((r) => {
      if (!r.ok) console.error(`tickscope: the core did not stop cleanly: ${r.why}`);
      app.quit();
    });
  });
}

// One instance per user: two cores would write the same settings, recordings and bar store.
// The second launch quits at once; the first gets 'second-instance' and shows its window.
if (app.requestSingleInstanceLock()) startShell();
else app.quit();
