/** What a new user gets with no settings: the built-in simulator, so live markets show at once. */
import type { FeedConfig } from '../../../shared/config';
import { DEFAULT_TIMEFRAMES } from '../../../shared/domain';

export const DEFAULT_FEEDS: FeedConfig[] = [
  {
    id: 'simulator-spot',
    exchange: 'simulator',
    market: 'spot',
    symbols: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'],
    channels: ['trades', 'quotes'],
    enabled: true,
  },
];

export const DEFAULT_TIMEFRAME_LIST: string[] = [...DEFAULT_TIMEFRAMES];

/** Publisher flush cadence: 30 Hz (docs/architecture.md, Backpressure: tens of messages a second per window). */
export const DEFAULT_CADENCE_MS = 1000 / 30;

/** Health snapshots at 2 Hz. */
export const HEALTH_INTERVAL_MS = 500;
