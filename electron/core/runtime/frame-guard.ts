/**
 * What a venue frame must pass before its adapter parses it: the venue's size cap and, for frames
 * large enough to matter, a nesting pre-check (shared/json-limits.ts). A refused frame becomes a
 * counted protocol error naming the cause; the connection keeps serving the frames after it.
 *
 * Cost on the hot path: one length comparison per frame. Typical frames (a Binance aggTrade is
 * ~200 bytes, a Bybit trade batch a few KB) are below NESTING_CHECK_MIN_BYTES and are never
 * scanned; below that size even a maximally nested frame parses in a few ms.
 */
import type { ErrorEvent, VenueAdapter } from '../adapters/adapter';
import { formatBytes, KB, MB } from '../util/byte-size';
import { nestingBreach, VENUE_JSON_MAX_DEPTH } from '../../../shared/json-limits';

/**
 * Frame cap of a venue that declares none. The largest frames of the channels we subscribe to are
 * tens of KB (a Coinbase market_trades snapshot of 100 trades ~14 KB, an OKX books frame ~25 KB;
 * recorded traffic; samples in test/fixtures/<venue>/); order-book snapshots of several MB are channels we do not use.
 */
export const DEFAULT_MAX_FRAME_BYTES = 1 * MB;

/**
 * ws buffers a whole frame before we see it, so its maxPayload is the memory bound per socket:
 * frames up to this multiple of the venue's cap are received and dropped (the connection stays);
 * a larger one makes ws close the socket (code 1009) and the shard reconnects with that cause.
 */
export const FRAME_CEILING_FACTOR = 4;

/** Frames from this size on are scanned for nesting before parsing. */
export const NESTING_CHECK_MIN_BYTES = 16 * KB;

/** The venue's frame cap: the tuning override, else what the adapter declares, else the default. */
export function frameCapOf(adapter: VenueAdapter, override: number | null | undefined): number {
  if (override != null) return override;
  const declared = adapter.maxFrameBytes;
  return typeof declared === 'number' && declared > 0 && Number.isFinite(declared) ? declared : DEFAULT_MAX_FRAME_BYTES;
}

/** The error for a frame over the venue's cap; `head` is its first characters (the cause). */
export function frameTooLarge(bytes: number, maxBytes: number, venue: string, head: string): ErrorEvent {
  return {
    type: 'error',
    kind: 'protocol',
    message: `frame of ${formatBytes(bytes)} exceeds the ${formatBytes(maxBytes)} frame limit for ${venue}; dropped`,
    cause: head.slice(0, 120),
  };
}

/**
 * The error for a frame nested deeper than VENUE_JSON_MAX_DEPTH, or null (always null below
 * NESTING_CHECK_MIN_BYTES: those are not scanned). `bytes` is the frame's size as received.
 */
export function frameTooDeep(text: string, bytes: number): ErrorEvent | null {
  if (bytes < NESTING_CHECK_MIN_BYTES) return null;
  const at = nestingBreach(text, VENUE_JSON_MAX_DEPTH);
  if (at < 0) return null;
  return {
    type: 'error',
    kind: 'protocol',
    message: `frame nested deeper than ${VENUE_JSON_MAX_DEPTH} levels; dropped unparsed`,
    cause: `${formatBytes(bytes)} frame, level ${VENUE_JSON_MAX_DEPTH + 1} opens at character ${at}: ${text.slice(0, 80)}`,
  };
}

/** Both checks, for a frame already in text form (replayed recordings); null when it may be parsed. */
export function refuseFrame(text: string, bytes: number, maxBytes: number, venue: string): ErrorEvent | null {
  return bytes > maxBytes ? frameTooLarge(bytes, maxBytes, venue, text.slice(0, 120)) : frameTooDeep(text, bytes);
}
