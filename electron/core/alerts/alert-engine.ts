/**
 * Alert evaluation in the core (docs/architecture.md, Alerts): on every trade and liquidation the
 * ingest loop processes (never on the UI's conflated batches), so an alert fires with no window
 * open, and in headless; oi-change on every funding record that carries open interest (the same
 * two lookups). Feed-stale and book-invalid are checked by a once-a-second tick.
 *
 * Cost on the trade path: with no trade alerts, one integer compare; with alerts on other symbols
 * only, one Set lookup of the trade's (interned) symbol; otherwise two nested-Map lookups (the
 * trade's own market and its composite `*`), no string built. Alerts are indexed
 * by market when they are set, never searched per trade.
 */
import type { AlertDef, AlertFired } from '../../../shared/alerts';
import type { Funding, Liquidation, MarketRef, MarketType, Trade } from '../../../shared/domain';
import type { FeedState } from '../../../shared/health';
import { COMPOSITE } from '../../../shared/markets';
import type { Clock } from '../util/clock';
import { MarketMap } from '../util/market-map';
import { ArmedAlert } from './armed-alert';
import { bookInvalidMessage, crossMessage, cvdMessage, feedStaleMessage, largeMessage, oiMessage } from './messages';
import { oiChangeMeets } from './oi-window';

/** What the timed conditions look at; the pipeline answers from its feeds and books. */
export interface AlertProbes {
  /** Ids of the enabled feeds carrying this market (every venue's, for a composite market). */
  feedsFor(ref: MarketRef): string[];
  /** States of this market's order books (every venue's for a composite); empty when it has none. */
  bookStates(ref: MarketRef): string[];
}

/** Feed states that count as down for feed-stale: not delivering, and not stopped on purpose. */
const DOWN_STATES: ReadonlySet<FeedState> = new Set(['connecting', 'subscribing', 'stale', 'backoff', 'error']);

export interface AlertEngineOptions {
  clock: Clock;
  onFire(alert: AlertFired): void;
  probes?: AlertProbes;
}

export class AlertEngine {
  private trades = new MarketMap<ArmedAlert[]>();
  private liquidations = new MarketMap<ArmedAlert[]>();
  private timed: ArmedAlert[] = [];
  private tradeAlerts = 0;
  /** Symbols with any trade alert (own venue or composite): most trades stop at this check. */
  private tradeSymbols = new Set<string>();
  private liquidationAlerts = 0;
  private openInterest = new MarketMap<ArmedAlert[]>();
  private openInterestAlerts = 0;
  /** Every armed alert by id + definition, so set() keeps the state of alerts it did not change. */
  private armed = new Map<string, ArmedAlert>();
  /** Each feed's last state and since when (from status records). */
  private readonly feedStates = new Map<string, { state: FeedState; since: number }>();
  fired = 0;

  constructor(private readonly o: AlertEngineOptions) {}

  /** Replaces the alert list. An alert whose definition did not change keeps its state (side of a level, cool-down, fired once). */
  set(defs: readonly AlertDef[]): void {
    const next = new Map<string, ArmedAlert>();
    for (const def of defs) {
      if (def.enabled === false) continue;
      const key = JSON.stringify(def);
      next.set(key, this.armed.get(key) ?? new ArmedAlert(def));
    }
    this.armed = next;
    this.trades = new MarketMap();
    this.liquidations = new MarketMap();
    this.openInterest = new MarketMap();
    this.timed = [];
    this.tradeAlerts = this.liquidationAlerts = this.openInterestAlerts = 0;
    this.tradeSymbols = new Set();
    for (const a of next.values()) {
      const { exchange, market, symbol } = a.ref;
      if (a.def.kind === 'price-cross' || a.def.kind === 'large-trade' || a.def.kind === 'cvd-change') {
        push(this.trades, exchange, market, symbol, a);
        this.tradeSymbols.add(symbol);
        this.tradeAlerts++;
      } else if (a.def.kind === 'large-liquidation') {
        push(this.liquidations, exchange, market, symbol, a);
        this.liquidationAlerts++;
      } else if (a.def.kind === 'oi-change') {
        push(this.openInterest, exchange, market, symbol, a);
        this.openInterestAlerts++;
      } else {
        this.timed.push(a);
      }
    }
  }

  /** Hot path: once per trade. */
  onTrade(t: Trade): void {
    if (this.tradeAlerts === 0 || !this.tradeSymbols.has(t.symbol)) return;
    const own = this.trades.get(t.exchange, t.market, t.symbol);
    if (own) this.tradeHit(own, t);
    const composite = this.trades.get(COMPOSITE, t.market, t.symbol);
    if (composite) this.tradeHit(composite, t);
  }

  onLiquidation(l: Liquidation): void {
    if (this.liquidationAlerts === 0) return;
    const own = this.liquidations.get(l.exchange, l.market, l.symbol);
    if (own) this.largeHit(own, l);
    const composite = this.liquidations.get(COMPOSITE, l.market, l.symbol);
    if (composite) this.largeHit(composite, l);
  }

  /** A funding record: oi-change looks at the open interest it carries (none: nothing to do). */
  onFunding(f: Funding): void {
    if (this.openInterestAlerts === 0 || f.openInterest === undefined) return;
    const own = this.openInterest.get(f.exchange, f.market, f.symbol);
    if (own) this.oiHit(own, f, f.openInterest);
    const composite = this.openInterest.get(COMPOSITE, f.market, f.symbol);
    if (composite) this.oiHit(composite, f, f.openInterest);
  }

  /** A feed changed state (status records): feed-stale measures from here. */
  onStatus(s: { feedId: string; state: FeedState; at: number }): void {
    const prev = this.feedStates.get(s.feedId);
    const wasDown = prev !== undefined && DOWN_STATES.has(prev.state);
    const isDown = DOWN_STATES.has(s.state);
    // Down -> another down state (backoff -> connecting) is the same outage: keep its start.
    if (prev && wasDown && isDown) this.feedStates.set(s.feedId, { state: s.state, since: prev.since });
    else this.feedStates.set(s.feedId, { state: s.state, since: this.o.clock.now() });
  }

  /** Once a second: feed-stale and book-invalid. */
  tick(): void {
    if (this.timed.length === 0 || !this.o.probes) return;
    const now = this.o.clock.now();
    for (const a of this.timed) {
      const since = a.def.kind === 'feed-stale' ? this.feedDownSince(a) : this.bookBadSince(a, now);
      if (since === null) {
        a.firedThisOutage = false;
        continue;
      }
      const seconds = (now - since) / 1000;
      if (a.firedThisOutage || seconds < (a.def.seconds ?? 0) || !a.canFire(now)) continue;
      a.firedThisOutage = true;
      const value = Math.round(seconds * 10) / 10;
      const message = a.def.kind === 'feed-stale' ? feedStaleMessage(a, value, this.downFeeds(a)) : bookInvalidMessage(a, value);
      this.fire(a, now, now, value, message);
    }
  }

  private tradeHit(list: ArmedAlert[], t: Trade): void {
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a.cross) {
        const dir = a.cross.onPrice(t.price);
        if (dir !== null) {
          const now = this.o.clock.now();
          if (a.canFire(now)) this.fire(a, now, t.time, t.price, crossMessage(a, dir, t));
        }
      } else if (a.cvd) {
        const delta = a.cvd.add(t.time, t.side, t.size);
        if (Math.abs(delta) >= (a.def.minDelta ?? Infinity)) {
          const now = this.o.clock.now();
          if (a.canFire(now)) {
            a.cvd.reset();
            this.fire(a, now, t.time, delta, cvdMessage(a, delta, t));
          }
        }
      } else {
        this.largeOne(a, t);
      }
    }
  }

  private oiHit(list: ArmedAlert[], f: Funding, openInterest: number): void {
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      const c = a.oi!.update(f.exchange, f.time, openInterest);
      if (!oiChangeMeets(c, a.def.minDelta, a.def.minPercent)) continue;
      const now = this.o.clock.now();
      if (!a.canFire(now)) continue;
      a.oi!.reset();
      this.fire(a, now, f.time, c.change, oiMessage(a, c));
    }
  }

  private largeHit(list: ArmedAlert[], r: Trade | Liquidation): void {
    for (let i = 0; i < list.length; i++) this.largeOne(list[i]!, r);
  }

  private largeOne(a: ArmedAlert, r: Trade | Liquidation): void {
    const notional = r.price * r.size;
    if (notional < (a.def.minNotional ?? Infinity)) return;
    const now = this.o.clock.now();
    if (a.canFire(now)) this.fire(a, now, r.time, notional, largeMessage(a, r, notional));
  }

  private fire(a: ArmedAlert, at: number, time: number, value: number, message: string): void {
    a.fired(at);
    this.fired++;
    const rec: AlertFired = { type: 'alert', id: a.def.id, kind: a.def.kind, market: a.def.market, at, time, value, message };
    try {
      this.o.onFire(rec);
    } catch {
      // A broken listener must not stop ingest (same rule as the record taps).
    }
  }

  private watchedFeeds(a: ArmedAlert): string[] {
    return a.def.feedId !== undefined ? [a.def.feedId] : (this.o.probes?.feedsFor(a.ref) ?? []);
  }

  private downFeeds(a: ArmedAlert): string[] {
    return this.watchedFeeds(a).filter((id) => {
      const s = this.feedStates.get(id);
      return s !== undefined && DOWN_STATES.has(s.state);
    });
  }

  /** Since when the earliest watched feed that is down now has been down; null when none is. */
  private feedDownSince(a: ArmedAlert): number | null {
    let since: number | null = null;
    for (const id of this.downFeeds(a)) {
      const s = this.feedStates.get(id)!.since;
      if (since === null || s < since) since = s;
    }
    return since;
  }

  /** Book-invalid: a book of the market that is not valid, since the first tick that saw it so. */
  private bookBadSince(a: ArmedAlert, now: number): number | null {
    const states = this.o.probes?.bookStates(a.ref) ?? [];
    const bad = states.some((s) => s !== 'valid');
    if (!bad) return (a.badSince = null);
    return (a.badSince ??= now);
  }
}

function push(map: MarketMap<ArmedAlert[]>, exchange: string, market: MarketType, symbol: string, a: ArmedAlert): void {
  const list = map.get(exchange, market, symbol);
  if (list) list.push(a);
  else map.set(exchange, market, symbol, [a]);
}
