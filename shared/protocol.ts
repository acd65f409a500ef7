/**
 * The core -> UI stream envelope. Plain JSON-safe objects so the same envelope travels over an
 * Electron MessagePort, a WebSocket (web host) or NDJSON. One batch per publisher flush
 * (default 30 Hz), with a monotonic `seq` so a receiver can tell a gap from a quiet market.
 */
import type { AlertDef, AlertFired } from './alerts';
import type { BookView } from './books';
import type { FeedConfig } from './config';
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
  /**
   * Latest view per market whose book changed since the previous batch (at most ~10 Hz per
   * market, top 20 levels a side), including state changes (syncing / resyncing).
   */
  books: BookView[];
  /** Present when a new health snapshot was taken since the previous batch. */
  health?: PipelineHealth;
  /** Batches merged into this one because the subscriber was slow (0 normally). */
  conflated: number;
}

/** First message on every connection: what the core runs, so the UI can render at once. */
export interface HelloMessage {
  type: 'hello';
  protocol: 1;
  feeds: FeedConfig[];
  timeframes: string[];
  venues: VenueInfo[];
  /** A notice for the user (e.g. the settings file was corrupt and defaults are in use). */
  notices: string[];
  /** The alerts, and the latest fired ones (oldest first): later changes come as `alerts` and `alert` messages. */
  alerts?: AlertDef[];
  alertLog?: AlertFired[];
}

export interface VenueInfo {
  id: string;
  name: string;
  marketTypes: ('spot' | 'perp')[];
  channels: Partial<Record<'spot' | 'perp', string[]>>;
}

export interface ReplyMessage {
  type: 'reply';
  id: number;
  ok: boolean;
  result?: unknown;
  /** Human-readable; for validation errors it names the bad field. */
  error?: string;
}

/**
 * The feed list after a change (addFeed, updateFeed, removeFeed, setFeedEnabled succeeded),
 * pushed to every connected UI, so a second window never shows a stale list. Sent before the
 * reply to the change, so the window that asked sees the new list by the time its reply arrives.
 */
export interface FeedsMessage {
  type: 'feeds';
  feeds: FeedConfig[];
}

/** The alert list after a change (saveAlert, removeAlert, a once-only alert fired and was switched off), pushed to every UI. */
export interface AlertsMessage {
  type: 'alerts';
  alerts: AlertDef[];
}

/** Everything the core sends to a UI; an `AlertFired` goes out as it fires, outside the batches (never conflated). */
export type ServerMessage = HelloMessage | StreamBatch | ReplyMessage | FeedsMessage | AlertsMessage | AlertFired;

/** Everything a UI sends to the core: commands, answered by a ReplyMessage with the same id. */
export interface CommandMessage {
  type: 'command';
  id: number;
  name: string;
  args?: unknown;
}

/**
 * Electron only: the renderer's receipt for a batch it has applied. Cumulative (it acknowledges
 * every batch up to `seq`), never answered and never forwarded to the command handler. Main holds
 * back and conflates while too many batches are unacknowledged, as the web host does while a
 * WebSocket's send buffer is full, so a slow renderer cannot make batches queue without bound.
 */
export interface AckMessage {
  type: 'ack';
  seq: number;
}
