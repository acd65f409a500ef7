/**
 * BitMEX realtime API (`wss://ws.bitmex.com/realtime`), public tables, perpetual swaps only.
 *
 * Subscribe: `{"op":"subscribe","args":["instrument:XBTUSD","trade:XBTUSD",...]}`, one request per
 * symbol so a refused symbol (`{"status":400,"error":...,"request":{...}}`) names exactly one
 * market. Answers: the welcome `{"info":"Welcome to the BitMEX Realtime API.",...}` on open (info)
 * and one `{"success":true,"subscribe":"trade:XBTUSD"}` per table (ack).
 *
 * Every table starts with `action: "partial"`, the table's current rows, then `insert` / `update`
 * / `delete`. Trades: only `insert` rows are new trades; the `trade` partial is a snapshot of
 * recent trades already printed and is skipped (never counted twice). `side` is the taker's side.
 * Size is `homeNotional` (base units: BTC for XBTUSD, whose `size` counts 1-USD contracts). `XBT`
 * is `BTC` (symbols.ts). Quotes (`quote` partial + inserts) and liquidations (`liquidation`
 * inserts; its `side` is the side of the liquidation order: Sell = a long liquidated, as our
 * Liquidation.side; `leavesQty` in contracts, no timestamp: receive time is used) are in
 * contracts and are converted with the `instrument` row (inverse: contracts of 1 quote unit, so
 * base = qty / price; linear: qty / underlyingToPositionMultiplier); they wait for the instrument
 * partial, which BitMEX sends on subscribe, and quanto contracts without a base multiplier are
 * reported, not guessed. Funding and mark from `instrument` (partial, then updates carrying only
 * the changed fields, merged here per symbol).
 *
 * Keepalive: BitMEX's rule is to send the text `ping` when nothing has arrived for 5 s and
 * reconnect when its text `pong` does not follow; the runtime sends `ping` every 5 s and fails the
 * link after 15 s of silence.
 */
import type { Funding, Side } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { HeldEvents } from '../held-events';
import { clip, isObj, type JsonObject } from '../json-values';
import { guardedParse, readJsonFrame } from '../text-frame';

/** Events held for an instrument row; beyond this the oldest is dropped and reported. */
const MAX_PENDING = 200;

/** The BitMEX tables a stream needs (the instrument row sizes quotes and liquidations). */
function tables(channels: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (channels.has('quotes') || channels.has('liquidations') || channels.has('funding')) out.push('instrument');
  if (channels.has('trades')) out.push('trade');
  if (channels.has('quotes')) out.push('quote');
  if (channels.has('liquidations')) out.push('liquidation');
  return out;
}

/**
 * One request per symbol. An unsubscribe leaves `instrument` alone: other channels of the symbol on
 * this connection may still need its contract sizes and funding.
 */
function bitmexOps(op: 'subscribe' | 'unsubscribe', streams: readonly Stream[]): string[] {
  const byNative = new Map<string, Set<string>>();
  for (const s of streams) {
    let set = byNative.get(s.native);
    if (!set) byNative.set(s.native, (set = new Set()));
    set.add(s.channel);
  }
  const out: string[] = [];
  for (const [native, channels] of byNative) {
    const args = tables(channels).filter((t) => op === 'subscribe' || t !== 'instrument').map((t) => `${t}:${native}`);
    if (args.length > 0) out.push(JSON.stringify({ op, args }));
  }
  return out;
}

const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
};
const isoTime = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : NaN);

/** Contracts -> base units for one instrument. */
type SizeFn = (qty: number, price: number) => number;
/** A SizeFn, or why the instrument's contracts have no base size. */
type Sizer = SizeFn | string;

function sizerOf(row: JsonObject): Sizer {
  if (row.isInverse === true) return (qty, price) => qty / price;
  const perBase = num(row.underlyingToPositionMultiplier);
  if (perBase > 0) return (qty) => Number((qty / perBase).toPrecision(15));
  return `no base size for ${show(row.symbol)} contracts (quanto, no underlyingToPositionMultiplier)`;
}

const FUNDING_FIELDS = ['fundingRate', 'markPrice', 'fundingTimestamp', 'openInterest', 'indicativeSettlePrice'];

export function createBitmexParser(ctx: ParserContext): FrameParser {
  const { exchange, market } = ctx;
  const wantFunding = new Set(ctx.streams.filter((s) => s.channel === 'funding').map((s) => s.native));
  const wantQuotes = new Set(ctx.streams.filter((s) => s.channel === 'quotes').map((s) => s.native));
  const symbolOf = new Map(ctx.streams.map((s) => [s.native, s.symbol]));
  const canonical = (native: string) => symbolOf.get(native) ?? ctx.toCanonical(native);
  /** Merged instrument rows per native symbol. */
  const instruments = new Map<string, JsonObject>();
  /** Instruments whose contracts cannot be sized, already reported on this connection. */
  const unsizable = new Set<string>();

  const bad = (message: string, item: unknown, kind: 'parse' | 'protocol' = 'parse'): ErrorEvent => ({
    type: 'error', kind, message: `BitMEX: ${message}`, cause: clip(show(item), 200),
  });
  const held = new HeldEvents<(size: SizeFn) => ParsedEvent>(MAX_PENDING, (native) =>
    bad(`instrument row of ${native} never arrived; its quotes and liquidations are dropped until it does`, native, 'protocol'));

  /**
   * Builds with the instrument's sizer. A quanto contract has none: that is said once per
   * connection (not for every quote) and its events are left out.
   */
  function emit(out: ParsedEvent[], native: string, sizer: Sizer, build: (size: SizeFn) => ParsedEvent): void {
    if (typeof sizer !== 'string') return void out.push(build(sizer));
    if (unsizable.has(native)) return;
    unsizable.add(native);
    out.push(bad(`${sizer}: its quotes and liquidations are not shown`, native, 'protocol'));
  }

  /** Emits now when the instrument row is known, else holds the event. */
  function sized(out: ParsedEvent[], native: string, build: (size: SizeFn) => ParsedEvent): void {
    const row = instruments.get(native);
    if (row) return emit(out, native, sizerOf(row), build);
    held.hold(out, native, build);
  }

  function onTrade(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const price = num(d.price), size = num(d.homeNotional), time = isoTime(d.timestamp);
    const native = typeof d.symbol === 'string' ? d.symbol : '';
    const symbol = native ? canonical(native) : '';
    if (!symbol || !(price > 0) || !(size > 0) || !(time > 0)) return void out.push(bad('bad trade (price, homeNotional, timestamp or symbol)', d));
    const side: Side = d.side === 'Buy' ? 'buy' : d.side === 'Sell' ? 'sell' : 'unknown';
    const id = typeof d.trdMatchID === 'string' ? d.trdMatchID : undefined;
    out.push({ type: 'trade', exchange, market, symbol, price, size, side, time, receivedAt, ...(id ? { id } : {}) });
  }

  function onQuote(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const native = typeof d.symbol === 'string' ? d.symbol : '';
    const bid = num(d.bidPrice), ask = num(d.askPrice), bidQty = num(d.bidSize), askQty = num(d.askSize), time = isoTime(d.timestamp);
    if (!native || !(bid > 0) || !(ask > 0) || !(bidQty >= 0) || !(askQty >= 0)) return void out.push(bad('bad quote', d));
    if (!wantQuotes.has(native)) return;
    sized(out, native, (s) => ({
      type: 'quote', exchange, market, symbol: canonical(native),
      bid, bidSize: s(bidQty, bid), ask, askSize: s(askQty, ask), time: time > 0 ? time : receivedAt, receivedAt,
    }));
  }

  function onLiquidation(d: JsonObject, out: ParsedEvent[], receivedAt: number): void {
    const native = typeof d.symbol === 'string' ? d.symbol : '';
    const price = num(d.price), qty = num(d.leavesQty);
    if (!native || !(price > 0) || !(qty > 0)) return void out.push(bad('bad liquidation (symbol, price or leavesQty)', d));
    // The liquidation order's side: Sell closes a long, Buy a short (as Liquidation.side).
    const side: Side = d.side === 'Buy' ? 'buy' : d.side === 'Sell' ? 'sell' : 'unknown';
    sized(out, native, (s) => {
      const size = s(qty, price);
      return size > 0 && size < Infinity
        ? { type: 'liquidation', exchange, market, symbol: canonical(native), price, size, side, time: receivedAt, receivedAt }
        : bad('liquidation size out of range in base units', d);
    });
  }

  function onInstrument(rows: unknown[], replace: boolean, out: ParsedEvent[], receivedAt: number): void {
    for (const r of rows) {
      if (!isObj(r) || typeof r.symbol !== 'string') { out.push(bad('bad instrument row', r)); continue; }
      const native = r.symbol;
      const merged = replace ? { ...r } : { ...(instruments.get(native) ?? {}), ...r };
      instruments.set(native, merged);
      if (wantFunding.has(native) && FUNDING_FIELDS.some((f) => f in r)) out.push(funding(native, merged, receivedAt));
    }
    held.release((native) => instruments.has(native), (native, build) => emit(out, native, sizerOf(instruments.get(native)!), build));
  }

  function funding(native: string, row: JsonObject, receivedAt: number): Funding {
    const time = isoTime(row.timestamp);
    const f: Funding = { type: 'funding', exchange, market, symbol: canonical(native), time: time > 0 ? time : receivedAt, receivedAt };
    const rate = num(row.fundingRate), mark = num(row.markPrice), index = num(row.indicativeSettlePrice);
    const next = isoTime(row.fundingTimestamp), oi = num(row.openInterest);
    if (Number.isFinite(rate)) f.rate = rate;
    if (mark > 0) f.markPrice = mark;
    if (index > 0) f.indexPrice = index;
    if (next > 0) f.nextFundingTime = next;
    const s = sizerOf(row);
    if (oi >= 0 && mark > 0 && typeof s !== 'string') f.openInterest = s(oi, mark);
    return f;
  }

  function onTable(msg: JsonObject, table: string, receivedAt: number): ParsedEvent[] {
    const action = msg.action;
    if (!Array.isArray(msg.data) || typeof action !== 'string') return [bad(`${table} without data or action`, msg)];
    const out: ParsedEvent[] = [];
    if (table === 'instrument') {
      if (action === 'partial' || action === 'insert' || action === 'update') onInstrument(msg.data, action !== 'update', out, receivedAt);
      return out;
    }
    // The trade partial repeats trades already printed; liquidation partials, updates (a partly
    // filled liquidation order) and deletes are not new liquidations.
    const takes = table === 'quote' ? action === 'partial' || action === 'insert' : action === 'insert';
    if (!takes) return [{ type: 'control', what: 'info', message: `${table} ${action}: ${msg.data.length} rows skipped` }];
    for (const d of msg.data) {
      if (!isObj(d)) { out.push(bad(`bad ${table} row`, d)); continue; }
      if (table === 'trade') onTrade(d, out, receivedAt);
      else if (table === 'quote') onQuote(d, out, receivedAt);
      else if (table === 'liquidation') onLiquidation(d, out, receivedAt);
      else return [bad(`unexpected table ${table}`, msg, 'protocol')];
    }
    return out;
  }

  function onReply(msg: JsonObject, frame: string): ParsedEvent {
    if (typeof msg.error === 'string') {
      const request = isObj(msg.request) && Array.isArray(msg.request.args) ? msg.request.args : [];
      const topic = request.find((a): a is string => typeof a === 'string' && a.includes(':'));
      const status = typeof msg.status === 'number' ? ` ${msg.status}` : '';
      const e: ErrorEvent = { type: 'error', kind: 'venue', message: `BitMEX error${status}: ${msg.error}`, cause: msg.error };
      if (topic) e.symbol = canonical(topic.slice(topic.indexOf(':') + 1));
      return e;
    }
    if (msg.success === true) {
      const what = typeof msg.subscribe === 'string' ? `subscribe ${msg.subscribe}` : typeof msg.unsubscribe === 'string' ? `unsubscribe ${msg.unsubscribe}` : 'ok';
      return { type: 'control', what: 'ack', message: what };
    }
    if (typeof msg.info === 'string') return { type: 'control', what: 'info', message: msg.info };
    return bad('unknown message', frame, 'protocol');
  }

  function parse(frame: string, receivedAt: number): ParsedEvent[] {
    if (frame === 'pong') return [{ type: 'control', what: 'pong' }];
    const read = readJsonFrame(frame, 'BitMEX');
    if (!read.ok) return read.events;
    const msg = read.msg;
    if (!isObj(msg)) return [bad('unexpected frame', frame)];
    if (typeof msg.table === 'string') return onTable(msg, msg.table, receivedAt);
    return [onReply(msg, frame)];
  }

  return { parse: guardedParse('BitMEX', parse) };
}

export const bitmexStream: VenueStream = {
  defaultUrl: () => 'wss://ws.bitmex.com/realtime',
  // BitMEX documents no per-connection topic cap; 100 streams keep a connection's partials small.
  maxStreamsPerConnection: 100,
  // Subscribe requests count against the connection's request limit (the welcome's limit.remaining).
  subscribeMessagesPerSecond: 5,
  keepalive: { kind: 'text', intervalMs: 5_000, message: 'ping' },
  subscribeMessages: (streams) => bitmexOps('subscribe', streams),
  unsubscribeMessages: (streams) => bitmexOps('unsubscribe', streams),
  createParser: createBitmexParser,
};

