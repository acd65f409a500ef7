/**
 * Differential test of the Binance aggTrade fast path (electron/core/adapters/binance/fastpath.ts):
 * for every frame, the scanner either declines (null -> JSON.parse path) or returns exactly the
 * record the general path returns, with the same field order (the NDJSON output is byte-identical).
 * Frames: the recorded fixtures, hand-written frames in the documented spot/USD-M formats, and
 * seeded fuzz (random values, key reorders, whitespace, truncations, garbage, escapes).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BinanceParser } from '../../../electron/core/adapters/binance/stream';
import type { ParsedEvent, ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import { binanceAdapter } from '../../../electron/core/adapters/binance/venue';
import type { MarketType } from '../../../shared/domain';
import { rng } from '../../../bench/replay/frames';
import { sameEvents } from '../../helpers/same-events';

const RX = 1_700_000_000_123;
/** Recorded traffic, a small subset copied into the repository (README.md there says from where). */
const FIXTURES = fileURLToPath(new URL('../../fixtures/binance', import.meta.url));

function makeParser(market: MarketType = 'spot', natives = ['BTCUSDT', 'ETHUSDT', 'BTCUSD']): BinanceParser {
  const streams: Stream[] = natives.map((native) => ({ native, symbol: binanceAdapter.toCanonical(native, market), channel: 'trades' }));
  const ctx: ParserContext = { exchange: 'binance', market, streams, toCanonical: (n) => binanceAdapter.toCanonical(n, market) };
  return new BinanceParser(ctx);
}

/** Checks one frame; returns whether the fast path took it. */
function check(p: BinanceParser, frame: string): boolean {
  const general = p.parseGeneral(frame, RX);
  const fast = p.fast!.scan(frame, RX);
  if (fast !== null && !sameEvents([fast], general)) {
    expect({ frame, fast: [fast] }).toStrictEqual({ frame, fast: general });
    expect(Object.keys(fast)).toEqual(Object.keys(general[0] ?? {}));
  }
  const viaParse = p.parse(frame, RX);
  if (!sameEvents(viaParse, general)) expect({ frame, parse: viaParse }).toStrictEqual({ frame, parse: general });
  return fast !== null;
}

function lines(file: string): string[] {
  return readFileSync(`${FIXTURES}/${file}`, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

afterEach(() => {
  delete process.env.TICKSCOPE_NO_FASTPATH;
});

describe('binance aggTrade fast path', () => {
  it('reads a recorded-format frame into exactly the general path record, fields in output order', () => {
    const p = makeParser();
    const frame = '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1633998523963,"s":"BTCUSDT","a":15683430,"p":"57280.01000000","q":"0.05800000","f":19862790,"l":19862792,"T":1633998523961,"m":false,"M":true}}';
    const trade = p.fast!.scan(frame, RX);
    expect(trade).toStrictEqual({ type: 'trade', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', price: 57280.01, size: 0.058, side: 'buy', time: 1633998523961, receivedAt: RX, id: '15683430' });
    expect(JSON.stringify(trade)).toBe(JSON.stringify(p.parseGeneral(frame, RX)[0]));
    expect(Object.keys(trade!)).toEqual(['type', 'exchange', 'market', 'symbol', 'price', 'size', 'side', 'time', 'receivedAt', 'id']);
  });

  it('reads frames from the bytes of one socket read (views, as the connection passes them), never past a frame\'s end', () => {
    const p = makeParser();
    const a = '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1633998523963,"s":"BTCUSDT","a":15683430,"p":"57280.01000000","q":"0.05800000","f":19862790,"l":19862792,"T":1633998523961,"m":false,"M":true}}';
    const b = a.replace('15683430', '15683431').replace('"m":false', '"m":true');
    const read = Buffer.from(`${a}${b}`);
    const view = (start: number, length: number) => new Uint8Array(read.buffer, read.byteOffset + start, length);
    expect(sameEvents(p.parse(a, RX, view(0, a.length)), p.parseGeneral(a, RX))).toBe(true);
    expect(sameEvents(p.parse(b, RX, view(a.length, b.length)), p.parseGeneral(b, RX))).toBe(true);
    expect(p.fast!.scan(b, RX, view(a.length, b.length))).toMatchObject({ id: '15683431', side: 'sell' });
    // The first frame cut short by its last brace: the byte after the view (the next frame's `{`)
    // and the text both end there, and the scanner must see the frame as truncated.
    const cut = a.slice(0, -1);
    expect(p.fast!.scan(cut, RX, view(0, cut.length))).toBeNull();
    expect(p.parse(cut, RX, view(0, cut.length))[0]).toMatchObject({ type: 'error' });
  });

  it('takes every recorded aggTrade frame (combined and raw stream, and the cryptofeed sessions) with identical results', () => {
    const p = makeParser();
    const combined = lines('aggTrade.jsonl');
    const raw = lines('aggTrade.raw-stream.jsonl');
    const sessions = ['session.cryptofeed-2021-04-17.sample.jsonl', 'session.cryptofeed-2021-08-14.sample.jsonl', 'session.cryptofeed-2021-10-12.sample.jsonl']
      .flatMap(lines)
      .map((l) => JSON.parse(l) as { dir?: string; data?: unknown })
      .filter((r) => r.dir === 'recv' && typeof r.data === 'string')
      .map((r) => r.data as string);
    const sessionAggs = sessions.filter((f) => f.includes('"e":"aggTrade"'));
    expect(combined.length).toBe(54);
    expect(raw.length).toBe(54);
    expect(sessionAggs.length).toBeGreaterThan(0);
    for (const f of [...combined, ...raw, ...sessionAggs]) expect(check(p, f), f).toBe(true);
    // Other recorded frames (bookTicker, depth, kline, acks) are declined and parse as before.
    const others = [...sessions.filter((f) => !f.includes('"e":"aggTrade"')), ...lines('bookTicker.head.jsonl'), ...lines('control.docs-examples.jsonl')];
    expect(others.length).toBeGreaterThan(10);
    for (const f of others) expect(check(p, f), f).toBe(false);
  });

  it('handles the documented variants: USD-M without "M" and with "nq", fractional times, ids past 2^53, long mantissas', () => {
    const perp = makeParser('perp');
    const frames: [string, boolean][] = [
      ['{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1700000000001,"s":"BTCUSDT","a":5933014,"p":"64000.10","q":"0.005","f":100,"l":105,"T":1700000000000,"m":true}}', true],
      ['{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1700000000001,"s":"BTCUSDT","a":5933014,"p":"64000.10","q":"0.005","nq":"0.004","f":100,"l":105,"T":1700000000000,"m":false}}', true],
      ['{"e":"aggTrade","E":1700000000001,"s":"ETHUSDT","a":1,"p":"3000","q":"2","nq":"","f":1,"l":1,"T":1700000000000.125,"m":false}', true],
      ['{"e":"aggTrade","E":1700000000001.5,"s":"BTCUSDT","a":0,"p":"0.00000001","q":"123456789.12345678","f":0,"l":0,"T":1700000000000.001,"m":true,"M":false}', true],
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":9007199254740993,"p":"1.5","q":"1","f":1,"l":1,"T":2,"m":true}', true],
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1234567890123456,"p":"12345678901234567890.5","q":"1","f":1,"l":1,"T":2e3,"m":true}', true],
      ['{"e":"aggTrade","E":1,"s":"btcusdt","a":12,"p":"5.","q":".5","f":1,"l":1,"T":-0,"m":true}', true],
      ['{"e":"aggTrade","E":1,"s":"DOGEUSDT","a":1.5,"p":"0007.25","q":"1","f":-1,"l":1E+2,"T":3,"m":false}', true],
      // The general path rejects these (or reads them differently): the scanner must decline.
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"0.00000000","q":"1","f":1,"l":1,"T":2,"m":true}', false],
      ['{"e":"aggTrade","E":1,"s":"","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true}', false],
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":1e400,"m":true}', false],
      ['{"e":"aggTrade","E":01,"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true}', false],
      ['{"e":"aggTrade","E":1,"s":"BTC\\u0055SDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true}', false],
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"1e3","q":"1","f":1,"l":1,"T":2,"m":true}', false],
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":" 1","q":"1","f":1,"l":1,"T":2,"m":true}', false],
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":null}', false],
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true,"x":1}', false],
      ['{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true} ', false],
      ['{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true}', false],
      ['{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true}}}', false],
      ['{"data":{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true},"stream":"btcusdt@aggTrade"}', false],
    ];
    for (const [f, taken] of frames) expect(check(perp, f), f).toBe(taken);
  });

  it('keeps symbols apart when one native is a prefix of another (the one-entry symbol cache)', () => {
    const p = makeParser('spot', ['BTCUSD', 'BTCUSDT']);
    const frame = (s: string) => `{"e":"aggTrade","E":1,"s":"${s}","a":1,"p":"1","q":"1","f":1,"l":1,"T":2,"m":true}`;
    const symbols = ['BTCUSDT', 'BTCUSD', 'BTCUSDT', 'BTCUSDTX', 'btcusdt', 'BTCUSD', 'ETHBTC'].map((s) => {
      expect(check(p, frame(s))).toBe(true);
      return p.fast!.scan(frame(s), RX)?.symbol;
    });
    expect(symbols).toEqual(['BTC-USDT', 'BTC-USD', 'BTC-USDT', 'BTCUSDTX', 'BTC-USDT', 'BTC-USD', 'ETH-BTC']);
  });

  it('fuzz: random values, key reorders, whitespace, truncations and garbage never give a different result', () => {
    const random = rng(20_261_125);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const digits = (n: number, first = true) => Array.from({ length: n }, (_, i) => (i === 0 && first ? 1 + Math.floor(random() * 9) : Math.floor(random() * 10))).join('');
    const plainDecimal = () => `${random() < 0.2 ? '0' : digits(1 + Math.floor(random() * 7))}.${digits(Math.floor(random() * 11), false)}`;
    const oddDecimal = () => pick(['', '0', '0.0', '.5', '5.', '.', '1e3', '-1', ' 1', '1 ', '00012.5', '1..2', 'NaN', 'Infinity', '0x1A', digits(25), `${digits(3)}.${digits(24, false)}`]);
    const jsonNum = () => pick([String(Math.floor(random() * 1e6)), digits(13), `${digits(13)}.${digits(3, false)}`, digits(19), '0', '-0', '-5', '1.5', '2e3', '1E-2', '1e400', '01', '-', '1.', '.1', '1e']);
    const bool = () => pick(['true', 'false', 'true', 'false', 'null', '"true"', '1', 'True']);
    const symbol = () => pick(['BTCUSDT', 'ETHUSDT', 'BTCUSD', 'btcusdt', 'SOLUSDT', 'BTCUSDTX', '', 'BTC\\"USDT', 'BTC\\\\USDT', 'BTC\\u0055SDT', 'BTC\tUSDT', 'ÄBC']);
    const GARBAGE = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '0', '9', '.', '-', 'e', 'x', '\u0000', '\u00e9', '\ud83d'];

    let taken = 0;
    let cleanTaken = 0;
    let clean = 0;
    const p = makeParser(pick(['spot', 'perp'] as const));
    for (let n = 0; n < 10_000; n++) {
      const plain = random() < 0.7;
      const price = plain ? plainDecimal() : oddDecimal();
      const sizePlain = random() < 0.8;
      const size = sizePlain ? plainDecimal() : oddDecimal();
      const sym = random() < 0.8 ? pick(['BTCUSDT', 'ETHUSDT', 'BTCUSD', 'btcusdt']) : symbol();
      const fields: [string, string][] = [
        ['e', '"aggTrade"'],
        ['E', random() < 0.9 ? digits(13) : jsonNum()],
        ['s', `"${sym}"`],
        ['a', random() < 0.8 ? String(Math.floor(random() * 1e12)) : jsonNum()],
        ['p', `"${price}"`],
        ['q', `"${size}"`],
        ...(random() < 0.3 ? ([['nq', `"${plainDecimal()}"`]] as [string, string][]) : []),
        ['f', digits(9)],
        ['l', digits(9)],
        ['T', random() < 0.8 ? digits(13) : random() < 0.5 ? `${digits(13)}.${digits(3, false)}` : jsonNum()],
        ['m', random() < 0.9 ? pick(['true', 'false']) : bool()],
        ...(random() < 0.6 ? ([['M', random() < 0.9 ? 'true' : bool()]] as [string, string][]) : []),
      ];
      const mutation = random();
      if (mutation < 0.08) {
        // Reorder two keys.
        const i = Math.floor(random() * fields.length);
        const j = Math.floor(random() * fields.length);
        [fields[i], fields[j]] = [fields[j]!, fields[i]!];
      } else if (mutation < 0.12) {
        fields.splice(Math.floor(random() * (fields.length + 1)), 0, [pick(['x', 'nq', 'M', 'e', 'p', 'stream']), pick(['1', '"y"', 'null', '{}', '[1]'])]);
      } else if (mutation < 0.16) {
        fields.splice(Math.floor(random() * fields.length), 1);
      }
      const payload = `{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}`;
      let frame = random() < 0.6 ? `{"stream":"${sym.toLowerCase()}@aggTrade","data":${payload}}` : payload;
      const damage = random();
      if (damage < 0.08) {
        const at = Math.floor(random() * (frame.length + 1));
        frame = frame.slice(0, at) + pick([' ', '\n', '\t', '\r\n ']) + frame.slice(at);
      } else if (damage < 0.16) {
        frame = frame.slice(0, Math.floor(random() * frame.length));
      } else if (damage < 0.24) {
        const at = Math.floor(random() * frame.length);
        frame = frame.slice(0, at) + pick(GARBAGE) + frame.slice(at + (random() < 0.5 ? 1 : 0));
      }
      const isClean = mutation >= 0.16 && damage >= 0.24 && plain && sizePlain && ['BTCUSDT', 'ETHUSDT', 'BTCUSD', 'btcusdt'].includes(sym) &&
        fields.every(([k, v]) => !['E', 'a', 'T'].includes(k) || /^(0|[1-9]\d{0,12})(\.\d{3})?$/.test(v)) && fields.every(([k, v]) => !['m', 'M'].includes(k) || v === 'true' || v === 'false');
      const ok = check(p, frame);
      if (ok) taken++;
      if (isClean && !/^0\.0*$/.test(price) && !/^0?\.?0*$/.test(size)) {
        clean++;
        if (ok) cleanTaken++;
        else expect.fail(`clean frame declined: ${frame}`);
      }
    }
    // The fast path really ran (not declining everything), and took every clean frame.
    expect(clean).toBeGreaterThan(1_500);
    expect(cleanTaken).toBe(clean);
    expect(taken).toBeGreaterThanOrEqual(clean);
  });

  it('TICKSCOPE_NO_FASTPATH=1 turns it off (A/B benchmarks); the parser then gives the same results', () => {
    process.env.TICKSCOPE_NO_FASTPATH = '1';
    const off = makeParser();
    expect(off.fast).toBeNull();
    delete process.env.TICKSCOPE_NO_FASTPATH;
    const on = makeParser();
    expect(on.fast).not.toBeNull();
    const frames = [0, 1, 2].map((i) => `{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":${1633998523963 + i},"s":"BTCUSDT","a":${15683430 + i},"p":"5728${i}.01000000","q":"0.0580000${i}","f":1,"l":2,"T":${1633998523961 + i},"m":${i === 1},"M":true}}`);
    for (const f of frames) {
      expect(on.parse(f, RX)).toHaveLength(1);
      expect(sameEvents(on.parse(f, RX), off.parse(f, RX))).toBe(true);
    }
  });
});
