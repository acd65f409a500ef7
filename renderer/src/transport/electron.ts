/**
 * Electron transport: the main process hands the page a MessagePort (relayed by the preload with
 * window.postMessage, because a port cannot cross contextBridge). Messages then flow straight
 * between main and page, with no contextBridge hop per message.
 */
import type { ServerMessage } from '../../../shared/protocol';
import { Listeners } from './listeners';
import type { CoreTransport, TransportFactory } from './types';

export const PORT_MESSAGE = 'tickscope:port';
export const PORT_REQUEST = 'tickscope:request-port';

declare global {
  interface Window {
    /** Set by the preload script; absent in a plain browser. */
    tickscopeShell?: { kind: 'electron'; version: string };
  }
}

export const electronTransport = {
  kind: 'electron',
  available: () => typeof window !== 'undefined' && window.tickscopeShell?.kind === 'electron',
  connect: () =>
    new Promise<CoreTransport>((resolve) => {
      const onWindowMessage = (e: MessageEvent) => {
        if (e.source !== window || e.data !== PORT_MESSAGE || !e.ports[0]) return;
        window.removeEventListener('message', onWindowMessage);
        const port = e.ports[0];
        const messages = new Listeners<ServerMessage>();
        const closes = new Listeners<string>();
        port.onmessage = (m) => messages.emit(m.data as ServerMessage);
        port.start();
        resolve({
          kind: 'electron',
          send: (msg) => port.postMessage(msg),
          onMessage: (fn) => messages.add(fn),
          onClose: (fn) => closes.add(fn),
          close: () => port.close(),
        });
      };
      window.addEventListener('message', onWindowMessage);
      // Ask only once listening, so the port can never arrive before the page is ready for it.
      window.postMessage(PORT_REQUEST, window.location.origin);
    }),
} satisfies TransportFactory;
