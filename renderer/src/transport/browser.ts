/** Browser transport: the web host's WebSocket at /ws (the token travels as an HttpOnly cookie). */
import type { ServerMessage } from '../../../shared/protocol';
import { Listeners } from './listeners';
import type { CoreTransport, TransportFactory } from './types';

export const browserTransport = {
  kind: 'browser',
  available: () => typeof window !== 'undefined' && window.location.protocol.startsWith('http'),
  connect: () =>
    new Promise<CoreTransport>((resolve, reject) => {
      const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(`${proto}//${window.location.host}/ws`);
      const messages = new Listeners<ServerMessage>();
      const closes = new Listeners<string>();
      ws.onmessage = (e) => {
        try {
          messages.emit(JSON.parse(String(e.data)) as ServerMessage);
        } catch {
          // A frame we cannot parse is ignored; the seq gap shows in the health pane.
        }
      };
      ws.onopen = () =>
        resolve({
          kind: 'browser',
          send: (msg) => ws.send(JSON.stringify(msg)),
          onMessage: (fn) => messages.add(fn),
          onClose: (fn) => closes.add(fn),
          close: () => ws.close(),
        });
      ws.onerror = () => reject(new Error('cannot reach the Tickscope web host'));
      ws.onclose = (e) => closes.emit(e.reason || `connection closed (${e.code})`);
    }),
} satisfies TransportFactory;
