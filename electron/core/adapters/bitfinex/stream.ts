/**
 * Bitfinex WebSocket v2, public spot channels (`trades`, `ticker`, `book`).
 *
 * After `{"event":"subscribed","chanId":N,...}` every message of that channel is an array keyed by
 * chanId only, so the parser keeps chanId -> (channel, symbol) per connection. Decisions:
 * - The trades snapshot sent on subscribe (`[chanId,[[ID,MTS,AMOUNT,PRICE],...]]`) is history from
 *   before we connected: it is skipped (its ids are remembered so a late `tu` is not emitted).
 * - A live trade arrives twice, `te` then `tu` with the same id: each id is emitted once (a small
 *   per-connection set of recent ids; a `tu` whose `te` we missed is still emitted).
 * - A connection carrying a book sends `conf` first with SEQ_ALL | OB_CHECKSUM (book.ts): every
 *   frame then ends with the connection's sequence number (one count for all channels), which
 *   chains each book message to its channel's previous one (book-frames.ts), and book channels
 *   send checksums. A skipped number breaks every book's chain on the connection (the lost
 *   message may have been any of them). Without books no flags are sent and trailing values are
 *   ignored. Ticker frames carry no exchange time: Quote.time = receive time.
 * - A book is resynced by unsubscribing its chanId and subscribing again (resubscribeMessages):
 *   a second subscribe to a live channel is refused ("subscribe: dup", code 10301).
 * - Bitfinex calls USDT "UST" and USDC "UDC"; 4+ letter assets use a colon, `tTESTBTC:TESTUSD`.
 *
 * This file is the WebSocket half: the description and the parser. The REST half is rest.ts;
 * venue.ts puts them together.
 */
import type { Channel, Side } from '../../../../shared/domain';
import { show } from '../../util/show';
import type { ErrorEvent, FrameParser, ParsedEvent, ParserContext, Stream, VenueStream } from '../adapter';
import { isObj, type JsonObject } from '../json-values';
import { BOOK_LEN, OB_CHECKSUM, SEQ_ALL } from './book';
import { bookRecord, type BookChannel, type SeqPosition } from './book-frames';

/** Recent trade ids remembered per connection for te/tu de-duplication. */
const RECENT_IDS = 2_000;
/** Bitfinex info codes: 20051 server restart, 20060/20061 maintenance start/end. */
const INFO_RECONNECT = new Set([20051, 20061]);

interface ChannelInfo {
  channel: string;
  symbol: string;
  /** The venue's symbol as subscribed (`tBTCUSD`). */
  native: string;
  /** Book channels: where the channel's chain of sequence numbers stands. */
  book?: BookChannel;
  /** Set once we asked to unsubscribe it (a resync), until the venue says `unsubscribed`. */
  unsubscribing?: boolean;
}

/** The trailing sequence number (SEQ_ALL): after the payload, which is one element, or a tag and one element. */
function seqOf(msg: unknown[]): number | undefined {
  const v = msg[Array.isArray(msg[1]) || msg[1] === 'hb' ? 2 : 3];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

export function createBitfinexParser(ctx: ParserContext): FrameParser {
  const channels = new Map<number, ChannelInfo>();
  /** The connection's numbering: last number seen, first number after the latest skip. */
  const position: SeqPosition = { seq: undefined, gapFrom: -Infinity };
  /** Only a connection carrying a book asked for sequence numbers (subscribeMessages). */
  const followsSeq = ctx.streams.some((s) => s.channel === 'book');
  const seen = new Set<number>();
  const remember = (id: number) => {
    seen.add(id);
    // Sets iterate in insertion order: drop the oldest id.
    if (seen.size > RECENT_IDS) seen.delete(seen.values().next().value as number);
  };
  const bad = (message: string, frame: string, kind: ErrorEvent['kind'] = 'parse'): ErrorEvent => ({
    type: 'error', kind, message: `Bitfinex: ${message}`, cause: frame.slice(0, 200),
  });

  function onEvent(msg: JsonObject, frame: string): ParsedEvent[] {
    switch (msg.event) {
      case 'info': {
        const code = typeof msg.code === 'number' ? msg.code : undefined;
        if (code !== undefined) {
          const text = typeof msg.msg === 'string' ? msg.msg : `info ${code}`;
          return [{ type: 'notice', message: `Bitfinex ${code}: ${text}`, reconnect: INFO_RECONNECT.has(code) }];
        }
        if (isObj(msg.platform) && msg.platform.status === 0) {
          return [{ type: 'notice', message: 'Bitfinex platform in maintenance (status 0)' }];
        }
        return [{ type: 'control', what: 'info', message: `version ${show(msg.version ?? '?')}` }];
      }
      case 'subscribed': {
        const { chanId, channel, symbol } = msg;
        const canonical = typeof symbol === 'string' ? ctx.toCanonical(symbol) : '';
        if (typeof chanId !== 'number' || typeof channel !== 'string' || canonical === '') {
          return [bad('bad subscribed event', frame, 'protocol')];
        }
        const info: ChannelInfo = { channel, symbol: canonical, native: symbol as string };
        if (channel === 'book') info.book = { exchange: ctx.exchange, market: ctx.market, symbol: canonical };
        channels.set(chanId, info);
        return [{ type: 'control', what: 'ack', message: `${channel} ${symbol} chanId ${chanId}` }];
      }
      case 'unsubscribed':
        if (typeof msg.chanId === 'number') channels.delete(msg.chanId);
        return [{ type: 'control', what: 'ack', message: 'unsubscribed' }];
      case 'pong':
        return [{ type: 'control', what: 'pong' }];
      case 'conf':
        return msg.status === 'OK'
          ? [{ type: 'control', what: 'ack', message: 'conf' }]
          : [{ type: 'error', kind: 'venue', message: `Bitfinex conf rejected: ${show(msg.status)}`, cause: frame.slice(0, 200) }];
      case 'error': {
        // e.g. {"event":"error","msg":"symbol: invalid","code":10300,"channel":"trades","symbol":"tFOOBAR"}
        const text = typeof msg.msg === 'string' ? msg.msg : 'unknown error';
        const e: ErrorEvent = { type: 'error', kind: 'venue', message: `Bitfinex error ${show(msg.code ?? '')}: ${text}`, cause: text };
        const native = typeof msg.symbol === 'string' ? msg.symbol : typeof msg.pair === 'string' ? msg.pair : undefined;
        if (native) e.symbol = ctx.toCanonical(native);
        return [e];
      }
      default:
        return [bad(`unknown event ${show(msg.event)}`, frame, 'protocol')];
    }
  }

  function trade(info: ChannelInfo, t: unknown, receivedAt: number): ParsedEvent | null {
    if (!Array.isArray(t)) return bad('bad trade', show(t));
    const [id, mts, amount, price] = t;
    if (typeof id !== 'number' || typeof mts !== 'number' || typeof amount !== 'number' || typeof price !== 'number'
      // JSON's 1e400 parses as Infinity: not a time or a price.
      || !(mts > 0 && mts < Infinity) || !(price > 0 && price < Infinity) || amount === 0 || !Number.isFinite(amount)) {
      return bad('bad trade', show(t));
    }
    if (seen.has(id)) return null;
    remember(id);
    const side: Side = amount > 0 ? 'buy' : 'sell';
    return {
      type: 'trade', exchange: ctx.exchange, market: ctx.market, symbol: info.symbol,
      price, size: Math.abs(amount), side, time: mts, receivedAt, id: String(id),
    };
  }

  function onArray(msg: unknown[], frame: string, receivedAt: number): ParsedEvent[] {
    const [chanId, second, third] = msg;
    if (typeof chanId !== 'number') return [bad('array frame without chanId', frame)];
    if (second === 'hb') return [{ type: 'control', what: 'heartbeat' }];
    const info = channels.get(chanId);
    if (!info) return [bad(`data for unknown chanId ${chanId}`, frame, 'protocol')];
    if (info.channel === 'trades') {
      if (second === 'te' || second === 'tu') {
        const e = trade(info, third, receivedAt);
        return e ? [e] : [];
      }
      if (Array.isArray(second)) {
        // Snapshot of past trades: not live, never counted; remember ids so no later tu repeats them.
        for (const t of second) if (Array.isArray(t) && typeof t[0] === 'number') remember(t[0]);
        return [{ type: 'control', what: 'info', message: `trades snapshot skipped (${second.length})` }];
      }
      return [bad('unknown trades message', frame, 'protocol')];
    }
    if (info.book) {
      const cs = second === 'cs' ? third : undefined;
      if (second === 'cs' && !(typeof cs === 'number' && Number.isInteger(cs))) return [bad('bad book checksum', frame)];
      const u = bookRecord(info.book, second, cs as number | undefined, position, receivedAt);
      return u ? [u] : [bad('bad book message', frame)];
    }
    if (info.channel === 'ticker' && Array.isArray(second)) {
      const [bid, bidSize, ask, askSize] = second;
      if (typeof bid !== 'number' || typeof ask !== 'number' || typeof bidSize !== 'number' || typeof askSize !== 'number'
        || !(bid > 0 && bid < Infinity) || !(ask > 0 && ask < Infinity) || !Number.isFinite(bidSize) || !Number.isFinite(askSize)) {
        return [bad('bad ticker', frame)];
      }
      return [{
        type: 'quote', exchange: ctx.exchange, market: ctx.market, symbol: info.symbol,
        bid, bidSize, ask, askSize, time: receivedAt, receivedAt,
      }];
    }
    return [bad(`unexpected ${info.channel} message`, frame, 'protocol')];
  }

  /** Notes the frame's sequence number; a skipped number is reported (and breaks the books' chains). */
  function followSeq(msg: unknown[]): ErrorEvent | null {
    const seq = followsSeq ? seqOf(msg) : undefined;
    if (seq === undefined) return null;
    const last = position.seq;
    position.seq = seq;
    if (last === undefined || seq === last + 1) return null;
    position.gapFrom = seq;
    return { type: 'error', kind: 'protocol', message: `Bitfinex: sequence ${seq} after ${last} (messages lost or reordered)` };
  }

  return {
    resubscribeMessages(streams) {
      const out: string[] = [];
      let renewing = false;
      for (const s of streams) {
        for (const [chanId, info] of channels) {
          if (info.channel !== WIRE_CHANNEL[s.channel] || info.native !== s.native) continue;
          // Already unsubscribed, its new subscription on the way: asking again would be refused.
          if (info.unsubscribing) renewing = true;
          else {
            info.unsubscribing = true;
            out.push(JSON.stringify({ event: 'unsubscribe', chanId }));
          }
        }
      }
      if (out.length === 0) return renewing ? [] : undefined;
      // The connection's conf flags still hold: only the subscriptions are renewed.
      return [...out, ...subscribeMessages(streams, false)];
    },
    parse(frame, receivedAt) {
      let msg: unknown;
      try {
        msg = JSON.parse(frame);
      } catch {
        const t = frame.trimStart();
        if (t.startsWith('{') || t.startsWith('[')) return [bad('malformed JSON frame', frame)];
        return [{ type: 'notice', message: frame.slice(0, 200) }];
      }
      try {
        if (Array.isArray(msg)) {
          const skipped = followSeq(msg);
          const events = onArray(msg, frame, receivedAt);
          return skipped ? [skipped, ...events] : events;
        }
        if (isObj(msg) && typeof msg.event === 'string') return onEvent(msg, frame);
        return [bad('unexpected frame', frame, 'protocol')];
      } catch (err) {
        return [bad(`parser failure: ${String(err)}`, frame)];
      }
    },
  };
}

const WIRE_CHANNEL: Partial<Record<Channel, string>> = { trades: 'trades', quotes: 'ticker', book: 'book' };

/** `conf` first when a book is on the connection (see the top of this file), then one subscribe per stream. */
function subscribeMessages(streams: readonly Stream[], conf = true): string[] {
  const out: string[] = [];
  if (conf && streams.some((s) => s.channel === 'book')) out.push(JSON.stringify({ event: 'conf', flags: SEQ_ALL | OB_CHECKSUM }));
  for (const s of streams) {
    const channel = WIRE_CHANNEL[s.channel];
    if (!channel) continue;
    out.push(JSON.stringify(channel === 'book'
      ? { event: 'subscribe', channel, symbol: s.native, prec: 'P0', freq: 'F0', len: String(BOOK_LEN) }
      : { event: 'subscribe', channel, symbol: s.native }));
  }
  return out;
}

export const bitfinexStream: VenueStream = {
  defaultUrl: () => 'wss://api-pub.bitfinex.com/ws/2',
  // Bitfinex allows 30 public channel subscriptions per connection.
  maxStreamsPerConnection: 30,
  // Bitfinex publishes no subscribe rate; 20/s keeps a full 30-channel connection under 2 s.
  subscribeMessagesPerSecond: 20,
  // The server sends [chanId,"hb"] every 15 s per channel; our ping checks the link both ways.
  keepalive: { kind: 'text', intervalMs: 30_000, message: '{"event":"ping","cid":1}' },
  subscribeMessages: (streams) => subscribeMessages(streams),
  // Unsubscribing needs the server's chanId, which only the parser knows; the runtime reconnects
  // with the new stream set instead.
  createParser: createBitfinexParser,
};
