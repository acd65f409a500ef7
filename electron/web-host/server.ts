/**
 * The local web host: the same core served to a browser. Static renderer + the protocol of
 * shared/protocol.ts over a WebSocket at /ws. Binds to 127.0.0.1 only; every request needs the
 * per-run token or the page key derived from it (auth.ts).
 *
 * Nothing a client sends may end the process: every handler's failure is caught here (a 500 while
 * nothing was sent yet, else the socket is destroyed), counted in stats(), and reported once
 * through onError; the other connections carry on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/protocol';
import { TOKEN_FRAGMENT_KEY, WS_PROTOCOL } from '../../shared/web-host-auth';
import type { ApiSession, CoreApi } from '../core/api/core-api';
import { FORBIDDEN_TEXT, isValidToken, newToken, pageAccess, pageCookie, socketAccess, type Credentials } from './auth';
import { parseRequestTarget } from './request-target';
import { contentSecurityPolicy, serveStatic } from './static-files';

export interface WebHostOptions {
  api: Pick<CoreApi, 'connect'>;
  rendererDir: string;
  port?: number;
  /** base64url, 16-128 characters (it travels as a WebSocket subprotocol); random by default. */
  token?: string;
  /** Max bytes a browser may lag behind before batches are conflated instead of queued. */
  maxBufferedBytes?: number;
  /** Told about every failure the host caught (default: one line on stderr). */
  onError?: (where: string, error: unknown) => void;
}

/** What the host refused or survived since it started. */
export interface WebHostStats {
  /** Unparsable request targets and malformed HTTP (also a bad Sec-WebSocket-* handshake). */
  badRequests: number;
  /** Requests and upgrades without a valid credential, Host or Origin. */
  forbidden: number;
  /** Failures inside the host or the core while handling a request or message (caught). */
  internalErrors: number;
  /** WebSocket connections that ended with a protocol error (e.g. a frame over the size cap). */
  socketErrors: number;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  stats(): WebHostStats;
  close(): Promise<void>;
}

/** A command is small: 256 KB is far above the largest feed config, and bounds one frame's cost. */
const MAX_COMMAND_BYTES = 256 * 1024;

function reportToStderr(where: string, error: unknown): void {
  process.stderr.write(`web host: ${where}: ${error instanceof Error ? error.message : String(error)}\n`);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(text);
}

/** The id of a command message, for an error reply when the core could not give one (-1 if none). */
function commandId(text: string | null): number {
  if (text === null) return -1;
  try {
    // Only on that failure path; JSON.parse is iterative, so the depth of a 256 KB frame is no risk.
    const id = (JSON.parse(text) as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : -1;
  } catch {
    return -1;
  }
}

/** Answers an upgrade we will not accept, then closes the socket once the answer is out. */
function refuseUpgrade(socket: Duplex, status: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\nCache-Control: no-store\r\n\r\n`, () => socket.destroy());
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? newToken();
  if (!isValidToken(token)) throw new Error('web host: token must be 16-128 base64url characters');
  const creds: Credentials = { port: 0, token, pageKey: newToken() };
  const maxBuffered = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
  const onError = opts.onError ?? reportToStderr;
  const stats: WebHostStats = { badRequests: 0, forbidden: 0, internalErrors: 0, socketErrors: 0 };

  function caught(where: string, error: unknown): void {
    stats.internalErrors++;
    try {
      onError(where, error);
    } catch {
      // A failing reporter must not turn a handled failure into an unhandled one.
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseRequestTarget(req.url);
    if (!target) {
      stats.badRequests++;
      return plain(res, 400, 'bad request');
    }
    const access = pageAccess(req, target.query, creds);
    if (!access) {
      stats.forbidden++;
      return plain(res, 403, FORBIDDEN_TEXT);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'method not allowed');
    }
    if (access === 'token') {
      // Out of the query (sent to the server, kept in history) into the fragment (sent nowhere),
      // from where the page takes it into sessionStorage; the page key goes into the cookie.
      res.writeHead(302, {
        'Set-Cookie': pageCookie(creds),
        Location: `/#${TOKEN_FRAGMENT_KEY}=${token}`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.end();
      return;
    }
    const port = creds.port;
    await serveStatic(opts.rendererDir, target.path, res, contentSecurityPolicy(`ws://127.0.0.1:${port} ws://localhost:${port}`));
  }

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      caught(`${req.method} request`, e);
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // Malformed HTTP (garbage request lines, oversized headers): 400 (431) if the socket still
  // listens, and counted; Node's parser has already refused it, no handler runs.
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    stats.badRequests++;
    if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_COMMAND_BYTES,
    perMessageDeflate: false,
    // Select the version, never the token protocol: the answer must not echo the token.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  wss.on('error', (e) => caught('websocket server', e));

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops its own error handler from an upgraded socket: a reset before we answer would
    // otherwise be an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    try {
      const target = parseRequestTarget(req.url);
      if (!target) {
        stats.badRequests++;
        return refuseUpgrade(socket, '400 Bad Request');
      }
      if (target.path !== '/ws' || !socketAccess(req, creds)) {
        stats.forbidden++;
        return refuseUpgrade(socket, '403 Forbidden');
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
    } catch (e) {
      caught('upgrade', e);
      socket.destroy();
    }
  });

  function attach(ws: WebSocket): void {
    // First, before anything can fail: ws emits 'error' (then 'close') for a frame over
    // maxPayload or a protocol violation; only that socket ends.
    ws.on('error', () => stats.socketErrors++);
    let session: ApiSession | null = null;
    let closed = false;
    ws.on('close', () => {
      closed = true;
      session?.close();
    });
    // Throws when `msg` cannot be encoded, as the Transport contract asks: the core then sends a
    // fallback (a hello without feeds, an error reply) or drops the subscriber. A batch that
    // cannot be encoded also ends this socket: its stream has a hole the client cannot see.
    const send = (msg: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      let text: string;
      try {
        text = JSON.stringify(msg);
      } catch (e) {
        caught(`encoding a ${msg.type} message`, e);
        if (msg.type === 'batch') ws.close(1011, 'internal error: a batch could not be encoded');
        throw new Error(`the ${msg.type} message cannot be encoded: ${e instanceof Error ? e.message : String(e)}`);
      }
      ws.send(text);
    };
    try {
      session = opts.api.connect({ send, ready: () => ws.bufferedAmount < maxBuffered });
    } catch (e) {
      caught('connect', e);
      ws.close(1011, 'internal error: the core could not start this session');
      return;
    }
    if (closed) session.close();
    const live = session;
    ws.on('message', (data, isBinary) => {
      // The text as it came: the core checks its size and nesting before parsing it (a binary
      // frame is answered "malformed message").
      const text = isBinary ? null : data.toString();
      let handled: Promise<void>;
      try {
        handled = live.receive(text);
      } catch (e) {
        handled = Promise.reject(e);
      }
      handled.catch((e: unknown) => {
        caught('command', e);
        send({ type: 'reply', id: commandId(text), ok: false, error: 'internal error: the core could not handle this command' });
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  // After listen, a server error (e.g. EMFILE on accept) is reported, not thrown.
  http.on('error', (e) => caught('server', e));
  creds.port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${creds.port}/?token=${token}`,
    port: creds.port,
    token,
    stats: () => ({ ...stats }),
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      const closed = new Promise<void>((r) => http.close(() => r()));
      // A client that holds a connection open (slow headers, keep-alive) must not delay the stop.
      http.closeAllConnections();
      await closed;
    },
  };
}
