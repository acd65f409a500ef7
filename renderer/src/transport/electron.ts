/**
 * Electron transport: the main process hands the page a MessagePort (relayed by the preload with
 * window.postMessage, because a port cannot cross contextBridge). Messages then flow straight
 * between main and page, with no contextBridge hop per message.
 *
 * Each batch is acknowledged once the listeners have applied it ({type:'ack', seq}): main sends
 * at most a few unacknowledged batches and conflates the rest, so a renderer that falls behind
 * gets fewer, merged batches instead of an ever longer queue (electron/main/ack-window.ts).
 */
import { PORT_MESSAGE, PORT_REQUEST } from '../../../shared/ipc-channels';
import type { AckMessage, ServerMessage } from '../../../shared/protocol';
import { Listeners } from './listeners';
import type { CoreTransport, TransportFactory } from './types';

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
        port.onmessage = (m) => {
          const msg = m.data as ServerMessage;
          try {
            messages.emit(msg);
          } finally {
            // Acked even if a listener threw: one bad batch must not stall the stream for good.
            if (msg?.type === 'batch') port.postMessage({ type: 'ack', seq: msg.seq } satisfies AckMessage);
          }
        };
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
