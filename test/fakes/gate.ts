/**
 * A fake Gate API v4 venue on 127.0.0.1 (port 0): the spot WebSocket (`/ws/v4/`), the USDT
 * futures WebSocket (`/v4/ws/usdt`) and the REST pair and contract lists, on one http.Server. It
 * answers as Gate documents: `{"event":"subscribe","result":{"status":"success"}}` per request
 * (a `time` within 60 s of the clock is required), an `error` object for an unknown market,
 * `spot.pong` / `futures.pong` to pings, and on a `futures.contract_info` subscribe the contract's
 * `all` push (unless `contractInfo` is off, as on a server without the channel's snapshot). Tests
 * push channel updates, drop connections, refuse upgrades with 429 or take REST down.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

export const GATE_PAIRS = [
  { id: 'BTC_USDT', base: 'BTC', quote: 'USDT', trade_status: 'tradable' },
  { id: 'ETH_USDT', base: 'ETH', quote: 'USDT', trade_status: 'tradable' },
  { id: 'OLD_USDT', base: 'OLD', quote: 'USDT', trade_status: 'untradable' },
];
export const GATE_CONTRACTS = [
  { name: 'BTC_USDT', quanto_multiplier: '0.0001', type: 'direct', in_delisting: false },
  { name: 'ETH_USDT', quanto_multiplier: '0.01', type: 'direct', in_delisting: false },
];

const SPOT_PATH = '/ws/v4/';
const FUTURES_PATH = '/v4/ws/usdt';

interface Client { ws: WebSocket; futures: boolean; subs: Set<string> }

export class FakeGate extends VenueServer<Client> {
  pings = 0;
  /** Requests whose `time` was missing or more than 60 s off (Gate refuses them). */
  badTimes = 0;
  /** Whether a futures.contract_info subscribe gets the contract's `all` push. */
  contractInfo = true;
  readonly contracts = GATE_CONTRACTS.map((c) => ({ ...c }));
  private readonly connectRate = new PerSecond();

  private constructor() {
    super('gate');
    this.route('/api/v4/spot/currency_pairs', () => GATE_PAIRS);
    this.route('/api/v4/futures/usdt/contracts', () => this.contracts);
  }

  static async start(): Promise<FakeGate> {
    return new FakeGate().listen();
  }

  get spotUrl(): string {
    return this.wsUrl(SPOT_PATH);
  }
  get futuresUrl(): string {
    return this.wsUrl(FUTURES_PATH);
  }

  subscribers(channel: string, native: string): number {
    return this.countClients((c) => c.subs.has(`${channel} ${native}`));
  }

  /** An `update` push of `channel` (result: one object on spot.trades, an array on futures) to its subscribers. */
  push(channel: string, native: string, result: unknown): void {
    const now = Date.now();
    this.sendRaw(channel, native, JSON.stringify({ time: Math.floor(now / 1000), time_ms: now, channel, event: 'update', result }));
  }

  sendRaw(channel: string, native: string, text: string): void {
    this.broadcast(text, (c) => c.subs.has(`${channel} ${native}`));
  }

  protected override acceptsPath(path: string): boolean {
    return path === SPOT_PATH || path === FUTURES_PATH;
  }

  protected override openClient(ws: WebSocket, path: string): Client {
    if (this.connectRate.hit() > 3) this.problems.push('more than 3 connections within 1 s');
    return { ws, futures: path === FUTURES_PATH, subs: new Set() };
  }

  protected override onMessage(c: Client, text: string): void {
    let req: { time?: unknown; channel?: unknown; event?: unknown; payload?: unknown };
    try {
      req = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text}`);
      return;
    }
    const now = Date.now();
    if (typeof req.time !== 'number' || Math.abs(req.time - now / 1000) > 60) this.badTimes++;
    const channel = String(req.channel);
    const prefix = c.futures ? 'futures.' : 'spot.';
    const answer = (body: Record<string, unknown>) => c.ws.send(JSON.stringify({ time: Math.floor(now / 1000), time_ms: now, channel, ...body }));
    if (!channel.startsWith(prefix)) {
      this.problems.push(`${channel} sent to the ${c.futures ? 'futures' : 'spot'} endpoint`);
      return;
    }
    if (channel === `${prefix}ping`) {
      this.pings++;
      c.ws.send(JSON.stringify({ time: Math.floor(now / 1000), time_ms: now, channel: `${prefix}pong`, event: '', result: null }));
      return;
    }
    if ((req.event !== 'subscribe' && req.event !== 'unsubscribe') || !Array.isArray(req.payload) || req.payload.length !== 1) {
      this.problems.push(`bad request shape: ${text}`);
      return;
    }
    const native = String(req.payload[0]);
    const known = c.futures ? this.contracts.some((k) => k.name === native) : GATE_PAIRS.some((p) => p.id === native);
    if (!known) {
      const what = c.futures ? 'contract' : 'currency pair';
      answer({ event: req.event, payload: req.payload, error: { code: 2, message: `unknown ${what} ${native}` }, result: { status: 'fail' } });
      return;
    }
    if (req.event === 'subscribe') c.subs.add(`${channel} ${native}`);
    else c.subs.delete(`${channel} ${native}`);
    answer({ event: req.event, result: { status: 'success' } });
    const contract = this.contracts.find((k) => k.name === native);
    if (req.event === 'subscribe' && channel === 'futures.contract_info' && this.contractInfo && contract) {
      answer({ event: 'all', result: { contract: native, quanto_multiplier: contract.quanto_multiplier, order_price_round: '0.1', mark_price_round: '0.01' } });
    }
  }
}
