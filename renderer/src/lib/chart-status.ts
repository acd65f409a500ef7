/**
 * Whether a chart's data can be trusted right now. A trader must never take a frozen chart for a
 * quiet market: the chart shows a banner whenever this returns a reason.
 */
import type { FeedConfig } from '../../../shared/config';
import type { PipelineHealth } from '../../../shared/health';
import type { MarketRef } from '../../../shared/domain';
import { COMPOSITE } from '../../../shared/markets';

/** No batch from the core for this long means the stream itself is stuck. */
export const STREAM_SILENCE_MS = 2_500;

export interface ChartStatus {
  /**
   * `stale`: the chart is blocked (DATA NOT LIVE). `degraded`: a composite ("All venues") chart
   * with some venues down: it still shows the live venues' data, with a warning strip.
   */
  level: 'ok' | 'degraded' | 'stale';
  reason: string | null;
  /** When a member feed is in backoff: its next attempt (epoch ms), for a countdown. */
  nextRetryAt: number | null;
  /** Composite charts: venues carrying the market that are live, out of all that carry it. */
  venues?: { live: number; total: number };
}

const OK: ChartStatus = { level: 'ok', reason: null, nextRetryAt: null };

/** Feeds carrying the market; for the composite (`*`) every venue's feed with the symbol. */
export function feedsForMarket(feeds: readonly FeedConfig[], m: MarketRef): FeedConfig[] {
  return feeds.filter(
    (f) => (m.exchange === COMPOSITE || f.exchange === m.exchange) && f.market === m.market && f.symbols.includes(m.symbol),
  );
}

export function chartStatus(args: {
  market: MarketRef;
  feeds: readonly FeedConfig[];
  health: PipelineHealth | null;
  lastBatchAt: number | null;
  connected: boolean;
  now: number;
}): ChartStatus {
  const { market, health, now } = args;
  if (!args.connected) return { level: 'stale', reason: 'Disconnected from the core: data is frozen', nextRetryAt: null };
  if (args.lastBatchAt === null || now - args.lastBatchAt > STREAM_SILENCE_MS) {
    const s = args.lastBatchAt === null ? '' : ` for ${Math.round((now - args.lastBatchAt) / 1000)} s`;
    return { level: 'stale', reason: `No data from the core${s}: chart is frozen`, nextRetryAt: null };
  }
  const carriers = feedsForMarket(args.feeds, market).filter((f) => f.enabled);
  if (carriers.length === 0) return { level: 'stale', reason: 'No enabled feed carries this market', nextRetryAt: null };
  if (!health) return OK;
  const down: ChartStatus[] = [];
  for (const f of carriers) {
    const problem = carrierProblem(f, health, market, now);
    if (problem) down.push(problem);
  }
  if (down.length === 0) return OK;
  const first = down[0]!;
  // A composite chart with at least one live venue still shows real data: warn, do not block.
  if (market.exchange === COMPOSITE && down.length < carriers.length) {
    const live = carriers.length - down.length;
    return {
      level: 'degraded',
      reason: `degraded ${live}/${carriers.length} venues · ${first.reason}`,
      nextRetryAt: first.nextRetryAt,
      venues: { live, total: carriers.length },
    };
  }
  return first;
}

/** Why one carrying feed does not deliver the market now, or null when it does (or is unknown yet). */
function carrierProblem(f: FeedConfig, health: PipelineHealth, market: MarketRef, now: number): ChartStatus | null {
  const h = health.feeds.find((x) => x.feedId === f.id);
  if (!h) return null;
  if (h.state !== 'live') {
    return {
      level: 'stale',
      reason: `Feed ${f.id} is ${h.state}${h.lastError ? `: ${h.lastError.message}` : ''}`,
      nextRetryAt: h.state === 'backoff' ? h.nextRetryAt : null,
    };
  }
  const mh = h.markets.find((x) => x.symbol === market.symbol);
  if (mh?.stale) {
    const age = mh.lastDataAt === null ? 'no data yet' : `no data for ${Math.round((now - mh.lastDataAt) / 1000)} s`;
    return { level: 'stale', reason: `Feed ${f.id}: ${market.symbol} is stale (${age})`, nextRetryAt: null };
  }
  return null;
}
