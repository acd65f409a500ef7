/**
 * The core -> UI stream envelope. Plain JSON-safe objects so the same envelope travels over an
 * Electron MessagePort, a WebSocket (web host) or NDJSON. One batch per publisher flush
 * (default 30 Hz), with a monotonic `seq` so a receiver can tell a gap from a quiet market.
 */
import type { Bar, Funding, Liquidation, Quote, Trade } from './domain';
import type { PipelineHealth, StatusRecord } from './health';

export interface StreamBatch {
  type: 'batch';
  seq: number;
  /** Local epoch ms of the flush. */
  at: number;
  /** Latest state of every bar that changed since the previous batch (open and just-final). */
  bars: Bar[];
  /** The most recent trades since the previous batch, newest last; capped per batch. */
  trades: Trade[];
  /** Trades since the previous batch that did not fit in `trades` (the tape shows the count). */
  tradesOmitted: number;
  /** Latest quote per market that changed. */
  quotes: Quote[];
  liquidations: Liquidation[];
  /** Latest funding per market that changed. */
  funding: Funding[];
  statuses: StatusRecord[];
  /** Present when a new health snapshot was taken since the previous batch. */
  health?: PipelineHealth;
  /** Batches merged into this one because the subscriber was slow (0 normally). */
  conflated: number;
}
