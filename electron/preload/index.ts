/**
 * Preload (sandboxed, context-isolated). It exposes no API of its own beyond a marker: it relays
 * the page's request for a MessagePort to main, and the port back to the page. All traffic then
 * flows over that port, checked by schema in main.
 */
import { contextBridge, ipcRenderer } from 'electron';

const PORT_REQUEST = 'tickscope:request-port';
const PORT_MESSAGE = 'tickscope:port';

contextBridge.exposeInMainWorld('tickscopeShell', { kind: 'electron', version: process.versions.electron });

window.addEventListener('message', (e) => {
  if (e.source === window && e.data === PORT_REQUEST) ipcRenderer.send(PORT_REQUEST);
});

ipcRenderer.on(PORT_MESSAGE, (e) => {
  window.postMessage(PORT_MESSAGE, window.location.origin, e.ports);
});
