/**
 * The mechanics every fake venue shares, so each venue file holds only its protocol: one
 * http.Server on 127.0.0.1 (port 0) carrying the venue's REST routes (history endpoints first,
 * via FakeHistoryRest) and its WebSocket endpoint; upgrades refused on demand with HTTP 429 +
 * Retry-After (as venues do when a client reconnects too fast); the open connections, the text
 * frames received on each, `problems` (what a real venue would punish; tests expect it empty),
 * abrupt drops and shutdown.
 *
 * A venue subclasses VenueServer with its per-connection state `C`, registers REST routes with
 * `route()` in its constructor, and implements `openClient` (called once per accepted socket) and
 * `onMessage` (every text frame, after it is logged).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeHistoryRest, type HistoryVenue } from './history-rest';

/**
 * Answers one REST path: the JSON body (HTTP 200), or undefined for 404 (e.g. a bad query).
 * `body` is a POST's parsed JSON body (Hyperliquid /info), undefined for a GET or a body that is not JSON.
 */
export type RestRoute = (url: URL, body?: unknown) => unknown;

/** What a venue keeps per connection; it always includes the socket. */
export interface VenueClient {
  ws: WebSocket;
}

export abstract class VenueServer<C extends VenueClient, R = string> {
  readonly problems: string[] = [];
  /** REST history endpoints (candles, rate-limit answers); see history-rest.ts. */
  readonly historyRest: FakeHistoryRest;
  /** Text frames received, per connection, in order. */
  readonly received: R[][] = [];
  /** Status of every upgrade attempt in order: 101, 429 (rejectUpgrades) or 404 (wrong path). */
  readonly upgrades: number[] = [];
  /** Connections accepted so far. */
  connections = 0;
  /** Calls to the venue's own REST routes (history requests are in historyRest.requests). */
  restCalls = 0;
  /** When set, every non-history REST call gets HTTP 503. */
  restDown = false;
  protected readonly clients = new Set<C>();
  private refuse = 0;
  /** Per REST path: how many more calls get HTTP 429 and with which Retry-After (seconds). */
  private readonly restRefusals = new Map<string, { n: number; retryAfterSec: number }>();
  private readonly routes = new Map<string, RestRoute>();
  private readonly http = createServer();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  /** `record` turns a received frame into its `received` entry (default: the text itself). */
  protected constructor(venue: HistoryVenue, private readonly record?: (client: C, text: string) => R) {
    this.historyRest = new FakeHistoryRest(venue);
    this.http.on('request', (req, res) => this.answerRest(req, res));
    this.http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
  }

  /** Starts listening; a venue's static start() ends with `return fake.listen()`. */
  protected async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get openConnections(): number {
    return this.clients.size;
  }

  /** Refuses the next n WebSocket upgrades with HTTP 429 (Retry-After 0 keeps tests quick). */
  rejectUpgrades(n: number): void {
    this.refuse = n;
  }

  /** Abruptly closes every connection, as a venue restart would. */
  dropAll(): void {
    for (const c of this.clients) c.ws.terminate();
  }

  async close(): Promise<void> {
    this.dropAll();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  protected wsUrl(path = ''): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  /** Serves `pathname` (query ignored for matching; the route reads it from the URL). */
  protected route(pathname: string, answer: RestRoute): void {
    this.routes.set(pathname, answer);
  }

  /** Sends `text` to every open connection, or only to those `to` selects. */
  protected broadcast(text: string, to: (c: C) => boolean = () => true): void {
    for (const c of this.clients) if (to(c)) c.ws.send(text);
  }

  protected countClients(matches: (c: C) => boolean): number {
    let n = 0;
    for (const c of this.clients) if (matches(c)) n++;
    return n;
  }

  /** Whether `path` (request URL with query) is this venue's WebSocket endpoint; others get 404. */
  protected acceptsPath(_path: string): boolean {
    return true;
  }

  /** The state for a newly accepted connection (start its timers and send its greeting here). */
  protected abstract openClient(ws: WebSocket, path: string): C;

  /** Every text frame a connection sends, after it is logged in `received`. */
  protected abstract onMessage(client: C, text: string): void;

  /** A connection closed or failed: stop its timers. Called once per connection. */
  protected onClientGone(_client: C): void {}

  private answerRest(req: IncomingMessage, res: ServerResponse): void {
    if (this.historyRest.handle(req, res)) return;
    this.restCalls++;
    if (req.method !== 'POST') return this.answerRoute(req, res, undefined);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let posted: unknown;
      try {
        posted = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        posted = undefined;
      }
      this.answerRoute(req, res, posted);
    });
  }

  /** The next n calls of a venue REST route (`/fapi/v1/openInterest`) get HTTP 429 with Retry-After. */
  refuseRest(pathname: string, n: number, retryAfterSec: number): void {
    this.restRefusals.set(pathname, { n, retryAfterSec });
  }

  private answerRoute(req: IncomingMessage, res: ServerResponse, posted: unknown): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const refusal = this.restRefusals.get(url.pathname);
    if (refusal && refusal.n > 0) {
      refusal.n--;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(refusal.retryAfterSec) }).end('{"code":-1003,"msg":"Too many requests."}');
      return;
    }
    const body = this.restDown ? undefined : this.routes.get(url.pathname)?.(url, posted);
    if (body === undefined) {
      res.writeHead(this.restDown ? 503 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = req.url ?? '/';
    const status = this.refuse > 0 ? 429 : this.acceptsPath(path) ? 101 : 404;
    this.upgrades.push(status);
    if (status === 429) {
      this.refuse--;
      socket.end('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    if (status === 404) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, path));
  }

  private accept(ws: WebSocket, path: string): void {
    this.connections++;
    const log: R[] = [];
    this.received.push(log);
    const client = this.openClient(ws, path);
    this.clients.add(client);
    const gone = (): void => {
      if (this.clients.delete(client)) this.onClientGone(client);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    ws.on('message', (raw) => {
      const text = raw.toString();
      // Without a record function R is string (the class default), so the text is the entry.
      log.push(this.record ? this.record(client, text) : (text as R));
      this.onMessage(client, text);
    });
  }
}

/** Arrival times within the last second, for a venue's messages-per-second limit. */
export class PerSecond {
  private times: number[] = [];

  /** Records one event now; returns how many happened within the last second, this one included. */
  hit(now = Date.now()): number {
    this.times = this.times.filter((t) => now - t < 1_000);
    this.times.push(now);
    return this.times.length;
  }
}
