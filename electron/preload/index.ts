/**
 * Preload (sandboxed, context-isolated). It exposes no API of its own beyond a marker: it relays
 * the page's request for a MessagePort to main, and the port back to the page. All traffic then
 * flows over that port, checked by schema in main. Main to page, it also relays a click on an
 * alert's desktop notification (a market key and a time, nothing else).
 */
import { contextBridge, ipcRenderer } from 'electron';
// Bundled into out/preload/index.cjs by electron-vite: the sandboxed preload requires only 'electron'.
import { ALERT_FOCUS, PORT_MESSAGE, PORT_REQUEST } from '../../shared/ipc-channels';

contextBridge.exposeInMainWorld('tickscopeShell', { kind: 'electron', version: process.versions.electron });

window.addEventListener('message', (e) => {
  if (e.source === window && e.data === PORT_REQUEST) ipcRenderer.send(PORT_REQUEST);
});

// An alert's desktop notification was clicked (electron/main/alert-notify.ts): the page shows its market.
ipcRenderer.on(ALERT_FOCUS, (_e, market: unknown, time: unknown) => {
  if (typeof market === 'string') window.postMessage({ type: ALERT_FOCUS, market, time }, window.location.origin);
});

ipcRenderer.on(PORT_MESSAGE, (e) => {
  window.postMessage(PORT_MESSAGE, window.location.origin, e.ports);
});
