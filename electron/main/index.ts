/**
 * The Electron shell: app lifecycle, a hardened window, the UI served from the app:// protocol,
 * the core started in this process, and a MessagePort handed to each window that asks for one.
 */
import { app, BrowserWindow, ipcMain, MessageChannelMain, net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCoreApp, type CoreApp } from '../core/app';
import { APP_ORIGIN, isTrustedSender } from './ipc-guard';
import { CSP, hardenSessions } from './security';

const rendererDir = join(__dirname, '../renderer');
const windows = new Set<number>();
let core: CoreApp | null = null;

// A larger young generation: trade batches live just long enough to be promoted by the default
// 16 MiB semi-space, and GC then dominates ingest (bench: Bybit 124k -> 225k trades/s, side by side).
app.commandLine.appendSwitch('js-flags', '--max-semi-space-size=64');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function serveApp(): void {
  protocol.handle('app', async (req) => {
    const { pathname } = new URL(req.url);
    const file = normalize(join(rendererDir, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)));
    if (!file.startsWith(rendererDir + sep)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    return new Response(res.body, { status: res.status, headers });
  });
}

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
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

ipcMain.on('tickscope:request-port', (event) => {
  const verdict = isTrustedSender(
    { webContentsId: event.sender.id, frameUrl: event.senderFrame?.url ?? '', isMainFrame: event.senderFrame === event.sender.mainFrame },
    windows,
  );
  if (!verdict.ok || !core) {
    console.warn(`tickscope: refused a port request: ${verdict.ok ? 'core not running' : verdict.why}`);
    return;
  }
  const { port1, port2 } = new MessageChannelMain();
  const session = core.api.connect({
    send: (msg) => port1.postMessage(msg),
    // A MessagePort exposes no backlog; batches are already coalesced at 30 Hz, so always ready.
    ready: () => true,
  });
  port1.on('message', (e) => void session.receive(e.data));
  port1.on('close', () => session.close());
  port1.start();
  event.senderFrame?.postMessage('tickscope:port', null, [port2]);
});

app.whenReady().then(async () => {
  hardenSessions();
  serveApp();
  core = await startCoreApp({ dataDir: app.getPath('userData') });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !core) return;
  e.preventDefault();
  quitting = true;
  void core.stop().finally(() => app.quit());
});
