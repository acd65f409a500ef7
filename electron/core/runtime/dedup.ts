/**
 * De-duplication of trades while two connections carry the same markets (make-before-break
 * rotation). Every trade delivered by either connection must reach the sink exactly once.
 *
 * A trade is keyed by its venue id, or by time+price+size+side when the venue gives none. Only a
 * key seen on the *other* connection is a duplicate: one connection may legitimately deliver two
 * id-less trades with equal keys (one taker order filling two equal makers in the same ms), so
 * each key remembers how many times its source delivered it and cancels that many copies.
 *
 * A cross-connection duplicate also proves that the two streams of that market overlap: all
 * trades before it came on the old connection, all after it come on the new one. That is the
 * signal that the old connection can be closed without losing a trade (see shard.ts).
 */
import type { Liquidation, MarketData, Trade } from '../../../shared/domain';

interface Seen {
  source: number;
  remaining: number;
}

/** Keys kept at most; oldest forgotten first (Map keeps insertion order). */
const MAX_KEYS = 200_000;

export class OverlapDeduper {
  private seen = new Map<string, Seen>();
  /** 'off': pass-through; 'overlap': record and drop; 'drain': only drop (old socket closed). */
  private mode: 'off' | 'overlap' | 'drain' = 'off';
  /** Symbols for which a cross-connection duplicate was seen during this overlap. */
  readonly joined = new Set<string>();
  /** Duplicates dropped since construction. */
  dropped = 0;

  get active(): boolean {
    return this.mode !== 'off';
  }

  /** A replacement connection is being opened: start recording what both deliver. */
  beginOverlap(): void {
    this.seen.clear();
    this.joined.clear();
    this.mode = 'overlap';
  }

  /** The old connection is closed: keep dropping copies of what it delivered, record nothing new. */
  drain(): void {
    if (this.mode === 'overlap') this.mode = 'drain';
  }

  stop(): void {
    this.mode = 'off';
    this.seen.clear();
    this.joined.clear();
  }

  /** True when the event should be delivered; false for a copy of one delivered by the other connection. */
  admit(ev: MarketData, source: number): boolean {
    if (this.mode === 'off' || (ev.type !== 'trade' && ev.type !== 'liquidation')) return true;
    const key = keyOf(ev);
    const entry = this.seen.get(key);
    if (entry && entry.source !== source) {
      this.joined.add(ev.symbol);
      this.dropped++;
      if (--entry.remaining <= 0) this.seen.delete(key);
      return false;
    }
    if (this.mode === 'overlap') {
      if (entry) entry.remaining++;
      else {
        if (this.seen.size >= MAX_KEYS) this.seen.delete(this.seen.keys().next().value!);
        this.seen.set(key, { source, remaining: 1 });
      }
    }
    return true;
  }
}

export function keyOf(ev: Trade | Liquidation): string {
  if (ev.type === 'trade' && ev.id !== undefined) return `${ev.symbol}|#${ev.id}`;
  return `${ev.symbol}|${ev.type}|${ev.time}|${ev.price}|${ev.size}|${ev.side}`;
}
