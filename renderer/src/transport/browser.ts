/**
 * Browser transport: the web host's WebSocket at /ws. The per-run token is offered as a
 * subprotocol, never sent as a cookie (electron/web-host/auth.ts explains why): the host
 * redirects the printed URL to `/#token=...`; the token is kept in this tab's sessionStorage
 * (scoped to this origin, port included) so a reload still connects, and removed from the
 * address bar so it is not left in history or copied along with the link.
 */
import type { ServerMessage } from '../../../shared/protocol';
import { TOKEN_FRAGMENT_KEY, TOKEN_PATTERN, tokenProtocols } from '../../../shared/web-host-auth';
import { Listeners } from './listeners';
import type { CoreTransport, TransportFactory } from './types';

const STORAGE_KEY = 'tickscope.token';

function remember(token: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage disabled: this load still connects; a reload will need the printed URL again.
  }
}

function remembered(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The token from the URL fragment (then cleared from the address bar), else from this tab's storage. */
export function takeToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.hash.slice(1)).get(TOKEN_FRAGMENT_KEY);
  if (fromUrl !== null) {
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    if (TOKEN_PATTERN.test(fromUrl)) {
      remember(fromUrl);
      return fromUrl;
    }
  }
  const stored = remembered();
  return stored !== null && TOKEN_PATTERN.test(stored) ? stored : null;
}

export const browserTransport = {
  kind: 'browser',
  available: () => typeof window !== 'undefined' && window.location.protocol.startsWith('http'),
  connect: () =>
    new Promise<CoreTransport>((resolve, reject) => {
      const token = takeToken();
      if (token === null) {
        reject(new Error('no access token in this tab: open the URL printed by `npm run serve`'));
        return;
      }
      const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(`${proto}//${window.location.host}/ws`, tokenProtocols(token));
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
      ws.onerror = () => reject(new Error('cannot reach the Tickscope web host (or its token is out of date: open the URL printed by `npm run serve`)'));
      ws.onclose = (e) => closes.emit(e.reason || `connection closed (${e.code})`);
    }),
} satisfies TransportFactory;
