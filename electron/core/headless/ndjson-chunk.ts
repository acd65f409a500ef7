/**
 * The headless runner's records in packed form, on their way from the ingest thread to the thread
 * that formats them as NDJSON (ndjson-worker.ts).
 *
 * Why: printing every trade was a fifth of the ingest thread's CPU even written by hand
 * (trade-line.ts): the digits of four doubles per trade. Here the ingest thread only stores a
 * trade's fields (four doubles, a side code, a market index, the id's length) in an ArrayBuffer,
 * and its id in a second one (see Ids); once per event-loop turn both are handed to the worker
 * whole (transferred, not copied), and the worker writes the lines, byte for byte what
 * JSON.stringify gives. Any other record (bars, statuses, summaries) is JSON.stringify'd here as
 * before and travels as finished bytes, in order with the trades.
 *
 * Layout: entries at 8-byte boundaries, each starting with two uint32 words:
 *   word 0: tag (bits 0-7) | side (8-9) | has id (10) | market index (16-31); word 1: byte length
 *   TRADE:  + float64 price, size, time, receivedAt (bytes 8-39); word 1 is the id's length in
 *           UTF-16 units, its text the next that many of the chunk's ids (bytes of
 *           `idBuffer`, one a unit, or units of `ids`)
 *   LINE:   + a finished line's bytes, newline included
 *   MARKET: + the market's prefix (TradeVetter), sent once before its first trade
 */
import type { Trade } from '../../../shared/domain';
import { idRoom, sideCode, TRADE_LINE_SPARE, TradeLineFormatter, TradeVetter } from './trade-line';

const TAG_TRADE = 1;
const TAG_LINE = 2;
const TAG_MARKET = 3;
/** Market indexes fit 16 bits; a runner with more markets writes the rest with JSON.stringify. */
const MAX_MARKETS = 0x10000;
const HEADER = 8;
const TRADE_FIXED = 40;
const INITIAL_BYTES = 64 * 1024;

const pad8 = (n: number): number => (n + 7) & ~7;

/** Ids encoded per run of this many (see Ids). */
const RUN_IDS = 256;
const INITIAL_ID_BYTES = 16 * 1024;

/** What the formatter needs of a chunk (what the worker is sent). */
export type ChunkToFormat = Pick<Chunk, 'buffer' | 'used' | 'idBuffer' | 'idBytes' | 'ids'>;

/** A packed turn of records: `used` bytes of `buffer`, holding `records` records. */
export interface Chunk {
  buffer: ArrayBuffer;
  used: number;
  records: number;
  /**
   * The ids of its trades, in order, end to end (each trade's entry says how long its id is):
   * when every one is ASCII, as bytes [0, idBytes) of idBuffer (ids is ''); else as the string
   * ids (idBuffer null).
   */
  idBuffer: ArrayBuffer | null;
  idBytes: number;
  ids: string;
}

/**
 * A chunk's ids, packed as bytes a run of RUN_IDS at a time. Why (measured in the runner on the
 * Bybit bench, where one turn packs ~10 000 trades): appending the ids to one string and posting it
 * with the chunk cost ~115 ms per million trades on the ingest thread, two thirds of it V8
 * flattening a string of ~10 000 pieces that point into frames long out of cache by then; a
 * charCodeAt loop per id cost more still. A run's ids (~13 Bybit frames) are encoded in one
 * native call while their frames are still in cache (~45 ms per million trades measured, the post
 * included; runs of 64 cost ~10% more in calls), and the bytes travel as a transferred buffer.
 * A run with a character beyond ASCII (no venue sends one) turns the chunk's ids back into one
 * string: the runs' text is kept (appended, not copied) for that.
 */
class Ids {
  private run = '';
  private runIds = 0;
  private text = '';
  private ascii = true;
  private bytes = Buffer.allocUnsafeSlow(INITIAL_ID_BYTES);
  private used = 0;
  private readonly spare: ArrayBuffer[] = [];

  add(id: string): void {
    this.run += id;
    if (++this.runIds === RUN_IDS) this.seal();
  }

  /** This chunk's ids (see Chunk); a fresh start for the next. */
  take(): Pick<Chunk, 'idBuffer' | 'idBytes' | 'ids'> {
    if (this.runIds > 0) this.seal();
    let out: Pick<Chunk, 'idBuffer' | 'idBytes' | 'ids'>;
    if (!this.ascii) out = { idBuffer: null, idBytes: 0, ids: this.text };
    else if (this.used === 0) out = { idBuffer: null, idBytes: 0, ids: '' };
    else {
      out = { idBuffer: this.bytes.buffer as ArrayBuffer, idBytes: this.used, ids: '' };
      const spare = this.spare.pop();
      this.bytes = spare !== undefined ? Buffer.from(spare) : Buffer.allocUnsafeSlow(Math.max(INITIAL_ID_BYTES, this.bytes.length));
    }
    this.text = '';
    this.ascii = true;
    this.used = 0;
    return out;
  }

  recycle(buffer: ArrayBuffer): void {
    if (this.spare.length < 4 && buffer.byteLength >= INITIAL_ID_BYTES) this.spare.push(buffer);
  }

  private seal(): void {
    const run = this.run;
    this.run = '';
    this.runIds = 0;
    this.text += run;
    if (!this.ascii) return;
    // UTF-8 needs at most 3 bytes a UTF-16 unit; as many bytes as units means every one is ASCII.
    if (this.used + run.length * 3 > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + run.length * 3));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    const n = this.bytes.write(run, this.used, 'utf8');
    if (n === run.length) this.used += n;
    else this.ascii = false;
  }
}

/** Packs records into chunks (the ingest side). */
export class ChunkPacker {
  readonly vetter = new TradeVetter();
  private buffer = new ArrayBuffer(INITIAL_BYTES);
  private u8 = new Uint8Array(this.buffer);
  private u32 = new Uint32Array(this.buffer);
  private f64 = new Float64Array(this.buffer);
  private pos = 0;
  private records = 0;
  private readonly ids = new Ids();
  /** Markets whose MARKET entry has been packed (indexes below this). */
  private announced = 0;
  /** Buffers the formatter has finished with, reused for later chunks. */
  private readonly spare: ArrayBuffer[] = [];

  get bytes(): number {
    return this.pos;
  }

  /** Packs a trade by its fields; false when it must go as a JSON.stringify line instead. */
  trade(t: Trade): boolean {
    const slot = this.vetter.slot(t);
    if (slot === null || slot.index >= MAX_MARKETS) return false;
    const { price, size, time, receivedAt, id } = t;
    if (typeof price !== 'number' || typeof size !== 'number' || typeof time !== 'number' || typeof receivedAt !== 'number') return false;
    const side = sideCode(t.side);
    if (side < 0) return false;
    const idLen = id === undefined ? 0 : id.length;
    if (this.announced <= slot.index) {
      // A new market (rare): its MARKET entry goes first, so the trade is packed after it.
      while (this.announced <= slot.index) this.market(this.announced++);
    }
    this.reserve(TRADE_FIXED);
    const pos = this.pos;
    if (id !== undefined) this.ids.add(id);
    const w = pos >> 2;
    const f = pos >> 3;
    this.u32[w] = TAG_TRADE | (side << 8) | (id === undefined ? 0 : 1 << 10) | (slot.index << 16);
    this.u32[w + 1] = idLen;
    this.f64[f + 1] = price;
    this.f64[f + 2] = size;
    this.f64[f + 3] = time;
    this.f64[f + 4] = receivedAt;
    this.pos = pos + TRADE_FIXED;
    this.records++;
    return true;
  }

  /** Packs any record as its JSON.stringify line (nothing for a value it skips, as before). */
  line(record: unknown): void {
    const text = JSON.stringify(record) ?? '';
    this.reserve(HEADER + text.length * 3 + 1);
    const at = this.pos + HEADER;
    const n = Buffer.from(this.buffer, at, this.u8.length - at).write(text, 'utf8');
    this.u8[at + n] = 10;
    this.u32[this.pos >> 2] = TAG_LINE;
    this.u32[(this.pos >> 2) + 1] = n + 1;
    this.pos += pad8(HEADER + n + 1);
    this.records++;
  }

  /** The chunk packed so far (null when empty); packing goes on in a fresh buffer. */
  take(): Chunk | null {
    if (this.pos === 0) return null;
    const chunk = { buffer: this.buffer, used: this.pos, records: this.records, ...this.ids.take() };
    this.use(this.spare.pop() ?? new ArrayBuffer(Math.max(INITIAL_BYTES, this.buffer.byteLength)));
    this.pos = 0;
    this.records = 0;
    return chunk;
  }

  /** A new formatter takes over (the worker failed): markets are named again before their next trade. */
  announceMarketsAgain(): void {
    this.announced = 0;
  }

  /** A chunk's buffer, done with, for reuse (a few are kept). */
  recycle(buffer: ArrayBuffer): void {
    if (this.spare.length < 4 && buffer.byteLength >= INITIAL_BYTES) this.spare.push(buffer);
  }

  /** A chunk's idBuffer, done with, for reuse. */
  recycleIds(buffer: ArrayBuffer): void {
    this.ids.recycle(buffer);
  }

  private market(index: number): void {
    const prefix = this.vetter.prefixes[index]!;
    this.reserve(HEADER + prefix.length);
    this.u32[this.pos >> 2] = TAG_MARKET | (index << 16);
    this.u32[(this.pos >> 2) + 1] = prefix.length;
    this.u8.set(prefix, this.pos + HEADER);
    this.pos += pad8(HEADER + prefix.length);
  }

  private reserve(bytes: number): void {
    if (this.pos + pad8(bytes) <= this.buffer.byteLength) return;
    const old = this.u8;
    this.use(new ArrayBuffer(Math.max(this.buffer.byteLength * 2, pad8(this.pos + bytes))));
    this.u8.set(old.subarray(0, this.pos));
  }

  private use(buffer: ArrayBuffer): void {
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }
}

/** Formats packed chunks into NDJSON bytes (the worker's side; the ingest thread's without one). */
export class ChunkFormatter {
  private readonly lines = new TradeLineFormatter();
  private readonly prefixes: Uint8Array[] = [];

  /** The lines of `chunk`, in a new buffer of their own (transferable): bytes [0, used). */
  format(chunk: ChunkToFormat): { buffer: ArrayBuffer; used: number } {
    const ids = chunk.ids;
    let idAt = 0;
    // The ids as bytes when every one is ASCII; a string only when one is not (Ids).
    const idBytes = chunk.idBuffer !== null ? new Uint8Array(chunk.idBuffer, 0, chunk.idBytes) : null;
    const u8 = new Uint8Array(chunk.buffer, 0, chunk.used);
    const u32 = new Uint32Array(chunk.buffer, 0, chunk.used >> 2);
    const f64 = new Float64Array(chunk.buffer, 0, chunk.used >> 3);
    // A trade line is ~5x its 40-byte entry plus its id: room for that, so it rarely grows.
    let out = this.fresh(Math.max(INITIAL_BYTES, chunk.used * 6 + (ids.length + chunk.idBytes) * 2));
    let o = 0;
    let p = 0;
    while (p < chunk.used) {
      const head = u32[p >> 2]!;
      const len = u32[(p >> 2) + 1]!;
      const tag = head & 0xff;
      const index = head >>> 16;
      if (tag === TAG_TRADE) {
        const prefix = this.prefixes[index]!;
        const need = o + prefix.length + TRADE_LINE_SPARE + idRoom(len);
        if (need > out.length) out = this.grow(out, o, need);
        const f = p >> 3;
        const withId = (head & (1 << 10)) !== 0;
        o = this.lines.line(out, o, prefix, f64[f + 1]!, f64[f + 2]!, (head >> 8) & 3, f64[f + 3]!, f64[f + 4]!, ids, idAt, withId ? len : -1, idBytes);
        if (withId) idAt += len;
        p += TRADE_FIXED;
      } else if (tag === TAG_LINE) {
        if (o + len > out.length) out = this.grow(out, o, o + len);
        out.set(u8.subarray(p + HEADER, p + HEADER + len), o);
        o += len;
        p += pad8(HEADER + len);
      } else if (tag === TAG_MARKET) {
        this.prefixes[index] = u8.slice(p + HEADER, p + HEADER + len);
        p += pad8(HEADER + len);
      } else throw new Error(`ndjson chunk: unknown entry tag ${tag} at ${p}`);
    }
    return { buffer: out.buffer as ArrayBuffer, used: o };
  }

  /** Output buffers written and handed back, reused when big enough. */
  private readonly spare: ArrayBuffer[] = [];

  recycle(buffer: ArrayBuffer): void {
    if (this.spare.length < 4) this.spare.push(buffer);
  }

  private fresh(bytes: number): Uint8Array {
    const i = this.spare.findIndex((b) => b.byteLength >= bytes);
    return new Uint8Array(i >= 0 ? this.spare.splice(i, 1)[0]! : new ArrayBuffer(bytes));
  }

  private grow(out: Uint8Array, used: number, need: number): Uint8Array {
    const bigger = this.fresh(Math.max(out.length * 2, need));
    bigger.set(out.subarray(0, used));
    return bigger;
  }
}
