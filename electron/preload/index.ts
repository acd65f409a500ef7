/**
 * Preload (sandboxed, context-isolated). It exposes no API of its own beyond a marker: it relays
 * the page's request for a MessagePort to main, and the port back to the page. All traffic then
 * flows over that port, checked by schema in main.
 */
import { contextBridge, ipcRenderer } from 'electron';
// Bundled into out/preload/index.cjs by electron-vite: the sandboxed preload requires only 'electron'.
import { PORT_MESSAGE, PORT_REQUEST } from '../../shared/ipc-channels';

contextBridge.exposeInMainWorld('tickscopeShell', { kind: 'electron', version: process.versions.electron });

window.addEventListener('message', (e) => {
  if (e.source === window && e.data === PORT_REQUEST) ipcRenderer.send(PORT_REQUEST);
});

ipcRenderer.on(PORT_MESSAGE, (e) => {
  window.postMessage(PORT_MESSAGE, window.location.origin, e.ports);
});
