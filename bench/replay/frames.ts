/**
 * The frames the replay server sends: Binance aggTrade combined-stream frames (one trade each,
 * sequential aggregate ids) and Bybit publicTrade frames (a batch of trades each), written in
 * the venues' recorded formats (../shared/fixtures/exchanges/{binance,bybit}) with realistic
 * prices (a seeded random walk in ticks) and sizes.
 *
 * Frames are written straight into WebSocket frame bytes (server frames are unmasked), many per
 * Buffer, so the server spends one socket write per 64 KB instead of one per message.
 */

export type Venue = 'binance' | 'bybit';

/** Mulberry32: small, fast, seeded; the same seed gives the same replay in every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One market's trade generator: price walks in 0.01 ticks around 64,000, sizes in lots. */
export class TradeSource {
  /** Id of the next trade (Binance aggregate id / Bybit trade id suffix), from 1. */
  nextId = 1;
  private ticks = 6_400_000;
  private readonly random: () => number;

  constructor(seed = 42) {
    this.random = rng(seed);
  }

  /** Advances the walk and returns [priceTicks, sizeLots (1e-5), buyerIsMaker]. */
  step(): [number, number, boolean] {
    const r = this.random();
    if (r < 0.3) this.ticks -= 1 + Math.floor(r * 10);
    else if (r > 0.7) this.ticks += 1 + Math.floor((1 - r) * 10);
    if (this.ticks < 1_000_000) this.ticks = 1_000_000;
    // Most trades are small, a few large: 1e-5 .. ~2.5 BTC.
    const lots = 1 + Math.floor(this.random() ** 4 * 250_000);
    return [this.ticks, lots, this.random() < 0.5];
  }
}

/** 1234567 ticks -> "12345.67000000" (Binance writes 8 decimals). */
function price8(ticks: number): string {
  const s = String(ticks);
  return `${s.slice(0, -2)}.${s.slice(-2)}000000`;
}

/** 123 lots of 1e-5 -> "0.00123000". */
function size8(lots: number): string {
  const whole = Math.floor(lots / 100_000);
  const frac = String(lots % 100_000).padStart(5, '0');
  return `${whole}.${frac}000`;
}

/** Bybit trims trailing zeros ("65140.5", "0.002705"). */
function trimmed(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Exchange time of a trade: fractional ms keep sub-ms latency measurable (Number() parses it). */
export function formatTime(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(3);
}

export function binanceAggTrade(src: TradeSource, native: string, time: number): string {
  const [ticks, lots, maker] = src.step();
  const id = src.nextId++;
  const t = formatTime(time);
  const first = id * 3;
  return `{"stream":"${native.toLowerCase()}@aggTrade","data":{"e":"aggTrade","E":${t},"s":"${native}","a":${id},"p":"${price8(ticks)}","q":"${size8(lots)}","f":${first},"l":${first + 2},"T":${t},"m":${maker},"M":true}}`;
}

const BYBIT_ID_BASE = 2_290_000_000_000_000_000n;

/** The id the k-th trade of a replay (from 1) carries on `venue`, as the app's Trade.id has it. */
export function replayTradeId(venue: Venue, k: number): string {
  return venue === 'binance' ? String(k) : String(BYBIT_ID_BASE + BigInt(k));
}

export function bybitPublicTrade(src: TradeSource, native: string, count: number, time: (i: number) => number): string {
  const items: string[] = [];
  let last = 0;
  for (let i = 0; i < count; i++) {
    const [ticks, lots, maker] = src.step();
    const id = src.nextId++;
    last = time(i);
    items.push(
      `{"i":"${BYBIT_ID_BASE + BigInt(id)}","T":${formatTime(last)},"p":"${trimmed(price8(ticks))}","v":"${trimmed(size8(lots))}","S":"${maker ? 'Sell' : 'Buy'}","seq":${112_000_000_000 + id},"s":"${native}","BT":false,"RPI":false}`,
    );
  }
  return `{"topic":"publicTrade.${native}","ts":${formatTime(last)},"type":"snapshot","data":[${items.join(',')}]}`;
}

/** Server-to-client text frame header (FIN + opcode 1, unmasked) for a payload of `len` bytes. */
export function textFrameHeaderLength(len: number): number {
  return len < 126 ? 2 : len < 65_536 ? 4 : 10;
}

export function writeTextFrame(buf: Buffer, offset: number, payload: string): number {
  const len = Buffer.byteLength(payload, 'latin1');
  buf[offset] = 0x81;
  let o = offset + 1;
  if (len < 126) buf[o++] = len;
  else if (len < 65_536) {
    buf[o++] = 126;
    buf.writeUInt16BE(len, o);
    o += 2;
  } else {
    buf[o++] = 127;
    buf.writeBigUInt64BE(BigInt(len), o);
    o += 8;
  }
  // Every frame here is ASCII, so latin1 is byte-exact and the fastest encoder.
  return o + buf.write(payload, o, 'latin1');
}

/** Packs payloads into one Buffer of WebSocket frames. */
export function packFrames(payloads: readonly string[]): Buffer {
  let total = 0;
  for (const p of payloads) total += textFrameHeaderLength(p.length) + p.length;
  const buf = Buffer.allocUnsafe(total);
  let o = 0;
  for (const p of payloads) o = writeTextFrame(buf, o, p);
  return buf;
}
