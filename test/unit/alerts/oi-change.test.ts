import { describe, expect, it } from 'vitest';
import { alertDefSchema, alertListSchema, type AlertDefInput, type AlertFired } from '../../../shared/alerts';
import type { Funding } from '../../../shared/domain';
import { AlertEngine } from '../../../electron/core/alerts/alert-engine';
import { OiWindow } from '../../../electron/core/alerts/oi-window';
import { formatIssues } from '../../../shared/config';
import { ManualClock } from '../../helpers/manual-clock';

const T0 = 1_700_000_000_000;

/** A funding record at `seconds` after T0 carrying open interest (undefined: a rate-only record). */
function oi(seconds: number, openInterest: number | undefined, exchange = 'bybit', symbol = 'BTC-USDT'): Funding {
  const f: Funding = { type: 'funding', exchange, market: 'perp', symbol, rate: 0.0001, time: T0 + seconds * 1000, receivedAt: T0 };
  if (openInterest !== undefined) f.openInterest = openInterest;
  return f;
}

function setup(defs: AlertDefInput[]) {
  const clock = new ManualClock(T0);
  const fired: AlertFired[] = [];
  const engine = new AlertEngine({ clock, onFire: (a) => fired.push(a) });
  engine.set(defs.map((d) => alertDefSchema.parse(d)));
  const feed = (...records: Funding[]) => records.forEach((r) => engine.onFunding(r));
  return { clock, fired, engine, feed };
}

const def = (extra: Partial<AlertDefInput> = {}): AlertDefInput => ({ id: 'oi', market: 'bybit:perp:BTC-USDT', kind: 'oi-change', minDelta: 10, seconds: 60, ...extra });

describe('oi-change', () => {
  it('fires when open interest rises by minDelta within the window; value = the signed change, time = the record', () => {
    const { fired, feed } = setup([def()]);
    feed(oi(0, 100), oi(10, 105), oi(15, undefined), oi(20, 109.99));
    expect(fired).toEqual([]);
    feed(oi(25, 110));
    expect(fired).toEqual([
      { type: 'alert', id: 'oi', kind: 'oi-change', market: 'bybit:perp:BTC-USDT', at: T0, time: T0 + 25_000, value: 10,
        message: 'bybit:perp:BTC-USDT open interest +10 (+10.00 %) within 60 s: 100 -> 110 (at least 10 either way)' },
    ]);
  });

  it('fires on a fall, by percent of where it fell from; a decimal change is not lost to float noise', () => {
    const pct = setup([def({ minDelta: undefined, minPercent: 5 })]);
    pct.feed(oi(0, 200), oi(1, 196), oi(2, 190.1));
    expect(pct.fired).toEqual([]);
    pct.feed(oi(3, 190));
    expect(pct.fired.map((f) => f.value)).toEqual([-10]);
    expect(pct.fired[0]!.message).toContain('open interest -10 (-5.00 %) within 60 s: 200 -> 190 (at least 5 % either way)');
    const dec = setup([def({ minDelta: 0.05 })]);
    dec.feed(oi(0, 781.063), oi(1, 781.113)); // 0.04999999999995453 in floats
    expect(dec.fired.map((f) => f.value)).toEqual([0.05]);
    expect(dec.fired[0]!.message).toContain('+0.05 ');
  });

  it('a dip and recovery within the window count as the recovery; either threshold is enough', () => {
    const { fired, feed } = setup([def({ minDelta: 15, minPercent: 50 })]);
    feed(oi(0, 100), oi(1, 90), oi(2, 104));
    expect(fired).toEqual([]);
    feed(oi(3, 105)); // +15 from the low of 90
    expect(fired.map((f) => f.value)).toEqual([15]);
    expect(fired[0]!.message).toContain('90 -> 105 (at least 15 or 50 % either way)');
  });

  it('levels older than the window leave it; the level in force when the window began stays', () => {
    const { fired, feed } = setup([def({ seconds: 5, repeat: true, cooldownSeconds: 0 })]);
    feed(oi(0, 100), oi(6, 109)); // the window (1 s .. 6 s) began at 100: +9
    feed(oi(12, 112)); // began at 109 (set at 6 s): +3, the 100 has left
    expect(fired).toEqual([]);
    feed(oi(13, 119));
    expect(fired.map((f) => [f.value, f.time])).toEqual([[10, T0 + 13_000]]);
    // A venue answering less often than the window still compares with its previous answer.
    feed(oi(60, 129));
    expect(fired.map((f) => f.value)).toEqual([10, 10]);
  });

  it('composite: the sum of each venue latest; a venue joining is not a rise; other symbols and rate-only records do not count', () => {
    const { fired, feed } = setup([def({ market: '*:perp:BTC-USDT' })]);
    feed(oi(0, 100, 'bybit'), oi(1, 50, 'deribit')); // deribit joins: 150 is the new start, not +50
    feed(oi(2, 105, 'bybit'), oi(2, 500, 'bybit', 'ETH-USDT'), oi(2, undefined, 'deribit'));
    expect(fired).toEqual([]);
    feed(oi(3, 55, 'deribit')); // 105 + 55 = 160
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ market: '*:perp:BTC-USDT', value: 10, time: T0 + 3000 });
    expect(fired[0]!.message).toBe('*:perp:BTC-USDT open interest +10 (+6.67 %) within 60 s: 150 -> 160 (at least 10 either way)');
  });

  it('a venue alert ignores other venues of the symbol', () => {
    const { fired, feed } = setup([def()]);
    feed(oi(0, 100), oi(1, 1, 'deribit'), oi(2, 1000, 'deribit'), oi(3, 105));
    expect(fired).toEqual([]);
  });

  it('fires once without repeat; with repeat it re-arms after the cool-down and needs a new change from where it fired', () => {
    const once = setup([def()]);
    once.feed(oi(0, 100), oi(1, 110), oi(2, 130), oi(3, 90));
    expect(once.fired.map((f) => f.value)).toEqual([10]);

    const { fired, feed, clock } = setup([def({ repeat: true, cooldownSeconds: 30 })]);
    feed(oi(0, 100), oi(1, 110)); // fires; the window starts again at 110
    feed(oi(2, 115));
    expect(fired.map((f) => f.value)).toEqual([10]);
    feed(oi(3, 120)); // +10 from 110, but within the cool-down
    expect(fired).toHaveLength(1);
    clock.advance(30_000);
    feed(oi(4, 120));
    expect(fired.map((f) => [f.value, f.at])).toEqual([[10, T0], [10, T0 + 30_000]]);
  });
});

describe('OiWindow against a plain re-computation', () => {
  it('matches min/max over the window (with the level at its start) for a long random series', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const windowMs = 20_000;
    const w = new OiWindow(windowMs);
    const seen: { time: number; level: number }[] = [];
    let time = 0, level = 1000;
    for (let n = 0; n < 3000; n++) {
      time += Math.floor(rnd() * 3000);
      if (rnd() < 0.7) level = Math.max(0, level + Math.round((rnd() - 0.5) * 20));
      seen.push({ time, level });
      const from = time - windowMs;
      const start = seen.findLastIndex((s) => s.time <= from);
      const inWindow = seen.slice(Math.max(0, start));
      const lo = Math.min(...inWindow.map((s) => s.level)), hi = Math.max(...inWindow.map((s) => s.level));
      const want = level - lo >= hi - level ? level - lo : level - hi;
      expect(w.add(time, level).change).toBe(want);
    }
  });
});

describe('oi-change definitions (shared/alerts.ts)', () => {
  const problems = (input: unknown) => {
    const r = alertListSchema.safeParse([input]);
    return r.success ? '' : formatIssues(r.error);
  };

  it('needs a window, minDelta or minPercent, and a perp market; minPercent is for oi-change only', () => {
    expect(problems(def())).toBe('');
    expect(problems(def({ minDelta: undefined, minPercent: 2 }))).toBe('');
    expect(problems(def({ minDelta: undefined }))).toBe('[0].minDelta: oi-change alerts need minDelta or minPercent (or both)');
    expect(problems(def({ seconds: undefined }))).toBe('[0].seconds: required for oi-change alerts');
    expect(problems(def({ market: 'binance:spot:BTC-USDT' }))).toBe('[0].market: oi-change alerts watch a perp market (open interest)');
    expect(problems(def({ minPercent: 0 }))).toContain('[0].minPercent: must be greater than 0 (percent)');
    expect(problems(def({ minPercent: 5000 }))).toBe('[0].minPercent: must be at most 1000 (percent)');
    expect(problems({ id: 'a', market: 'bybit:perp:BTC-USDT', kind: 'cvd-change', minDelta: 1, seconds: 5, minPercent: 2 })).toBe(
      '[0].minPercent: only oi-change alerts take minPercent',
    );
  });
});
