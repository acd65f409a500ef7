/**
 * The app:// protocol handler: serves the built renderer from one folder, with our CSP, and
 * nothing outside it. Pure (no electron import; the file reader is passed in) so it is
 * unit-tested without Electron.
 *
 * It never rejects: a rejected protocol handler gives the page an opaque network error and
 * leaves the cause in no log, so every failure is an HTTP answer instead (400 undecodable path,
 * 403 outside the folder, 404 missing, 405 not a read, 500 unreadable).
 *
 * Files are read with Node's fs (Electron's fs reads inside app.asar), not net.fetch of a
 * file:// URL: Electron serves asar paths over file:// only while the
 * GrantFileProtocolExtraPrivileges fuse is on, and electron-builder.yml turns it off.
 */
import { extname, join, normalize, sep } from 'node:path';

export type ReadFile = (path: string) => Promise<Uint8Array>;

export interface AppProtocolOptions {
  /** Absolute folder of the built renderer (out/renderer). */
  rootDir: string;
  /** The only host served, e.g. "tickscope" for app://tickscope. */
  host: string;
  csp: string;
  readFile: ReadFile;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** fs error codes that mean "there is no such file to serve" rather than "serving failed". */
const NOT_FOUND = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

export function createAppProtocolHandler(opts: AppProtocolOptions): (req: Request) => Promise<Response> {
  const root = normalize(opts.rootDir);
  return async (req) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed');
      const url = new URL(req.url);
      if (url.host !== opts.host) return text(404, 'not found');
      let rel: string;
      try {
        rel = url.pathname === '/' || url.pathname === '' ? 'index.html' : decodeURIComponent(url.pathname);
      } catch {
        return text(400, 'bad request: the path is not valid percent-encoding');
      }
      if (rel.includes('\0')) return text(400, 'bad request: NUL in the path');
      const file = normalize(join(root, rel));
      if (!file.startsWith(root + sep)) return text(403, 'forbidden');
      let body: Uint8Array;
      try {
        body = await opts.readFile(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException | null)?.code;
        if (code && NOT_FOUND.has(code)) return text(404, 'not found');
        console.error(`tickscope: app:// could not read ${file}: ${e instanceof Error ? e.message : String(e)}`);
        return text(500, 'the file could not be read');
      }
      // fs reads into a plain ArrayBuffer (never a SharedArrayBuffer), which is what BodyInit wants.
      return new Response(req.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
        status: 200,
        headers: {
          'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Security-Policy': opts.csp,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch (e) {
      // Anything unforeseen (an unparseable URL, a Response that cannot be built) is still an answer.
      console.error(`tickscope: app:// request failed: ${e instanceof Error ? e.message : String(e)}`);
      return text(500, 'internal error');
    }
  };
}
