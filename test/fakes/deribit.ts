/**
 * A fake Deribit API v2 on 127.0.0.1 (port 0): the JSON-RPC WebSocket `/ws/api/v2` and REST
 * `public/get_instruments` on the same http.Server, in the documented wire format
 * (test/fixtures/deribit/README.md). It checks what the client sends (JSON-RPC 2.0 with numeric
 * ids, known methods, request pacing), answers like Deribit (`set_heartbeat` "ok"; `subscribe`
 * with the list of channels it did subscribe, leaving unknown ones out; `public/test` with its
 * version), and after `set_heartbeat` sends `heartbeat` and `test_request` notifications every
 * `heartbeatMs`: a test_request not answered with `public/test` before the next one closes the
 * connection, as Deribit does. Tests push trades and tickers, drop connections, refuse upgrades
 * or take REST down.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

export const DERIBIT_INSTRUMENTS = [
  { instrument_name: 'BTC-PERPETUAL', kind: 'future', settlement_period: 'perpetual', instrument_type: 'reversed', base_currency: 'BTC', quote_currency: 'USD', contract_size: 10, is_active: true },
  { instrument_name: 'BTC_USDC-PERPETUAL', kind: 'future', settlement_period: 'perpetual', instrument_type: 'linear', base_currency: 'BTC', quote_currency: 'USDC', contract_size: 0.001, is_active: true },
  { instrument_name: 'ETH-27DEC24', kind: 'future', settlement_period: 'quarter', instrument_type: 'reversed', base_currency: 'ETH', quote_currency: 'USD', contract_size: 1, is_active: true },
];
/** Deribit's credit limit allows about 20 requests a second; more is abuse. */
const MAX_REQUESTS_PER_SECOND = 20;

interface Client { ws: WebSocket; subs: Set<string>; rate: PerSecond; heartbeat?: NodeJS.Timeout; testPending: boolean }

export class FakeDeribit extends VenueServer<Client> {
  /** public/test calls received (answers to test_request and keepalives). */
  tests = 0;
  testRequestsSent = 0;
  /** Connections closed because a test_request went unanswered. */
  unansweredCloses = 0;
  /** Period of heartbeat + test_request after set_heartbeat; default the requested interval. */
  heartbeatMs: number | undefined;

  private constructor() {
    super('deribit');
    this.route('/api/v2/public/get_instruments', (url) => {
      if (url.searchParams.get('kind') !== 'future') return { jsonrpc: '2.0', result: [] };
      return { jsonrpc: '2.0', result: DERIBIT_INSTRUMENTS, usIn: 0, usOut: 0, usDiff: 0, testnet: false };
    });
  }

  static async start(): Promise<FakeDeribit> {
    return new FakeDeribit().listen();
  }

  get url(): string {
    return this.wsUrl('/ws/api/v2');
  }

  subscribers(channel: string): number {
    return this.countClients((c) => c.subs.has(channel));
  }

  trades(instrument: string, data: Record<string, unknown>[]): void {
    this.notify(`trades.${instrument}.100ms`, data.map((t) => ({ instrument_name: instrument, tick_direction: 0, ...t })));
  }

  ticker(instrument: string, data: Record<string, unknown>): void {
    this.notify(`ticker.${instrument}.100ms`, { instrument_name: instrument, state: 'open', ...data });
  }

  sendRaw(text: string): void {
    this.broadcast(text);
  }

  private notify(channel: string, data: unknown): void {
    this.broadcast(JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } }), (c) => c.subs.has(channel));
  }

  protected override acceptsPath(path: string): boolean {
    return path === '/ws/api/v2';
  }

  protected override openClient(ws: WebSocket): Client {
    return { ws, subs: new Set(), rate: new PerSecond(), testPending: false };
  }

  protected override onClientGone(c: Client): void {
    clearInterval(c.heartbeat);
  }

  protected override onMessage(c: Client, text: string): void {
    if (c.rate.hit() > MAX_REQUESTS_PER_SECOND) this.problems.push(`more than ${MAX_REQUESTS_PER_SECOND} requests within 1 s`);
    let req: { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: { channels?: unknown; interval?: unknown } };
    try {
      req = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text}`);
      return;
    }
    const answer = (result: unknown) => c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result, usIn: 0, usOut: 0, usDiff: 0, testnet: false }));
    if (req.jsonrpc !== '2.0' || typeof req.id !== 'number') this.problems.push(`not JSON-RPC 2.0 with a numeric id: ${text}`);
    switch (req.method) {
      case 'public/test':
        this.tests++;
        c.testPending = false;
        return answer({ version: '1.2.26' });
      case 'public/set_heartbeat': {
        const interval = req.params?.interval;
        if (typeof interval !== 'number' || interval < 10) {
          c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, error: { message: 'Invalid params', data: { reason: 'must be >= 10', param: 'interval' }, code: -32602 } }));
          return;
        }
        this.startHeartbeat(c, this.heartbeatMs ?? interval * 1000);
        return answer('ok');
      }
      case 'public/subscribe':
      case 'public/unsubscribe': {
        const channels = Array.isArray(req.params?.channels) ? (req.params.channels as unknown[]).filter((x): x is string => typeof x === 'string') : [];
        if (channels.length === 0) {
          this.problems.push(`subscribe without channels: ${text}`);
          return;
        }
        const done = channels.filter((ch) => this.known(ch));
        for (const ch of done) {
          if (req.method === 'public/subscribe') c.subs.add(ch);
          else c.subs.delete(ch);
        }
        return answer(done);
      }
      default:
        this.problems.push(`unexpected method: ${text}`);
        c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, error: { message: 'Method not found', code: -32601 } }));
    }
  }

  private startHeartbeat(c: Client, ms: number): void {
    clearInterval(c.heartbeat);
    c.heartbeat = setInterval(() => {
      if (c.testPending) {
        this.unansweredCloses++;
        c.ws.close(1000, 'test_request not answered');
        return;
      }
      c.ws.send('{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"heartbeat"}}');
      c.ws.send('{"jsonrpc":"2.0","method":"heartbeat","params":{"type":"test_request"}}');
      c.testPending = true;
      this.testRequestsSent++;
    }, ms);
  }

  private known(channel: string): boolean {
    const m = /^(trades|ticker)\.(.+)\.100ms$/.exec(channel);
    return m !== null && DERIBIT_INSTRUMENTS.some((i) => i.instrument_name === m[2]);
  }
}
