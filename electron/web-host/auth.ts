/**
 * Who may use the web host, and how its per-run token travels.
 *
 * Trusted: whoever started `npm run serve` and can read the URL it printed. Not trusted: every
 * web page open in their browser, including pages served by other services on 127.0.0.1 or
 * localhost (cookies ignore ports, and to the browser those pages are even "same-site", so
 * SameSite does not keep our cookies from them), and the network (we bind 127.0.0.1 only).
 *
 * Two credentials, so that the one worth stealing never sits in a cookie:
 * - The token is the only key to /ws, i.e. to the data and to every command. It reaches the page
 *   without a cookie: the printed `/?token=T` is answered with a 302 to `/#token=T` (a fragment is
 *   never sent to any server, nor in a Referer); the page moves it into sessionStorage (scoped to
 *   this exact origin, port included), clears it from the address bar, and offers it as the
 *   WebSocket subprotocol `tickscope.token.T`, which only script running on our origin can set.
 *   The host selects `tickscope.v1` in its answer and never echoes the token.
 * - The page key, a second random value in the cookie `tickscope_page_<port>` (HttpOnly,
 *   SameSite=Strict, Path=/), lets the browser load and reload the page and its assets (a
 *   `<script src>` cannot carry a header). The browser also sends this cookie to every other
 *   service on 127.0.0.1, which is why it opens nothing but the static renderer bundle: no data,
 *   no commands, no secret. The port in its name keeps two hosts from overwriting each other's.
 * A per-port cookie holding the token itself (the other option) would still be sent to every
 * port on 127.0.0.1: a cookie's name does not limit where the browser sends it.
 *
 * Every request must also name us in Host (127.0.0.1:<port> or localhost:<port>), which stops
 * DNS-rebinding pages, and an Origin, when present, must be ours, which stops other pages'
 * scripts (browsers always send Origin on WebSocket upgrades). A refusal says nothing about which
 * check failed and sets nothing.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PATTERN, WS_TOKEN_PROTOCOL_PREFIX } from '../../shared/web-host-auth';

export interface Credentials {
  port: number;
  /** The key to /ws; printed in the URL, never in a cookie. */
  token: string;
  /** The key to the static files; in the page cookie. */
  pageKey: string;
}

export const FORBIDDEN_TEXT = 'forbidden: open the URL printed by `npm run serve` (it carries the token)';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function isValidToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export function pageCookieName(port: number): string {
  return `tickscope_page_${port}`;
}

export function pageCookie(creds: Credentials): string {
  return `${pageCookieName(creds.port)}=${creds.pageKey}; HttpOnly; SameSite=Strict; Path=/`;
}

function same(given: string, expected: string): boolean {
  const x = Buffer.from(given);
  const y = Buffer.from(expected);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Host names us and Origin, when sent, is our own page. */
function fromOurPage(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * An HTTP request's access: 'token' when its URL carries the right token (the caller swaps it for
 * the page cookie), 'page' when it carries the page cookie, null to refuse. A wrong `?token=` is
 * refused even with a good cookie.
 */
export function pageAccess(req: IncomingMessage, query: URLSearchParams, creds: Credentials): 'token' | 'page' | null {
  if (!fromOurPage(req, creds.port)) return null;
  const token = query.get('token');
  if (token !== null) return same(token, creds.token) ? 'token' : null;
  const key = cookieValue(req.headers.cookie, pageCookieName(creds.port));
  return key !== null && same(key, creds.pageKey) ? 'page' : null;
}

/** A WebSocket upgrade is ours when it comes from our page and offers the token as a subprotocol. */
export function socketAccess(req: IncomingMessage, creds: Credentials): boolean {
  if (!fromOurPage(req, creds.port)) return false;
  const offered = req.headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return false;
  for (const p of offered.split(',')) {
    const name = p.trim();
    if (name.startsWith(WS_TOKEN_PROTOCOL_PREFIX) && same(name.slice(WS_TOKEN_PROTOCOL_PREFIX.length), creds.token)) return true;
  }
  return false;
}
