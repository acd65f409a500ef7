/**
 * CSV export writes numbers at the instrument's precision: what the venue quoted and sized, never
 * float noise from arithmetic (summed volumes, OKX contract conversions: 0.038689999999999995).
 */
import { describe, expect, it } from 'vitest';
import type { Bar, Trade } from '../../../shared/domain';
import { barsToCsv, cleanDecimals, columnDecimals, tradesToCsv } from '../../../electron/core/export/csv';

function bar(start: number, over: Partial<Bar> = {}): Bar {
  return {
    type: 'bar', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', tf: '1m', start,
    open: 100, high: 101.5, low: 99.25, close: 100.5, volume: 2.5, buyVolume: 1.5, sellVolume: 1,
    trades: 7, vwap: 100.3, final: true, incomplete: false, ...over,
  };
}

const trade = (price: number, size: number, over: Partial<Trade> = {}): Trade => ({
  type: 'trade', exchange: 'okx', market: 'perp', symbol: 'BTC-USDT', price, size, side: 'sell', time: 1500.25, receivedAt: 0, ...over,
});

describe('decimals once float noise is gone', () => {
  it('counts what a value needs at 12 significant digits', () => {
    expect(cleanDecimals(0.038689999999999995)).toBe(5);
    expect(cleanDecimals(0.1 + 0.2)).toBe(1);
    expect(cleanDecimals(64012.35)).toBe(2);
    expect(cleanDecimals(1.5e-7)).toBe(8);
    expect(cleanDecimals(2)).toBe(0);
    expect(cleanDecimals(NaN)).toBe(0);
    expect(columnDecimals([{ a: 1.5, b: 0.25 }, { a: 3, b: 0.1 + 0.2 }], (r) => r.a, (r) => r.b)).toBe(2);
  });
});

describe('CSV', () => {
  it('writes bars with ISO and epoch times, flags and source, prices and volumes at their column precision', () => {
    const csv = barsToCsv([bar(60_000, { incomplete: true, source: 'candles' }), bar(120_000, { vwap: 1 / 3 })]);
    expect(csv).toBe(
      'start,start_ms,open,high,low,close,volume,buy_volume,sell_volume,trades,vwap,incomplete,source\r\n' +
        '1970-01-01T00:01:00.000Z,60000,100.00,101.50,99.25,100.50,2.5,1.5,1.0,7,100.3000,1,candles\r\n' +
        '1970-01-01T00:02:00.000Z,120000,100.00,101.50,99.25,100.50,2.5,1.5,1.0,7,0.3333,0,trades\r\n',
    );
  });

  it('never writes float noise: summed volumes and converted sizes come out as the venue gave them', () => {
    // Four trades summed by the aggregator (0.04726 in exact decimals), and an OKX size converted from contracts.
    const summed = 0.016 + 0.027 + 0.00276 + 0.0015;
    expect(String(summed)).toBe('0.047259999999999996');
    const csv = barsToCsv([bar(60_000, { volume: summed, buyVolume: summed, sellVolume: 0, vwap: 64012.345678912 })]);
    const row = csv.split('\r\n')[1]!.split(',');
    expect(row.slice(6, 9)).toEqual(['0.04726', '0.04726', '0.00000']);
    expect(row[10]).toBe('64012.3457');
    const trades = tradesToCsv([trade(64012.3, 0.038689999999999995, { id: '1' }), trade(64012.35, 3 * 0.1, { id: '2' })]);
    expect(trades).not.toMatch(/9999|0000001/);
    expect(trades.split('\r\n').slice(1, 3)).toEqual(['1970-01-01T00:00:01.500Z,1500.25,64012.30,0.03869,sell,1', '1970-01-01T00:00:01.500Z,1500.25,64012.35,0.30000,sell,2']);
  });

  it('writes trades and quotes an id that holds a comma', () => {
    const t = { ...trade(1.5, 2), exchange: 'x', market: 'spot' as const, symbol: 'A-B' };
    expect(tradesToCsv([{ ...t, id: '42' }, { ...t, side: 'unknown', id: 'a,"b"' }, t])).toBe(
      'time,time_ms,price,size,side,id\r\n' +
        '1970-01-01T00:00:01.500Z,1500.25,1.5,2,sell,42\r\n' +
        '1970-01-01T00:00:01.500Z,1500.25,1.5,2,unknown,"a,""b"""\r\n' +
        '1970-01-01T00:00:01.500Z,1500.25,1.5,2,sell,\r\n',
    );
  });
});
