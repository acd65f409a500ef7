/**
 * A loopback WebSocket server for runtime and adapter tests (127.0.0.1, port 0).
 *
 * Built on a plain http.Server so the upgrade itself can be refused (HTTP 429 + Retry-After, as
 * Binance and others do). It records every frame received with its time, every upgrade attempt,
 * and can send, broadcast, drop every connection abruptly, or "stall": keep the socket open
 * and answering protocol pings while swallowing what tests send (optionally letting some through,
 * e.g. heartbeats).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';

export interface FakeClient {
  id: number;
  /** Request path and query, e.g. `/stream?streams=a/b`. */
  path: string;
  socket: WebSocket;
  connectedAt: number;
}

export interface ReceivedFrame {
  client: number;
  at: number;
  data: string;
}

export interface UpgradeAttempt {
  at: number;
  path: string;
  /** 101 when accepted, else the refusal status. */
  status: number;
}

interface Refusal {
  status: number;
  headers: Record<string, string>;
}

export class FakeWsServer {
  readonly received: ReceivedFrame[] = [];
  readonly attempts: UpgradeAttempt[] = [];
  totalConnections = 0;
  private readonly clientsById = new Map<number, FakeClient>();
  private readonly refusals: Refusal[] = [];
  private connectionHandlers: ((c: FakeClient) => void)[] = [];
  private messageHandlers: ((c: FakeClient, data: string) => void)[] = [];
  private stalled: { allow: (frame: string) => boolean } | null = null;
  private readonly rawSockets = new Set<Socket>();

  private constructor(
    private readonly http: http.Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeWsServer> {
    const server = http.createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only');
    });
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const fake = new FakeWsServer(server, wss, (server.address() as AddressInfo).port);
    server.on('connection', (s) => {
      fake.rawSockets.add(s);
      s.on('close', () => fake.rawSockets.delete(s));
    });
    server.on('upgrade', (req, socket, head) => fake.upgrade(req, socket as Socket, head));
    return fake;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/`;
  }

  /** Open client connections. */
  clients(): FakeClient[] {
    return [...this.clientsById.values()];
  }

  connectionCount(): number {
    return this.clientsById.size;
  }

  onConnection(fn: (c: FakeClient) => void): void {
    this.connectionHandlers.push(fn);
  }

  onMessage(fn: (c: FakeClient, data: string) => void): void {
    this.messageHandlers.push(fn);
  }

  /** The next `count` upgrades are answered with `status` and `headers` instead of 101. */
  refuseUpgrades(count: number, status: number, headers: Record<string, string> = {}): void {
    for (let i = 0; i < count; i++) this.refusals.push({ status, headers });
  }

  send(client: FakeClient | number, data: string): boolean {
    const c = typeof client === 'number' ? this.clientsById.get(client) : client;
    if (!c || c.socket.readyState !== WebSocket.OPEN) return false;
    if (this.stalled && !this.stalled.allow(data)) return false;
    c.socket.send(data);
    return true;
  }

  /** A text frame of these exact bytes (which need not be valid UTF-8) to every open client. */
  broadcastTextBytes(bytes: Buffer): void {
    for (const c of this.clientsById.values()) if (c.socket.readyState === WebSocket.OPEN) c.socket.send(bytes, { binary: false });
  }

  /** Sends to every open client (or those `filter` accepts); returns how many got it. */
  broadcast(data: string, filter: (c: FakeClient) => boolean = () => true): number {
    let n = 0;
    for (const c of this.clientsById.values()) if (filter(c) && this.send(c, data)) n++;
    return n;
  }

  /** Stall: frames sent through send/broadcast are swallowed unless `allow` passes them. */
  stall(on: boolean, allow: (frame: string) => boolean = () => false): void {
    this.stalled = on ? { allow } : null;
  }

  /** Abrupt loss of every connection (TCP reset, no close frame), as when a venue's node dies. */
  dropAll(): void {
    for (const c of this.clientsById.values()) c.socket.terminate();
  }

  /** Orderly close of every connection with a code, as when a venue restarts. */
  closeAll(code = 1001, reason = 'going away'): void {
    for (const c of this.clientsById.values()) c.socket.close(code, reason);
  }

  framesFrom(client: number): string[] {
    return this.received.filter((f) => f.client === client).map((f) => f.data);
  }

  async close(): Promise<void> {
    for (const c of this.clientsById.values()) c.socket.terminate();
    for (const s of this.rawSockets) s.destroy();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const path = req.url ?? '/';
    const refusal = this.refusals.shift();
    if (refusal) {
      this.attempts.push({ at: Date.now(), path, status: refusal.status });
      const headers = Object.entries({ 'content-length': '0', connection: 'close', ...refusal.headers })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.end(`HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status] ?? 'Refused'}\r\n${headers}\r\n`);
      return;
    }
    this.attempts.push({ at: Date.now(), path, status: 101 });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const client: FakeClient = { id: ++this.totalConnections, path, socket: ws, connectedAt: Date.now() };
      this.clientsById.set(client.id, client);
      ws.on('message', (data) => {
        const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf8');
        this.received.push({ client: client.id, at: Date.now(), data: text });
        for (const fn of this.messageHandlers) fn(client, text);
      });
      ws.on('close', () => this.clientsById.delete(client.id));
      ws.on('error', () => {});
      for (const fn of this.connectionHandlers) fn(client);
    });
  }
}
