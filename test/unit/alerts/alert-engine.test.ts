import { describe, expect, it } from 'vitest';
import { alertDefSchema, alertListSchema, type AlertDefInput, type AlertFired } from '../../../shared/alerts';
import type { Liquidation, Trade } from '../../../shared/domain';
import { AlertEngine, type AlertProbes } from '../../../electron/core/alerts/alert-engine';
import { formatIssues } from '../../../shared/config';
import { ManualClock } from '../../helpers/manual-clock';

const T0 = 1_700_000_000_000;

function trade(price: number, size = 1, exchange = 'binance', market: 'spot' | 'perp' = 'spot', symbol = 'BTC-USDT'): Trade {
  return { type: 'trade', exchange, market, symbol, price, size, side: 'buy', time: T0 + price, receivedAt: T0 };
}

function liquidation(price: number, size: number, exchange = 'bybit'): Liquidation {
  return { type: 'liquidation', exchange, market: 'perp', symbol: 'BTC-USDT', price, size, side: 'sell', time: T0 + 7, receivedAt: T0 };
}

function setup(defs: AlertDefInput[], probes?: AlertProbes) {
  const clock = new ManualClock(T0);
  const fired: AlertFired[] = [];
  const engine = new AlertEngine({ clock, onFire: (a) => fired.push(a), probes });
  engine.set(defs.map((d) => alertDefSchema.parse(d)));
  const prices = (...ps: number[]) => ps.forEach((p) => engine.onTrade(trade(p)));
  return { clock, fired, engine, prices };
}

const cross = (extra: Partial<AlertDefInput> = {}): AlertDefInput => ({ id: 'x', market: 'binance:spot:BTC-USDT', kind: 'price-cross', price: 100, ...extra });

describe('price-cross', () => {
  it('fires on the first trade beyond the level after a trade below it (crossing up)', () => {
    const { fired, prices } = setup([cross()]);
    prices(98, 99, 99.5);
    expect(fired).toEqual([]);
    prices(101, 102);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ type: 'alert', id: 'x', kind: 'price-cross', market: 'binance:spot:BTC-USDT', value: 101, time: T0 + 101, at: T0 });
    expect(fired[0]!.message).toContain('up through 100');
  });

  it('fires crossing down from above', () => {
    const { fired, prices } = setup([cross()]);
    prices(105, 103, 99.99);
    expect(fired.map((f) => f.value)).toEqual([99.99]);
    expect(fired[0]!.message).toContain('down through 100');
  });

  it('a trade exactly at the level fires, from either side; repeated trades at the level do not', () => {
    const up = setup([cross({ repeat: true, cooldownSeconds: 0 })]);
    up.prices(99, 100, 100, 100);
    expect(up.fired.map((f) => f.value)).toEqual([100]);
    const down = setup([cross()]);
    down.prices(101, 100);
    expect(down.fired.map((f) => f.value)).toEqual([100]);
  });

  it('the first trade only sets the side: a market that opens beyond the level has crossed nothing', () => {
    const { fired, prices } = setup([cross()]);
    prices(100, 120, 130);
    expect(fired).toEqual([]);
  });

  it('once: fires a single time however often the market crosses back and forth', () => {
    const { fired, prices } = setup([cross()]);
    prices(99, 101, 99, 101, 99);
    expect(fired).toHaveLength(1);
  });

  it('repeat: re-arms after the cool-down; crosses during the cool-down do not fire but keep the side', () => {
    const { fired, prices, clock } = setup([cross({ repeat: true, cooldownSeconds: 10 })]);
    prices(99, 101); // fires up
    clock.advance(5_000);
    prices(99); // down cross inside the cool-down: no fire
    clock.advance(5_000);
    prices(98); // still below: nothing crossed
    expect(fired).toHaveLength(1);
    prices(100.5); // up cross after the cool-down
    expect(fired.map((f) => [f.value, f.at - T0])).toEqual([
      [101, 0],
      [100.5, 10_000],
    ]);
  });

  it('a disabled alert never fires; other markets and market types never reach it', () => {
    const off = setup([cross({ enabled: false })]);
    off.prices(99, 101);
    expect(off.fired).toEqual([]);
    const other = setup([cross()]);
    for (const p of [99, 101]) {
      other.engine.onTrade(trade(p, 1, 'okx'));
      other.engine.onTrade(trade(p, 1, 'binance', 'perp'));
      other.engine.onTrade(trade(p, 1, 'binance', 'spot', 'ETH-USDT'));
    }
    expect(other.fired).toEqual([]);
  });

  it('composite (*): trades of any venue of the symbol and market type cross, in arrival order', () => {
    const { fired, engine } = setup([cross({ market: '*:spot:BTC-USDT' })]);
    engine.onTrade(trade(99, 1, 'binance'));
    engine.onTrade(trade(99, 1, 'perp-only', 'perp'));
    engine.onTrade(trade(101, 1, 'perp-only', 'perp'));
    expect(fired).toEqual([]);
    engine.onTrade(trade(100.2, 1, 'okx'));
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ market: '*:spot:BTC-USDT', value: 100.2 });
    expect(fired[0]!.message).toContain('(okx)');
  });

  it('set() keeps the state of alerts it did not change and starts changed ones afresh', () => {
    const { fired, engine, prices } = setup([cross(), cross({ id: 'y', price: 200 })]);
    prices(99, 101); // x fires (once)
    prices(199);
    engine.set([cross(), cross({ id: 'y', price: 200 })].map((d) => alertDefSchema.parse(d)));
    prices(99, 101, 201); // x is done; y remembers 199 below, so 201 crosses
    expect(fired.map((f) => f.id)).toEqual(['x', 'y']);
    engine.set([cross({ price: 150 })].map((d) => alertDefSchema.parse(d)));
    prices(160); // a changed level is a new alert: its first trade only sets the side
    prices(140);
    expect(fired.map((f) => f.id)).toEqual(['x', 'y', 'x']);
  });
});

describe('large-trade and large-liquidation', () => {
  it('fires on a trade whose notional reaches minNotional, value = notional', () => {
    const { fired, engine } = setup([{ id: 'big', market: 'binance:spot:BTC-USDT', kind: 'large-trade', minNotional: 500 }]);
    engine.onTrade(trade(100, 4.99));
    expect(fired).toEqual([]);
    engine.onTrade(trade(100, 5));
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ kind: 'large-trade', value: 500, time: T0 + 100 });
    expect(fired[0]!.message).toContain('buy trade of 5 at 100 = 500 notional');
  });

  it('repeat with no cool-down fires on every large trade; a composite sees every venue', () => {
    const { fired, engine } = setup([{ id: 'big', market: '*:spot:BTC-USDT', kind: 'large-trade', minNotional: 1000, repeat: true, cooldownSeconds: 0 }]);
    engine.onTrade(trade(100, 20, 'binance'));
    engine.onTrade(trade(100, 1, 'binance'));
    engine.onTrade(trade(100, 30, 'kraken'));
    expect(fired.map((f) => f.value)).toEqual([2000, 3000]);
  });

  it('large-liquidation looks at liquidations only', () => {
    const { fired, engine } = setup([{ id: 'liq', market: 'bybit:perp:BTC-USDT', kind: 'large-liquidation', minNotional: 10_000, repeat: true, cooldownSeconds: 0 }]);
    engine.onTrade({ ...trade(50_000, 1, 'bybit', 'perp') });
    engine.onLiquidation(liquidation(50_000, 0.1));
    engine.onLiquidation(liquidation(50_000, 0.2));
    expect(fired.map((f) => [f.kind, f.value, f.time])).toEqual([['large-liquidation', 10_000, T0 + 7]]);
    expect(fired[0]!.message).toContain('sell liquidation');
  });
});

describe('cvd-change', () => {
  const at = (time: number, side: 'buy' | 'sell' | 'unknown', size: number, exchange = 'binance'): Trade => ({
    type: 'trade', exchange, market: 'spot', symbol: 'BTC-USDT', price: 100, size, side, time: T0 + time, receivedAt: T0,
  });

  it('fires when buy - sell size within the window reaches minDelta, either way; value = the signed change', () => {
    const { fired, engine } = setup([{ id: 'cvd', market: 'binance:spot:BTC-USDT', kind: 'cvd-change', minDelta: 10, seconds: 60, repeat: true, cooldownSeconds: 0 }]);
    engine.onTrade(at(0, 'buy', 6));
    engine.onTrade(at(10_000, 'unknown', 50)); // no side: not in CVD
    engine.onTrade(at(20_000, 'sell', 1));
    expect(fired).toEqual([]);
    engine.onTrade(at(30_000, 'buy', 5)); // 6 - 1 + 5 = 10
    expect(fired.map((f) => [f.value, f.time])).toEqual([[10, T0 + 30_000]]);
    expect(fired[0]!.message).toContain('CVD +10 within 60 s');
    // After firing the window starts again: a new change of 10 is needed, here downwards.
    engine.onTrade(at(31_000, 'sell', 9));
    expect(fired).toHaveLength(1);
    engine.onTrade(at(32_000, 'sell', 1));
    expect(fired.map((f) => f.value)).toEqual([10, -10]);
  });

  it('trades older than the window leave it', () => {
    const { fired, engine } = setup([{ id: 'cvd', market: '*:spot:BTC-USDT', kind: 'cvd-change', minDelta: 10, seconds: 5 }]);
    engine.onTrade(at(0, 'buy', 9, 'okx'));
    engine.onTrade(at(6_000, 'buy', 2, 'binance')); // the first left the 5 s window: 2
    expect(fired).toEqual([]);
    engine.onTrade(at(7_000, 'buy', 8, 'kraken')); // 2 + 8, venues of the composite summed
    expect(fired.map((f) => f.value)).toEqual([10]);
  });
});

describe('feed-stale and book-invalid (the once-a-second tick)', () => {
  const probes = (books: string[] = []): AlertProbes => ({ feedsFor: () => ['sim', 'other'], bookStates: () => books });

  it('feed-stale fires once a watched feed has been down for the given seconds, value = seconds down', () => {
    const { fired, engine, clock } = setup([{ id: 'st', market: 'simulator:spot:BTC-USDT', kind: 'feed-stale', seconds: 5, feedId: 'sim' }], probes());
    engine.onStatus({ feedId: 'sim', state: 'live', at: T0 });
    clock.advance(1000);
    engine.onStatus({ feedId: 'sim', state: 'stale', at: clock.now() });
    clock.advance(2000);
    engine.onStatus({ feedId: 'sim', state: 'backoff', at: clock.now() }); // same outage
    clock.advance(2000);
    engine.tick();
    expect(fired).toEqual([]);
    clock.advance(1000);
    engine.tick();
    engine.tick();
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ kind: 'feed-stale', value: 5, time: clock.now(), at: clock.now() });
    expect(fired[0]!.message).toContain('"sim"');
  });

  it('feed-stale without feedId watches every feed of the market; repeat fires again on the next outage', () => {
    const { fired, engine, clock } = setup(
      [{ id: 'st', market: 'simulator:spot:BTC-USDT', kind: 'feed-stale', seconds: 2, repeat: true, cooldownSeconds: 0 }],
      probes(),
    );
    engine.onStatus({ feedId: 'other', state: 'error', at: T0 });
    clock.advance(3000);
    engine.tick();
    engine.onStatus({ feedId: 'other', state: 'live', at: clock.now() });
    engine.tick();
    engine.onStatus({ feedId: 'other', state: 'stale', at: clock.now() });
    clock.advance(2000);
    engine.tick();
    expect(fired.map((f) => f.value)).toEqual([3, 2]);
  });

  it('book-invalid fires when a book of the market stays not valid', () => {
    let books = ['valid'];
    const { fired, engine, clock } = setup([{ id: 'bk', market: '*:spot:BTC-USDT', kind: 'book-invalid', seconds: 3 }], {
      feedsFor: () => [],
      bookStates: () => books,
    });
    engine.tick();
    books = ['valid', 'resyncing'];
    engine.tick();
    clock.advance(2000);
    engine.tick();
    books = ['valid', 'valid'];
    clock.advance(2000);
    engine.tick(); // recovered before 3 s: nothing
    books = ['syncing', 'valid'];
    engine.tick();
    clock.advance(3000);
    engine.tick();
    expect(fired.map((f) => [f.kind, f.value])).toEqual([['book-invalid', 3]]);
  });
});

describe('alert definitions (shared/alerts.ts)', () => {
  const problems = (input: unknown) => {
    const r = alertListSchema.safeParse(input);
    return r.success ? '' : formatIssues(r.error);
  };

  it('names the field a kind needs, and refuses bad markets and duplicate ids', () => {
    expect(problems([{ id: 'a', market: 'binance:spot:BTC-USDT', kind: 'price-cross' }])).toBe('[0].price: required for price-cross alerts');
    expect(problems([{ id: 'a', market: 'binance:spot:BTC-USDT', kind: 'cvd-change', minDelta: 5 }])).toBe('[0].seconds: required for cvd-change alerts');
    expect(problems([{ id: 'a', market: 'binance:spot:BTC-USDT', kind: 'large-trade', minNotional: -1 }])).toContain('[0].minNotional: must be greater than 0');
    expect(problems([{ id: 'a', market: 'BTC-USDT', kind: 'feed-stale', seconds: 5 }])).toContain('[0].market: "BTC-USDT" is not a market');
    expect(problems([{ id: 'a', market: 'binance:spot:BTC-USDT', kind: 'sound' }])).toContain('[0].kind: must be one of price-cross');
    const dup = { id: 'a', market: 'binance:spot:BTC-USDT', kind: 'large-trade', minNotional: 1 };
    expect(problems([dup, dup])).toBe('[1].id: duplicate alert id "a"');
    expect(problems([{ ...dup, colour: 'red' }])).toBe('[0].colour: unknown field');
  });

  it('canonicalises the market symbol', () => {
    expect(alertDefSchema.parse({ id: 'a', market: '*:perp:btc-usdt', kind: 'large-trade', minNotional: 1 }).market).toBe('*:perp:BTC-USDT');
  });
});
