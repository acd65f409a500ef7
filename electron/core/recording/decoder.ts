/**
 * Turns recorded frames back into market data through the recorded venue's own adapter, the way
 * the live connection runtime did: one parser per recorded connection (parsers keep per-socket
 * state: channel ids, snapshots), created with the streams its shard carried, and the same
 * de-duplication while two connections of a shard overlapped (a make-before-break rotation).
 * Used by the replay venue and by the trades CSV export.
 */
import type { FeedConfig } from '../../../shared/config';
import type { BookUpdate, MarketData } from '../../../shared/domain';
import type { FrameParser, ParsedEvent, Stream, VenueAdapter } from '../adapters/adapter';
import { OverlapDeduper } from '../runtime/dedup';
import { frameCapOf, refuseFrame } from '../runtime/frame-guard';
import { planStreams } from '../runtime/streams';
import type { BookSnapshotLine, FrameLine, RecordingHeader } from './format';

export interface DecoderOptions {
  header: RecordingHeader;
  adapter: VenueAdapter;
  /** Symbol mapping as the live feed had it; default: the adapter's fallback. */
  toNative?: (symbol: string) => string;
  toCanonical?: (native: string) => string;
  /** Base units per contract from the instrument list, as the live feed had it (Gate futures). */
  contractSize?: (native: string) => number | undefined;
}

/** A connection that sent nothing for this long (recorded time) is over: its overlap ends. */
const OVERLAP_QUIET_MS = 2_000;

interface ShardState {
  streams: Stream[];
  dedup: OverlapDeduper;
  /** Connection id -> recorded time of its last frame. */
  lastFrameAt: Map<number, number>;
}

export class RecordingDecoder {
  private readonly parsers = new Map<number, FrameParser>();
  private readonly shards: ShardState[];
  private readonly toCanonical: (native: string) => string;
  private readonly maxFrameBytes: number;
  parseErrors = 0;

  constructor(private readonly opts: DecoderOptions) {
    const { header, adapter } = opts;
    const toNative = opts.toNative ?? ((s: string) => adapter.toNative(s, header.market));
    this.toCanonical = opts.toCanonical ?? ((n: string) => adapter.toCanonical(n, header.market));
    this.maxFrameBytes = frameCapOf(adapter, null);
    const plan = planStreams({ exchange: header.venue as FeedConfig['exchange'], market: header.market, symbols: header.symbols, channels: header.channels }, adapter, toNative);
    this.shards = plan.shards.map((streams) => ({ streams, dedup: new OverlapDeduper(), lastFrameAt: new Map() }));
  }

  /** Market data of one recorded frame, stamped with `receivedAt` (replay: now). */
  decode(line: FrameLine, receivedAt: number): { data: MarketData[]; events: ParsedEvent[] } {
    const shard = this.shards[line.s] ?? this.shards[0]!;
    this.trackOverlap(shard, line);
    let parser = this.parsers.get(line.c);
    if (!parser) {
      parser = this.opts.adapter.createParser({
        exchange: this.opts.adapter.id,
        market: this.opts.header.market,
        toCanonical: this.toCanonical,
        streams: shard.streams,
        ...(this.opts.contractSize ? { contractSize: this.opts.contractSize } : {}),
      });
      this.parsers.set(line.c, parser);
    }
    // The live runtime's frame checks: a recording may come from anywhere (a file given to replay).
    const refused = refuseFrame(line.d, line.d.length, this.maxFrameBytes, this.opts.adapter.displayName);
    if (refused) {
      this.parseErrors++;
      return { data: [], events: [refused] };
    }
    let events: ParsedEvent[];
    try {
      events = parser.parse(line.d, receivedAt);
    } catch {
      this.parseErrors++;
      return { data: [], events: [] };
    }
    const data: MarketData[] = [];
    for (const ev of events) {
      if (ev.type === 'control' || ev.type === 'notice') continue;
      if (ev.type === 'error') {
        this.parseErrors++;
        continue;
      }
      if (shard.dedup.admit(ev, line.c)) data.push(ev);
    }
    return { data, events };
  }

  /**
   * A recorded REST book snapshot, parsed by the venue's own `book.restSnapshot` as the live run
   * did; its time is the recorded receive time when the venue's body has none (as live, where it
   * was the receive time). Null (counted) when the venue has no REST snapshot or the body is bad.
   */
  decodeBookSnapshot(line: BookSnapshotLine, receivedAt: number): BookUpdate | null {
    const spec = this.opts.adapter.book?.restSnapshot;
    const market = this.opts.header.market;
    try {
      if (!spec) throw new Error('the venue has no REST book snapshot');
      const s = spec.parse(JSON.parse(line.d) as unknown, market);
      const base = { type: 'book', exchange: this.opts.adapter.id, market, symbol: line.bs, action: 'snapshot' } as const;
      return { ...base, bids: s.bids, asks: s.asks, lastSeq: s.lastSeq, time: s.time ?? line.t, receivedAt };
    } catch {
      this.parseErrors++;
      return null;
    }
  }

  /** Starts de-duplication when a second connection of a shard speaks, ends it when one falls quiet. */
  private trackOverlap(shard: ShardState, line: FrameLine): void {
    shard.lastFrameAt.set(line.c, line.t);
    let live = 0;
    for (const [c, at] of shard.lastFrameAt) {
      // Its parser stays: a quiet market's connection may speak again later.
      if (line.t - at > OVERLAP_QUIET_MS) shard.lastFrameAt.delete(c);
      else live++;
    }
    if (live > 1 && !shard.dedup.active) shard.dedup.beginOverlap();
    else if (live <= 1 && shard.dedup.active) shard.dedup.stop();
  }
}
