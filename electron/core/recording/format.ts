/**
 * The raw recording format: NDJSON, one JSON object per line, append-only.
 *
 *   {"type":"header","version":1,"venue":"binance","market":"spot","symbols":[...],"channels":[...],
 *    "feedId":"binance-spot","startedAt":1718000000000,"file":3}
 *   {"t":1718000000123.4,"c":1,"s":0,"d":"<raw frame text>"}      one received frame
 *   {"t":1718000005000,"g":"start","sy":["BTC-USDT"],"r":"connection closed"}   a gap event
 *   {"t":1718000000456,"bs":"BTC-USDT","d":"<REST body as JSON text>"}   a REST book snapshot
 *
 * `t` is the local receive time (epoch ms), `c` the connection id (new for every reconnect or
 * rotation: each connection had its own parser state), `s` the shard (which streams it carried).
 * A book snapshot fetched over REST (venues whose stream has only diffs, books/rest-snapshots.ts)
 * is recorded when it is handed to ingest, so it sits between the same frames as it did live, and
 * a replay builds the same book from the same snapshot and diffs; `bs` is the canonical symbol.
 * Every file, rotated or not, begins with a header, so each one can be replayed on its own.
 */
import type { Channel, MarketType } from '../../../shared/domain';

export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  type: 'header';
  version: number;
  venue: string;
  market: MarketType;
  symbols: string[];
  channels: Channel[];
  feedId: string;
  startedAt: number;
  /** Sequence number of the file within the session (1, 2, ...). */
  file: number;
}

export interface FrameLine {
  t: number;
  c: number;
  s: number;
  d: string;
}

export interface GapLine {
  t: number;
  g: 'start' | 'end';
  sy: string[];
  r: string;
}

export interface BookSnapshotLine {
  t: number;
  bs: string;
  d: string;
}

export type RecordingLine = FrameLine | GapLine | BookSnapshotLine;

export function isFrameLine(x: unknown): x is FrameLine {
  const o = x as FrameLine;
  return typeof o === 'object' && o !== null && typeof o.t === 'number' && typeof o.c === 'number' && typeof o.d === 'string';
}

export function isGapLine(x: unknown): x is GapLine {
  const o = x as GapLine;
  return typeof o === 'object' && o !== null && typeof o.t === 'number' && (o.g === 'start' || o.g === 'end') && Array.isArray(o.sy);
}

export function isBookSnapshotLine(x: unknown): x is BookSnapshotLine {
  const o = x as BookSnapshotLine;
  return typeof o === 'object' && o !== null && typeof o.t === 'number' && typeof o.bs === 'string' && typeof o.d === 'string';
}

export function isHeader(x: unknown): x is RecordingHeader {
  const o = x as RecordingHeader;
  return (
    typeof o === 'object' && o !== null && o.type === 'header' && typeof o.venue === 'string' &&
    (o.market === 'spot' || o.market === 'perp') && Array.isArray(o.symbols) && Array.isArray(o.channels)
  );
}

/** Active files end in .ndjson; rotated ones are compressed to .ndjson.gz. */
export const ACTIVE_SUFFIX = '.ndjson';
export const ROTATED_SUFFIX = '.ndjson.gz';

/** Sorts by name = by time: file names start with a zero-padded start time and sequence. */
export function recordingFileName(startedAt: number, seq: number): string {
  return `${String(startedAt).padStart(15, '0')}-${String(seq).padStart(5, '0')}${ACTIVE_SUFFIX}`;
}
