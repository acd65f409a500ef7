/**
 * Headless alerts end to end: a real process against the built-in simulator (which starts
 * BTC-USDT at 64,000), `"alerts"` in the config, `--emit trades,alert`. The alerts printed are
 * checked against the ones the test derives from the printed trades with its own rules.
 */
import { describe, expect, it } from 'vitest';
import type { Funding, Trade } from '../../../shared/domain';
import { runHeadless, writeHeadlessConfig } from '../../helpers/headless-run';

const LEVEL = 64_000;
const MIN_NOTIONAL = 1_000;

/** The rule, written independently: a trade at or beyond the level after one on the other side. */
function expectedCrosses(trades: Trade[]): { value: number; time: number }[] {
  const out: { value: number; time: number }[] = [];
  let side = 0; // -1 below, +1 above (or reached from below)
  let prevAt = false;
  for (const t of trades) {
    const at = t.price === LEVEL;
    const crossed = !(at && prevAt) && ((side === -1 && t.price >= LEVEL) || (side === 1 && t.price <= LEVEL));
    if (crossed) {
      out.push({ value: t.price, time: t.time });
      side = -side;
    } else if (t.price !== LEVEL) side = t.price < LEVEL ? -1 : 1;
    prevAt = at;
  }
  return out;
}

/** cvd-change as the README says it: buy - sell size over the last `seconds`; after firing it counts afresh. */
function expectedCvd(trades: Trade[], minDelta: number, seconds: number): number[] {
  const out: number[] = [];
  let window: { time: number; d: number }[] = [];
  let newest = -Infinity;
  for (const t of trades) {
    if (t.side !== 'unknown') window.push({ time: t.time, d: t.side === 'buy' ? t.size : -t.size });
    newest = Math.max(newest, t.time);
    window = window.filter((w) => w.time >= newest - seconds * 1000);
    const sum = window.reduce((s, w) => s + w.d, 0);
    if (Math.abs(sum) >= minDelta) {
      out.push(sum);
      window = [];
    }
  }
  return out;
}

/**
 * oi-change as the README says it: the latest open interest against the lowest or highest level
 * within the last `seconds` (the level in force when the window began included), either way;
 * after firing it starts from the level it fired at.
 */
function expectedOi(records: Funding[], minDelta: number, seconds: number): { value: number; time: number }[] {
  const out: { value: number; time: number }[] = [];
  let window: { time: number; level: number }[] = [];
  for (const f of records) {
    const level = f.openInterest!;
    window.push({ time: f.time, level });
    const from = f.time - seconds * 1000;
    while (window.length > 1 && window[1]!.time <= from) window.shift();
    const levels = window.map((w) => w.level);
    const rise = level - Math.min(...levels), fall = level - Math.max(...levels);
    const change = rise >= -fall ? rise : fall;
    if (Math.abs(change) >= minDelta - 1e-9) {
      out.push({ value: change, time: f.time });
      window = [{ time: f.time, level }];
    }
  }
  return out;
}

describe('headless alerts', () => {
  it('--emit alert prints each alert as it fires, after the trade that fired it, with exchange time and value', async () => {
    const cfg = await writeHeadlessConfig({
      feeds: [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT', 'ETH-USDT'], options: { rate: 40, seed: 11 } }],
      alerts: [
        { id: 'level', market: 'simulator:spot:BTC-USDT', kind: 'price-cross', price: LEVEL, repeat: true, cooldownSeconds: 0 },
        { id: 'block', market: '*:spot:BTC-USDT', kind: 'large-trade', minNotional: MIN_NOTIONAL, repeat: true, cooldownSeconds: 0 },
        { id: 'once', market: 'simulator:spot:BTC-USDT', kind: 'large-trade', minNotional: MIN_NOTIONAL },
        { id: 'flow', market: 'simulator:spot:BTC-USDT', kind: 'cvd-change', minDelta: 0.05, seconds: 2, repeat: true, cooldownSeconds: 0 },
        { id: 'off', market: 'simulator:spot:BTC-USDT', kind: 'large-trade', minNotional: 1, enabled: false },
      ],
    });
    const { code, stdout, stderr } = await runHeadless(['--config', cfg, '--emit', 'trades,alert', '--duration', '4']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const records = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const btc = records.filter((r): r is Trade & Record<string, unknown> => r.type === 'trade' && r.symbol === 'BTC-USDT');
    const alerts = records.filter((r) => r.type === 'alert');
    expect(btc.length).toBeGreaterThan(50);
    for (const a of alerts) {
      expect(Object.keys(a)).toEqual(['type', 'id', 'kind', 'market', 'at', 'time', 'value', 'message']);
      // The record before an alert is the trade that fired it (or another alert of the same trade).
      const i = records.indexOf(a);
      const before = records.slice(0, i).findLast((r) => r.type === 'trade')!;
      expect(before.time).toBe(a.time);
    }

    const crosses = alerts.filter((a) => a.id === 'level');
    expect(crosses.length).toBeGreaterThan(0); // the walk starts at the level: it crosses in seconds
    expect(crosses.map((a) => ({ value: a.value, time: a.time }))).toEqual(expectedCrosses(btc));
    expect(crosses[0]).toMatchObject({ kind: 'price-cross', market: 'simulator:spot:BTC-USDT' });
    expect(crosses[0]!.message).toMatch(/crossed (up|down) through 64000: trade at /);

    const big = btc.filter((t) => t.price * t.size >= MIN_NOTIONAL);
    expect(big.length).toBeGreaterThan(0);
    expect(alerts.filter((a) => a.id === 'block').map((a) => a.value)).toEqual(big.map((t) => t.price * t.size));
    expect(alerts.filter((a) => a.id === 'once').map((a) => a.time)).toEqual([big[0]!.time]);
    expect(alerts.filter((a) => a.id === 'off')).toEqual([]);
    const flow = alerts.filter((a) => a.id === 'flow').map((a) => a.value as number);
    const want = expectedCvd(btc, 0.05, 2);
    expect(want.length).toBeGreaterThan(0);
    expect(flow).toHaveLength(want.length);
    flow.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 9));
    expect(records.at(-1)).toMatchObject({ type: 'summary', alertsFired: alerts.length });
  });

  it('oi-change fires on the simulator perp open interest (funding records), right after the record that fired it', async () => {
    const cfg = await writeHeadlessConfig({
      feeds: [{ id: 'sim', exchange: 'simulator', market: 'perp', symbols: ['BTC-USDT'], channels: ['trades', 'funding'], options: { seed: 11 } }],
      alerts: [
        { id: 'oi', market: 'simulator:perp:BTC-USDT', kind: 'oi-change', minDelta: 0.1, seconds: 2, repeat: true, cooldownSeconds: 0 },
        { id: 'oi-once', market: '*:perp:BTC-USDT', kind: 'oi-change', minDelta: 0.1, seconds: 2 },
      ],
    });
    const { code, stdout, stderr } = await runHeadless(['--config', cfg, '--emit', 'funding,alert', '--duration', '5']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const records = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const funding = records.filter((r): r is Funding & Record<string, unknown> => r.type === 'funding');
    expect(funding.length).toBeGreaterThanOrEqual(4); // once a second
    expect(funding.every((f) => typeof f.openInterest === 'number')).toBe(true);
    const alerts = records.filter((r) => r.type === 'alert');
    for (const a of alerts) expect(records.slice(0, records.indexOf(a)).findLast((r) => r.type === 'funding')!.time).toBe(a.time);

    const want = expectedOi(funding, 0.1, 2);
    expect(want.length).toBeGreaterThan(0);
    const got = alerts.filter((a) => a.id === 'oi');
    expect(got.map((a) => a.time)).toEqual(want.map((w) => w.time));
    got.forEach((a, i) => expect(a.value).toBeCloseTo(want[i]!.value, 9));
    expect(got[0]!.message).toMatch(/^simulator:perp:BTC-USDT open interest [+-][\d.]+ \([+-][\d.]+ %\) within 2 s: /);
    // The composite of one venue: the same figure; without repeat, once.
    expect(alerts.filter((a) => a.id === 'oi-once').map((a) => [a.time, a.value])).toEqual([[got[0]!.time, got[0]!.value]]);
  });

  it('a bad alert in the config exits 2 naming the field', async () => {
    const feeds = [{ id: 'sim', exchange: 'simulator', symbols: ['BTC-USDT'] }];
    const missing = await writeHeadlessConfig({ feeds, alerts: [{ id: 'a', market: 'simulator:spot:BTC-USDT', kind: 'price-cross' }] });
    const r1 = await runHeadless(['--config', missing, '--duration', '1']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('alerts[0].price: required for price-cross alerts');
    const noFeed = await writeHeadlessConfig({ feeds, alerts: [{ id: 'a', market: 'simulator:spot:BTC-USDT', kind: 'feed-stale', seconds: 5, feedId: 'nope' }] });
    const r2 = await runHeadless(['--config', noFeed, '--duration', '1']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('alerts[0].feedId: no feed "nope" in this config');
    expect(r2.stdout).toBe('');
  });
});
