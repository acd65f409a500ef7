/**
 * Differential test of the Bybit publicTrade fast path (electron/core/adapters/bybit/fastpath.ts):
 * for every frame, the scanner either declines (null -> JSON.parse path) or returns exactly the
 * records the general path returns, with the same field order (the NDJSON output is
 * byte-identical). Frames: the recorded fixtures, hand-written frames in the documented spot and
 * linear formats, and seeded fuzz (key orders, optional and repeated fields, odd values,
 * whitespace, truncations, garbage).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BybitParser } from '../../../electron/core/adapters/bybit/stream';
import { bybitAdapter } from '../../../electron/core/adapters/bybit/venue';
import type { ParserContext, Stream } from '../../../electron/core/adapters/adapter';
import type { MarketType } from '../../../shared/domain';
import { rng } from '../../../bench/replay/frames';
import { sameEvents } from '../../helpers/same-events';

const RX = 1_700_000_000_123;
/** Recorded traffic, a small subset copied into the repository (README.md there says from where). */
const FIXTURES = fileURLToPath(new URL('../../fixtures/bybit', import.meta.url));

function makeParser(market: MarketType = 'spot', natives = ['BTCUSDT', 'ETHUSDT']): BybitParser {
  const streams: Stream[] = natives.map((native) => ({ native, symbol: bybitAdapter.toCanonical(native, market), channel: 'trades' }));
  const ctx: ParserContext = { exchange: 'bybit', market, streams, toCanonical: (n) => bybitAdapter.toCanonical(n, market) };
  return new BybitParser(ctx);
}

/** Checks one frame; returns whether the fast path took it. */
function check(p: BybitParser, frame: string): boolean {
  const general = p.parseGeneral(frame, RX);
  const fast = p.fast!.scan(frame, RX);
  if (fast !== null && !sameEvents(fast, general)) expect({ frame, fast }).toStrictEqual({ frame, fast: general });
  const viaParse = p.parse(frame, RX);
  if (!sameEvents(viaParse, general)) expect({ frame, parse: viaParse }).toStrictEqual({ frame, parse: general });
  return fast !== null;
}

function lines(file: string): string[] {
  return readFileSync(`${FIXTURES}/${file}`, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

const LINEAR = '{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1786310819681,"data":[{"T":1786310819680,"s":"BTCUSDT","S":"Sell","v":"0.004","p":"65114.20","L":"MinusTick","i":"a9188a0a-82bc-50de-be60-03eedbe3cdd7","BT":false,"RPI":false,"seq":753843954913},{"T":1786310819680,"s":"BTCUSDT","S":"Buy","v":"1.30","p":"65114.30","L":"PlusTick","i":"19d7df56-4f10-5290-a969-d9d9f2c74cc3","BT":false,"RPI":false,"seq":753843954914}]}';
const SPOT = '{"topic":"publicTrade.ETHUSDT","ts":1786310821917,"type":"snapshot","data":[{"i":"2280000001739247417","T":1786310821917,"p":"1923.28","v":"0.04537","S":"Sell","seq":178477362706,"s":"ETHUSDT","BT":false,"RPI":false}]}';

afterEach(() => {
  delete process.env.TICKSCOPE_NO_FASTPATH;
});

describe('bybit publicTrade fast path', () => {
  it('reads linear and spot frames (different key orders) into exactly the general path records', () => {
    const p = makeParser('perp');
    const trades = p.fast!.scan(LINEAR, RX)!;
    expect(trades).toStrictEqual([
      { type: 'trade', exchange: 'bybit', market: 'perp', symbol: 'BTC-USDT', price: 65114.2, size: 0.004, side: 'sell', time: 1786310819680, receivedAt: RX, id: 'a9188a0a-82bc-50de-be60-03eedbe3cdd7' },
      { type: 'trade', exchange: 'bybit', market: 'perp', symbol: 'BTC-USDT', price: 65114.3, size: 1.3, side: 'buy', time: 1786310819680, receivedAt: RX, id: '19d7df56-4f10-5290-a969-d9d9f2c74cc3' },
    ]);
    expect(JSON.stringify(trades)).toBe(JSON.stringify(p.parseGeneral(LINEAR, RX)));
    const spot = makeParser('spot');
    expect(spot.fast!.scan(SPOT, RX)).toStrictEqual([
      { type: 'trade', exchange: 'bybit', market: 'spot', symbol: 'ETH-USDT', price: 1923.28, size: 0.04537, side: 'sell', time: 1786310821917, receivedAt: RX, id: '2280000001739247417' },
    ]);
  });

  it('takes every recorded publicTrade frame (and the cryptofeed sessions) with identical results', () => {
    for (const market of ['spot', 'perp'] as const) {
      const kind = market === 'spot' ? 'spot' : 'linear';
      const p = makeParser(market, ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
      const recorded = lines(`publicTrade.${kind}.jsonl`);
      const session = lines(`session.${kind}.cryptofeed-2026-08-09.sample.jsonl`)
        .map((l) => JSON.parse(l) as { dir?: string; data?: unknown })
        .filter((r) => r.dir === 'recv' && typeof r.data === 'string')
        .map((r) => r.data as string);
      const sessionTrades = session.filter((f) => f.startsWith('{"topic":"publicTrade.'));
      expect(recorded.length).toBeGreaterThan(10);
      expect(sessionTrades.length).toBeGreaterThan(0);
      for (const f of [...recorded, ...sessionTrades]) expect(check(p, f), f).toBe(true);
      // Tickers, books and acks are declined and parse as before.
      const others = [...session.filter((f) => !f.startsWith('{"topic":"publicTrade.')), ...lines(`tickers.${kind}.head.jsonl`), ...lines(`subscribe_ack.${kind}.jsonl`)];
      expect(others.length).toBeGreaterThan(10);
      for (const f of others) expect(check(p, f), f).toBe(false);
    }
  });

  it('handles the variants JSON allows the same way: numbers for strings, repeated keys, no "s", odd sides, empty data', () => {
    const p = makeParser();
    const frame = (data: string, head = '') => `{"topic":"publicTrade.BTCUSDT"${head},"data":[${data}]}`;
    const taken: string[] = [
      frame('{"T":1,"s":"BTCUSDT","S":"Buy","v":"1","p":"2","i":"x"}'),
      frame('{"T":1,"S":"Buy","v":1.5,"p":2e3,"i":42}'), // numbers instead of strings; no "s": the topic's symbol
      frame('{"T":"1786310819680.5","S":"Sell","v":"0.1","p":"1","i":"a","p":"3"}'), // the last "p" wins
      frame('{"T":1,"S":"buy","v":"1","p":"1","i":"a","s":"ETHUSDT"}'), // not "Buy": unknown side; "s" wins over the topic
      frame('{"T":1,"S":null,"v":" 1 ","p":"1e2","i":"a","x":true}'), // Number(" 1 ") and Number("1e2"), as the general path
      frame(''),
      frame('{"T":1,"S":"Buy","v":"1","p":"1","i":"a"}', ',"ts":1,"type":"snapshot","cs":null'),
      frame('{"T":1,"S":"Buy","v":"1","p":"1","i":123456789012345678901}'),
    ];
    for (const f of taken) expect(check(p, f), f).toBe(true);
    const declined: string[] = [
      frame('{"T":1,"S":"Buy","v":"1","p":"1"}'), // no id
      frame('{"T":1,"S":"Buy","v":"0","p":"1","i":"a"}'), // the general path reports it
      frame('{"T":1,"S":"Buy","v":"","p":"1","i":"a"}'),
      frame('{"T":1,"S":"Buy","v":"1","p":"1","i":"a","x":{"y":1}}'), // nested value
      frame('{"T":1, "S":"Buy","v":"1","p":"1","i":"a"}'), // whitespace
      frame('{"T":1,"S":"Buy","v":"1","p":"1","i":"a\\u0062"}'), // escape
      frame('{"T":1,"S":"Buy","v":"1","p":"1","i":"ü€"}'), // not ASCII: bytes and characters no longer line up (json-scan.ts)
      frame('{}'),
      frame('{"T":1,"S":"Buy","v":"1","p":"1","i":"a"}', ',"data":[]'), // a second data
      frame('{"T":1,"S":"Buy","v":"1","p":"1","i":"a"}', ',"topic":"publicTrade.ETHUSDT"'),
      '{"topic":"publicTrade.BTCUSDT","data":{"T":1,"S":"Buy","v":"1","p":"1","i":"a"}}', // an object, not an array
      '{"type":"snapshot","topic":"publicTrade.BTCUSDT","data":[]}', // topic not first
      `${frame('')} `,
      frame('{"T":1,"S":"Buy","v":"1","p":"1","i":"a"}').slice(0, -1),
    ];
    for (const f of declined) expect(check(p, f), f).toBe(false);
  });

  it('fuzz: key orders, optional, repeated and odd fields, whitespace, truncations and garbage never give a different result', () => {
    const random = rng(20_261_202);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const digits = (n: number, first = true) => Array.from({ length: n }, (_, i) => (i === 0 && first ? 1 + Math.floor(random() * 9) : Math.floor(random() * 10))).join('');
    const plainDecimal = () => `${random() < 0.2 ? '0' : digits(1 + Math.floor(random() * 7))}.${digits(Math.floor(random() * 9), false)}`.replace(/\.$/, '');
    const oddValue = () => pick(['""', '"0"', '".5"', '"5."', '"1e3"', '"-1"', '" 1"', '"0x1A"', '"NaN"', '"Infinity"', `"${digits(25)}"`, '1.5', '0', '-0', '2e3', '1e400', 'true', 'null', '01', '"1..2"']);
    const jsonNum = () => pick([digits(13), `${digits(13)}.${digits(3, false)}`, '0', '-0', '-5', '1e400', '01', '1.', '"1786310819680"', '"x"', 'null']);
    const GARBAGE = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '0', '.', '-', 'x', '\u0000', '\u00e9'];
    const CLEAN_SYMBOLS = ['BTCUSDT', 'ETHUSDT'];

    let taken = 0;
    let clean = 0;
    const p = makeParser(pick(['spot', 'perp'] as const));
    for (let n = 0; n < 8_000; n++) {
      let frameClean = true;
      const entries: string[] = [];
      for (let e = 1 + Math.floor(random() * 4); e > 0; e--) {
        const plain = random() < 0.85;
        if (!plain) frameClean = false;
        const fields: [string, string][] = [
          ['T', random() < 0.9 ? digits(13) : (frameClean = false, jsonNum())],
          ['s', random() < 0.9 ? `"${pick(CLEAN_SYMBOLS)}"` : pick(['"SOLUSDT"', '""', '"btcusdt"', '"BTC\\"USDT"', '7'])],
          ['S', random() < 0.9 ? pick(['"Buy"', '"Sell"']) : pick(['"buy"', 'null', '1', '""'])],
          ['v', plain ? `"${plainDecimal()}"` : oddValue()],
          ['p', plain ? `"${plainDecimal()}"` : oddValue()],
          ['i', random() < 0.95 ? `"${digits(19)}"` : (frameClean = false, pick(['7', 'null', 'true', '"a-b"']))],
          ...(random() < 0.5 ? ([['L', '"PlusTick"'], ['BT', 'false']] as [string, string][]) : []),
          ...(random() < 0.5 ? ([['RPI', 'false'], ['seq', digits(12)]] as [string, string][]) : []),
        ];
        // Bybit's spot and linear orders differ: any order is a real one.
        for (let k = fields.length - 1; k > 0; k--) {
          const j = Math.floor(random() * (k + 1));
          [fields[k], fields[j]] = [fields[j]!, fields[k]!];
        }
        const m = random();
        if (m < 0.05) {
          fields.splice(Math.floor(random() * fields.length), 1);
          frameClean = false;
        } else if (m < 0.1) {
          fields.splice(Math.floor(random() * (fields.length + 1)), 0, [pick(['p', 'v', 'S', 'x', 'topic']), pick(['"1"', '2', 'null', '{}', '[1]'])]);
          frameClean = false;
        }
        if (fields.some(([, v]) => v.includes('\\'))) frameClean = false; // escapes go to JSON.parse
        entries.push(`{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}`);
      }
      const head: [string, string][] = [['type', '"snapshot"'], ['ts', digits(13)]];
      if (random() < 0.5) head.reverse();
      let frame = `{"topic":"publicTrade.${pick(CLEAN_SYMBOLS)}",${head.map(([k, v]) => `"${k}":${v}`).join(',')},"data":[${entries.join(',')}]}`;
      const damage = random();
      if (damage < 0.06) {
        const at = Math.floor(random() * (frame.length + 1));
        frame = frame.slice(0, at) + pick([' ', '\n', '\t']) + frame.slice(at);
      } else if (damage < 0.12) {
        frame = frame.slice(0, Math.floor(random() * frame.length));
      } else if (damage < 0.2) {
        const at = Math.floor(random() * frame.length);
        frame = frame.slice(0, at) + pick(GARBAGE) + frame.slice(at + (random() < 0.5 ? 1 : 0));
      }
      const ok = check(p, frame);
      if (ok) taken++;
      // A clean frame whose every trade the general path accepts must be taken.
      const general = p.parseGeneral(frame, RX);
      if (frameClean && damage >= 0.2 && general.every((ev) => ev.type === 'trade')) {
        clean++;
        if (!ok) expect.fail(`clean frame declined: ${frame}`);
      }
    }
    // The fast path really ran (not declining everything), and took every clean frame.
    expect(clean).toBeGreaterThan(1_500);
    expect(taken).toBeGreaterThanOrEqual(clean);
  });

  it('reads the bytes the socket passes (a view into a larger read) and never past their end', () => {
    const p = makeParser('perp');
    const read = Buffer.from(`xx${LINEAR}${LINEAR}`);
    const view = new Uint8Array(read.buffer, read.byteOffset + 2, LINEAR.length);
    expect(sameEvents(p.fast!.scan(LINEAR, RX, view)!, p.parseGeneral(LINEAR, RX))).toBe(true);
    expect(sameEvents(p.parse(LINEAR, RX, view), p.parseGeneral(LINEAR, RX))).toBe(true);
    // The same read cut one byte short: the `}` right after the view belongs to the next frame.
    const short = LINEAR.slice(0, -1);
    expect(p.fast!.scan(short, RX, new Uint8Array(read.buffer, read.byteOffset + 2, short.length))).toBeNull();
    expect(p.parse(short, RX, new Uint8Array(read.buffer, read.byteOffset + 2, short.length))[0]).toMatchObject({ type: 'error' });
  });

  it('takes a frame whose bytes line up with its characters (a lone bad byte decodes to one U+FFFD), declines one where they do not', () => {
    const p = makeParser('spot');
    const bytes = Buffer.from(SPOT);
    bytes[SPOT.indexOf('2280000001739247417')] = 0xff; // not UTF-8
    const text = bytes.toString('utf8');
    expect(text.length).toBe(bytes.length);
    const fast = p.fast!.scan(text, RX, bytes);
    expect(fast?.[0]?.id).toBe('\ufffd280000001739247417');
    expect(sameEvents(fast!, p.parseGeneral(text, RX))).toBe(true);
    const wide = SPOT.replace('2280000001739247417', '228000000173924741é');
    expect(p.fast!.scan(wide, RX, Buffer.from(wide))).toBeNull();
    expect(sameEvents(p.parse(wide, RX, Buffer.from(wide)), p.parseGeneral(wide, RX))).toBe(true);
  });

  it('TICKSCOPE_NO_FASTPATH=1 turns it off (A/B benchmarks); the parser then gives the same results', () => {
    process.env.TICKSCOPE_NO_FASTPATH = '1';
    const off = makeParser('perp');
    expect(off.fast).toBeNull();
    delete process.env.TICKSCOPE_NO_FASTPATH;
    const on = makeParser('perp');
    expect(on.fast).not.toBeNull();
    expect(on.parse(LINEAR, RX)).toHaveLength(2);
    expect(sameEvents(on.parse(LINEAR, RX), off.parse(LINEAR, RX))).toBe(true);
  });
});
