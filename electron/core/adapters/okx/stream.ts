/**
 * OKX v5 public WebSocket: spot (`BTC-USDT`) and perpetual swaps (`BTC-USDT-SWAP`, `BTC-USD-SWAP`).
 *
 * Wire format: `{"arg":{"channel","instId"},"data":[...]}` with every number a string and `ts` in
 * epoch ms (string). One subscribe ack per arg; errors `{"event":"error","code","msg"}`. OKX closes
 * a connection after 30 s without input, so we send the literal text `ping` and get text `pong`.
 *
 * Swap sizes (trades `sz`, tickers `bidSz`/`askSz`, liquidation `sz`) are in CONTRACTS. Every perp
 * connection also subscribes to the `instruments` channel (instType SWAP), whose first push lists
 * each swap's contract value; the parser converts contracts to base-asset units with it (linear:
 * sz x ctVal; inverse, ctVal in USD: sz x ctVal / price) so sizes compare across venues. Perp events
 * that arrive before that push are held (bounded) and released once it arrives.
 *
 * Funding: `funding-rate`, `mark-price` and `open-interest` (pushed every 3 s when it changes;
 * `oiCcy` is in the coin) per swap, merged into one Funding per instrument by the parser.
 *
 * Book: the `books` channel (400 levels, snapshot + updates, CRC32 checksum and seqId; book.ts).
 *
 * This file is the WebSocket half: the description and the parser. The REST half is rest.ts;
 * venue.ts puts them together.
 */
import type { BookUpdate, Funding, MarketType, Side } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { textLevels } from '../book-levels';
import { isObj, type JsonObject } from '../json-values';

const ARGS_PER_REQUEST = 50;
/** Perp events held while the contract values are not known yet, per connection. */
const MAX_PENDING = 2_000;

type Arg = { channel: string; instId?: string; instType?: string };
interface Contract { ctVal: number; inverse: boolean }
/** Spot sizes are already in base units. */
const SPOT: Contract = { ctVal: 1, inverse: false };

/** A decimal string to a finite number, or NaN. OKX sends "" for absent values; "1e400" is not finite. */
function num(v: unknown): number {
  const n = typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

function subscribeArgs(streams: readonly Stream[], market: MarketType): Arg[] {
  const args: Arg[] = [];
  // Contract values first, so their snapshot normally precedes the first perp trade.
  if (market === 'perp' && streams.some((s) => s.channel !== 'funding')) {
    args.push({ channel: 'instruments', instType: 'SWAP' });
  }
  // liquidation-orders is per instrument type, not per instrument: one arg per connection.
  if (market === 'perp' && streams.some((s) => s.channel === 'liquidations')) {
    args.push({ channel: 'liquidation-orders', instType: 'SWAP' });
  }
  for (const s of streams) {
    if (s.channel === 'trades') args.push({ channel: 'trades', instId: s.native });
    else if (s.channel === 'quotes') args.push({ channel: 'tickers', instId: s.native });
    else if (s.channel === 'book') args.push({ channel: 'books', instId: s.native });
    else if (s.channel === 'funding') {
      args.push(
        { channel: 'funding-rate', instId: s.native },
        { channel: 'mark-price', instId: s.native },
        { channel: 'open-interest', instId: s.native },
      );
    }
  }
  return args;
}

/** Only per-instrument args: the connection-wide ones (instruments, liquidation-orders) may still serve other streams. */
function instrumentArgs(streams: readonly Stream[], market: MarketType): Arg[] {
  return subscribeArgs(streams, market).filter((a) => a.instId !== undefined);
}

function opMessages(op: 'subscribe' | 'unsubscribe', args: Arg[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += ARGS_PER_REQUEST) {
    out.push(JSON.stringify({ op, args: args.slice(i, i + ARGS_PER_REQUEST) }));
  }
  return out;
}

export function createOkxParser(ctx: ParserContext): FrameParser {
  const contracts = new Map<string, Contract>();
  const pending: Array<{ instId: string; build: (c: Contract) => ParsedEvent }> = [];
  const liquidationIds = new Set(ctx.streams.filter((s) => s.channel === 'liquidations').map((s) => s.native));
  const funding = new Map<string, Funding>();
  const perp = ctx.market === 'perp';
  const ref = (instId: string) => ({ exchange: ctx.exchange, market: ctx.market, symbol: ctx.toCanonical(instId) });
  const bad = (message: string, item: unknown, kind: ErrorEvent['kind'] = 'parse'): ErrorEvent => ({
    type: 'error', kind, message: `OKX: ${message}`, cause: show(item).slice(0, 200),
  });

  /** Contracts -> base units. Linear products are rounded to 15 digits so 3 x 0.1 reads 0.3. */
  const toBase = (c: Contract, sz: number, price: number): number => {
    if (c === SPOT) return sz;
    return c.inverse ? (sz * c.ctVal) / price : Number((sz * c.ctVal).toPrecision(15));
  };

  /**
   * The event built with contract c, or an error: an instId with no canonical name (`--USDT`), or
   * a size that a hostile ctVal or an extreme inverse price made overflow (Infinity) or underflow (0).
   */
  const built = (c: Contract, build: (c: Contract) => ParsedEvent): ParsedEvent => {
    const e = build(c);
    if ('symbol' in e && e.symbol === '') return bad(`${e.type} for an instrument without a symbol`, e);
    const ok = e.type === 'quote' ? e.bidSize < Infinity && e.askSize < Infinity
      : e.type === 'trade' || e.type === 'liquidation' ? e.size > 0 && e.size < Infinity
      : e.type === 'book' ? e.bids.every(([, s]) => s < Infinity) && e.asks.every(([, s]) => s < Infinity) : true;
    return ok ? e : bad(`${e.type} size out of range in base units (contract value ${c.ctVal})`, e);
  };

  /** Emits now on spot or when the contract is known; otherwise holds the event. */
  function sized(out: ParsedEvent[], instId: string, build: (c: Contract) => ParsedEvent): void {
    if (!perp) return void out.push(built(SPOT, build));
    const c = contracts.get(instId);
    if (c) return void out.push(built(c, build));
    pending.push({ instId, build });
    if (pending.length > MAX_PENDING) {
      const dropped = pending.shift()!;
      out.push(bad(`contract value of ${dropped.instId} never arrived (instruments channel); event dropped`, dropped.instId, 'protocol'));
    }
  }

  function onTrade(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const price = num(d.px), sz = num(d.sz), time = num(d.ts), instId = d.instId;
    const side: Side = d.side === 'buy' ? 'buy' : d.side === 'sell' ? 'sell' : 'unknown';
    if (typeof instId !== 'string' || instId === '' || !(price > 0) || !(sz > 0) || !(time > 0)) return void out.push(bad('bad trade', d));
    const id = typeof d.tradeId === 'string' ? d.tradeId : undefined;
    sized(out, instId, (c) => ({
      type: 'trade', ...ref(instId), price, size: toBase(c, sz, price), side, time, receivedAt, ...(id ? { id } : {}),
    }));
  }

  function onTicker(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const bid = num(d.bidPx), bidSz = num(d.bidSz), ask = num(d.askPx), askSz = num(d.askSz), time = num(d.ts);
    const instId = d.instId;
    // A one-sided book (bidPx/askPx "") has no top of book to show; that is not bad input.
    if (d.bidPx === '' || d.askPx === '') return;
    if (typeof instId !== 'string' || instId === '' || !(bid > 0) || !(ask > 0) || !(bidSz >= 0) || !(askSz >= 0)) {
      return void out.push(bad('bad ticker', d));
    }
    sized(out, instId, (c) => ({
      type: 'quote', ...ref(instId), bid, bidSize: toBase(c, bidSz, bid), ask, askSize: toBase(c, askSz, ask),
      time: time > 0 ? time : receivedAt, receivedAt,
    }));
  }

  function onLiquidation(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const instId = d.instId;
    if (typeof instId !== 'string' || instId === '' || !Array.isArray(d.details)) return void out.push(bad('bad liquidation', d));
    if (!liquidationIds.has(instId)) return; // the channel carries every swap; keep the subscribed ones
    for (const x of d.details) {
      const det = isObj(x) ? x : {};
      const price = num(det.bkPx), sz = num(det.sz), time = num(det.ts);
      if (!(price > 0) || !(sz > 0) || !(time > 0)) { out.push(bad('bad liquidation', x)); continue; }
      // `side` is the liquidation order's side: sell closes a long, buy closes a short.
      const side: Side = det.side === 'buy' ? 'buy' : det.side === 'sell' ? 'sell' : 'unknown';
      sized(out, instId, (c) => ({
        type: 'liquidation', ...ref(instId), price, size: toBase(c, sz, price), side, time, receivedAt,
      }));
    }
  }

  /**
   * A `books` push (book.ts has the rules): levels in the venue's units converted to base units as
   * trades are, the venue's text kept beside them for the checksum (swap sizes stay contracts
   * there, and "0.0000001" must not become "1e-7"), seqId/prevSeqId and checksum when sent.
   */
  function onBook(d: JsonObject, instId: unknown, action: unknown, out: ParsedEvent[], receivedAt: number): void {
    const bids = textLevels(d.bids), asks = textLevels(d.asks), time = num(d.ts);
    if (typeof instId !== 'string' || instId === '' || !bids || !asks || !(time > 0) || (action !== 'snapshot' && action !== 'update')) {
      return void out.push(bad('bad books push (levels, ts, instId or action)', d));
    }
    const { checksum, seqId, prevSeqId } = d;
    sized(out, instId, (c) => {
      const u: BookUpdate = {
        type: 'book', ...ref(instId), action: action === 'snapshot' ? 'snapshot' : 'delta',
        bids: bids.levels.map(([p, sz]) => [p, toBase(c, sz, p)]), asks: asks.levels.map(([p, sz]) => [p, toBase(c, sz, p)]),
        text: { bids: bids.text, asks: asks.text }, time, receivedAt,
      };
      if (Number.isInteger(checksum)) u.checksum = checksum as number;
      if (Number.isInteger(seqId)) u.lastSeq = seqId as number;
      // -1 on a snapshot: it follows nothing.
      if (action === 'update' && Number.isInteger(prevSeqId) && (prevSeqId as number) >= 0) u.prevSeq = prevSeqId as number;
      return u;
    });
  }

  /**
   * funding-rate, mark-price and open-interest arrive separately; each Funding carries the latest
   * of all three. Merging here, not downstream, because the publisher keeps only the latest Funding
   * per market in a batch: an open-interest-only record would hide the rate that came just before.
   */
  function onFunding(d: JsonObject, out: ParsedEvent[], receivedAt: number, kind: 'rate' | 'mark' | 'oi'): void {
    const instId = d.instId;
    if (typeof instId !== 'string' || ctx.toCanonical(instId) === '') return void out.push(bad('bad funding', d));
    const prev = funding.get(instId) ?? { type: 'funding', ...ref(instId), time: 0, receivedAt };
    const next: Funding = { ...prev, receivedAt };
    if (kind === 'mark') {
      const markPrice = num(d.markPx);
      if (!(markPrice > 0)) return void out.push(bad('bad mark price', d));
      next.markPrice = markPrice;
    } else if (kind === 'oi') {
      const oi = openInterest(d, instId);
      if (oi === undefined) return void out.push(bad('bad open interest', d));
      next.openInterest = oi;
    } else {
      const rate = num(d.fundingRate);
      // `fundingTime` is the settlement the current rate applies to; OKX's `nextFundingTime` is the
      // one after it. Funding.nextFundingTime means "next settlement", i.e. OKX fundingTime.
      const settle = num(d.fundingTime) || num(d.nextFundingTime);
      if (!Number.isFinite(rate)) return void out.push(bad('bad funding rate', d));
      next.rate = rate;
      if (settle > 0) next.nextFundingTime = settle;
    }
    const ts = num(d.ts);
    next.time = ts > 0 ? ts : receivedAt;
    funding.set(instId, next);
    out.push({ ...next });
  }

  /**
   * Open interest in base units: `oiCcy` (the coin, e.g. BTC, for linear and inverse swaps alike);
   * without it, linear `oi` contracts x ctVal when the instruments channel gave the contract value.
   */
  function openInterest(d: JsonObject, instId: string): number | undefined {
    const ccy = num(d.oiCcy);
    if (ccy >= 0) return ccy;
    const oi = num(d.oi), c = contracts.get(instId);
    return oi >= 0 && c && !c.inverse ? toBase(c, oi, 1) : undefined;
  }

  function onInstruments(data: unknown[], out: ParsedEvent[]): void {
    for (const x of data) {
      if (!isObj(x) || typeof x.instId !== 'string' || typeof x.ctVal !== 'string') continue;
      const ctVal = num(x.ctVal);
      if (ctVal > 0) contracts.set(x.instId, { ctVal, inverse: x.ctType === 'inverse' });
    }
    for (let i = 0; i < pending.length; ) {
      const p = pending[i]!;
      const c = contracts.get(p.instId);
      if (c) { out.push(built(c, p.build)); pending.splice(i, 1); } else i++;
    }
    out.push({ type: 'control', what: 'info', message: `contract values: ${contracts.size} swaps` });
  }

  function onEvent(msg: JsonObject): ParsedEvent[] {
    const arg = isObj(msg.arg) ? msg.arg : undefined;
    const text = typeof msg.msg === 'string' ? msg.msg : '';
    switch (msg.event) {
      case 'subscribe':
      case 'unsubscribe':
        return [{ type: 'control', what: 'ack', message: `${msg.event} ${show(arg?.channel ?? '')} ${show(arg?.instId ?? arg?.instType ?? '')}`.trim() }];
      case 'error': {
        // e.g. 60018 "Wrong URL or channel:trades,instId:BTC-XYZ doesn't exist..." names the instrument.
        const instId = /instId:([A-Za-z0-9-]+)/.exec(text)?.[1] ?? (typeof arg?.instId === 'string' ? arg.instId : undefined);
        const e: ErrorEvent = { type: 'error', kind: 'venue', message: `OKX error ${show(msg.code ?? '')}: ${text}`, cause: text };
        if (instId) e.symbol = ctx.toCanonical(instId);
        return [e];
      }
      case 'notice': // e.g. 64008 "The connection will soon be closed for a service upgrade."
        return [{ type: 'notice', message: `OKX ${show(msg.code ?? '')}: ${text}`, reconnect: msg.code === '64008' }];
      case 'channel-conn-count':
      case 'login':
        return [{ type: 'control', what: 'info', message: String(msg.event) }];
      default:
        return [bad(`unknown event ${String(msg.event)}`, msg, 'protocol')];
    }
  }

  function parse(frame: string, receivedAt: number): ParsedEvent[] {
    if (frame === 'pong') return [{ type: 'control', what: 'pong' }];
    let msg: unknown;
    try {
      msg = JSON.parse(frame);
    } catch {
      const t = frame.trimStart();
      if (t.startsWith('{') || t.startsWith('[')) return [{ type: 'error', kind: 'parse', message: 'OKX: malformed JSON frame', cause: frame.slice(0, 200) }];
      return [{ type: 'notice', message: frame.slice(0, 200) }];
    }
    if (!isObj(msg)) return [bad('unexpected frame', msg)];
    if (typeof msg.event === 'string') return onEvent(msg);
    const arg = isObj(msg.arg) ? msg.arg : undefined;
    if (!arg || !Array.isArray(msg.data)) return [bad('unknown message', msg, 'protocol')];
    const out: ParsedEvent[] = [];
    if (arg.channel === 'instruments') { onInstruments(msg.data, out); return out; }
    for (const d of msg.data) {
      if (!isObj(d)) { out.push(bad('bad data item', d)); continue; }
      switch (arg.channel) {
        case 'trades': onTrade(d, out, receivedAt); break;
        case 'tickers': onTicker(d, out, receivedAt); break;
        case 'liquidation-orders': onLiquidation(d, out, receivedAt); break;
        case 'funding-rate': onFunding(d, out, receivedAt, 'rate'); break;
        case 'mark-price': onFunding(d, out, receivedAt, 'mark'); break;
        case 'open-interest': onFunding(d, out, receivedAt, 'oi'); break;
        case 'books': onBook(d, arg.instId, msg.action, out, receivedAt); break;
        default: return [bad(`unexpected channel ${show(arg.channel)}`, arg, 'protocol')];
      }
    }
    return out;
  }

  return {
    parse(frame, receivedAt) {
      try {
        return parse(frame, receivedAt);
      } catch (err) {
        return [{ type: 'error', kind: 'parse', message: `OKX: parser failure: ${String(err)}`, cause: frame.slice(0, 200) }];
      }
    },
  };
}

export const okxStream: VenueStream = {
  defaultUrl: () => 'wss://ws.okx.com:8443/ws/v5/public',
  // OKX allows 480 subscribe requests per hour per connection; batching 50 args per request and
  // 100 streams per connection keeps a connection's (re)subscriptions to a handful of requests.
  maxStreamsPerConnection: 100,
  subscribeMessagesPerSecond: 2,
  keepalive: { kind: 'text', intervalMs: 20_000, message: 'ping' },
  subscribeMessages: (streams, market) => opMessages('subscribe', subscribeArgs(streams, market)),
  unsubscribeMessages: (streams, market) => opMessages('unsubscribe', instrumentArgs(streams, market)),
  // A book resync: OKX acks a repeated subscribe (recorded) but documents a snapshot only for a new
  // subscription, so the book is unsubscribed first.
  resubscribeMessages: (streams, market) => {
    const args = instrumentArgs(streams, market);
    return [...opMessages('unsubscribe', args), ...opMessages('subscribe', args)];
  },
  createParser: createOkxParser,
};
