/**
 * The local web host: the same core served to a browser. Static renderer + the protocol of
 * shared/protocol.ts over a WebSocket at /ws. Binds to 127.0.0.1 only; every request needs the
 * per-run token (auth.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CoreApi } from '../core/api/core-api';
import { COOKIE, isAuthorised, newToken } from './auth';
import { contentSecurityPolicy, serveStatic } from './static-files';

export interface WebHostOptions {
  api: CoreApi;
  rendererDir: string;
  port?: number;
  token?: string;
  /** Max bytes a browser may lag behind before batches are conflated instead of queued. */
  maxBufferedBytes?: number;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_COMMAND_BYTES = 256 * 1024;

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? newToken();
  const maxBuffered = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
  let port = 0;
  const http: Server = createServer((req, res) => {
    if (!isAuthorised(req, token, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('forbidden: open the URL printed by `npm run serve` (it carries the token)');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.searchParams.has('token')) {
      // Swap the token in the address bar for a cookie, so it is not left in history or shared links.
      res.writeHead(302, {
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
      });
      res.end();
      return;
    }
    void serveStatic(opts.rendererDir, url.pathname, res, contentSecurityPolicy(`ws://127.0.0.1:${port} ws://localhost:${port}`));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_COMMAND_BYTES, perMessageDeflate: false });
  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws' || !isAuthorised(req, token, port)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const session = opts.api.connect({
      send: (msg) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
      },
      ready: () => ws.bufferedAmount < maxBuffered,
    });
    ws.on('message', (data, isBinary) => {
      let parsed: unknown = null;
      if (!isBinary) {
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          parsed = null;
        }
      }
      void session.receive(parsed);
    });
    ws.on('close', () => session.close());
    ws.on('error', () => session.close());
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
