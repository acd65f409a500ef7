/**
 * A fake BitMEX realtime endpoint on 127.0.0.1 (port 0): WebSocket `/realtime` plus the REST
 * instrument list on the same http.Server. It answers as https://www.bitmex.com/app/wsAPI
 * documents: the welcome `info` on open, one `{"success":true,"subscribe":"<topic>"}` per topic,
 * then the topic's `partial` (the instrument row; for `trade` the recent trades, which a client
 * must not count as new), a 400 error for an unknown symbol, text `pong` to text `ping`. Tests push
 * table inserts/updates, drop connections, refuse upgrades with 429 or take REST down.
 */
import type { WebSocket } from 'ws';
import { PerSecond, VenueServer } from './venue-server';

export interface BitmexInstrumentRow {
  symbol: string;
  rootSymbol: string;
  typ: string;
  state: string;
  underlying: string;
  quoteCurrency: string;
  isInverse: boolean;
  isQuanto: boolean;
  underlyingToPositionMultiplier: number | null;
  markPrice: number;
  fundingRate: number;
  fundingTimestamp: string;
  indicativeSettlePrice: number;
  openInterest: number;
  timestamp: string;
}

const row = (symbol: string, underlying: string, quote: string, inverse: boolean, perBase: number | null, mark: number): BitmexInstrumentRow => ({
  symbol, rootSymbol: underlying, typ: 'FFWCSX', state: 'Open', underlying, quoteCurrency: quote, isInverse: inverse,
  isQuanto: false, underlyingToPositionMultiplier: perBase, markPrice: mark, fundingRate: 0.0001,
  fundingTimestamp: '2020-01-24T20:00:00.000Z', indicativeSettlePrice: mark, openInterest: 1_000_000, timestamp: '2020-01-24T15:30:00.000Z',
});

export const BITMEX_INSTRUMENTS: BitmexInstrumentRow[] = [
  row('XBTUSD', 'XBT', 'USD', true, null, 8000),
  row('XBTUSDT', 'XBT', 'USDT', false, 1_000_000, 8000),
  row('ETHUSDT', 'ETH', 'USDT', false, 10_000, 160),
  { ...row('XBTH20', 'XBT', 'USD', true, null, 8100), typ: 'FFCCSX' },
];

/** The recent trades BitMEX replays in the trade partial: already printed, never counted again. */
export const PARTIAL_TRADE = {
  timestamp: '2020-01-24T15:30:27.621Z', symbol: 'XBTUSD', side: 'Sell', size: 500, price: 8479.5,
  tickDirection: 'MinusTick', trdMatchID: '34153f08-a2f7-8749-72b4-061da3d3f070', grossValue: 5896500, homeNotional: 0.058965, foreignNotional: 500,
};

interface Client { ws: WebSocket; topics: Set<string> }

export class FakeBitmex extends VenueServer<Client> {
  pings = 0;
  readonly instruments: BitmexInstrumentRow[] = BITMEX_INSTRUMENTS.map((i) => ({ ...i }));
  /** When false the fake ignores text pings (a dead link as the client sees it). */
  answerPings = true;
  private readonly connectRate = new PerSecond();

  private constructor() {
    super('bitmex');
    this.route('/api/v1/instrument/active', () => this.instruments);
  }

  static async start(): Promise<FakeBitmex> {
    return new FakeBitmex().listen();
  }

  get url(): string {
    return this.wsUrl('/realtime');
  }

  subscribers(topic: string): number {
    return this.countClients((c) => c.topics.has(topic));
  }

  /** Sends a table message `{"table","action","data"}` to the topic's subscribers. */
  push(table: string, symbol: string, action: string, data: unknown[]): void {
    this.broadcast(JSON.stringify({ table, action, data }), (c) => c.topics.has(`${table}:${symbol}`));
  }

  sendRaw(topic: string, text: string): void {
    this.broadcast(text, (c) => c.topics.has(topic));
  }

  protected override acceptsPath(path: string): boolean {
    return path === '/realtime';
  }

  protected override openClient(ws: WebSocket): Client {
    if (this.connectRate.hit() > 3) this.problems.push('more than 3 connections within 1 s');
    ws.send(JSON.stringify({ info: 'Welcome to the BitMEX Realtime API.', version: '2.0.0', timestamp: new Date().toISOString(), docs: 'https://www.bitmex.com/app/wsAPI', limit: { remaining: 39 } }));
    return { ws, topics: new Set() };
  }

  protected override onMessage(c: Client, text: string): void {
    if (text === 'ping') {
      this.pings++;
      if (this.answerPings) c.ws.send('pong');
      return;
    }
    let req: { op?: unknown; args?: unknown };
    try {
      req = JSON.parse(text);
    } catch {
      this.problems.push(`not JSON: ${text}`);
      c.ws.send(JSON.stringify({ status: 400, error: 'Unrecognized request. See the docs or send \'help\' for more details.', meta: {}, request: text }));
      return;
    }
    if ((req.op !== 'subscribe' && req.op !== 'unsubscribe') || !Array.isArray(req.args) || req.args.length === 0) {
      this.problems.push(`bad request shape: ${text}`);
      return;
    }
    const args = req.args as string[];
    const unknown = args.find((a) => !this.instruments.some((i) => a.endsWith(`:${i.symbol}`)));
    if (unknown) {
      c.ws.send(JSON.stringify({ status: 400, error: `Unknown or expired symbol. (${unknown})`, meta: {}, request: req }));
      return;
    }
    for (const topic of args) {
      if (req.op === 'unsubscribe') {
        c.topics.delete(topic);
        c.ws.send(JSON.stringify({ success: true, unsubscribe: topic, request: req }));
        continue;
      }
      c.topics.add(topic);
      c.ws.send(JSON.stringify({ success: true, subscribe: topic, request: req }));
      this.sendPartial(c, topic);
    }
  }

  private sendPartial(c: Client, topic: string): void {
    const [table = '', symbol = ''] = topic.split(':');
    const data = table === 'instrument' ? this.instruments.filter((i) => i.symbol === symbol)
      : table === 'trade' && symbol === 'XBTUSD' ? [PARTIAL_TRADE]
      : [];
    c.ws.send(JSON.stringify({ table, action: 'partial', keys: table === 'instrument' ? ['symbol'] : [], types: {}, filter: { symbol }, data }));
  }
}
