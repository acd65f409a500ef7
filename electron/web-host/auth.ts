/**
 * Per-run token: the URL the host prints carries `?token=...`; the first page load turns it into
 * an HttpOnly SameSite=Strict cookie so the page's own requests (assets, WebSocket) carry it.
 * Every HTTP and WebSocket request without the token is refused with 403. The Host header must
 * name the loopback address, which stops DNS-rebinding pages from reaching the host.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE = 'tickscope_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function tokenFromRequest(req: IncomingMessage): string | null {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = url.searchParams.get('token');
  if (q) return q;
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

export function isAuthorised(req: IncomingMessage, token: string, port: number): boolean {
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return false;
  // Browsers always send Origin on WebSocket upgrades: only our own page may connect.
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return false;
  const given = tokenFromRequest(req);
  return given !== null && same(given, token);
}
