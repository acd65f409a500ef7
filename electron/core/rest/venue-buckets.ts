/**
 * One token bucket per venue, shared by every REST request to it: instrument lists, candles and
 * trades alike, from every feed. Venues limit per IP, not per endpoint or per feed, and a
 * Retry-After one of them receives must hold back the others too.
 */
import type { VenueAdapter } from '../adapters/adapter';
import type { Clock } from '../util/clock';
import { TokenBucket } from './token-bucket';

/** For a venue that publishes no REST limit: gentle. */
const DEFAULT_RATE = { requestsPerSecond: 1, burst: 2 };

export class VenueBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly clock: Clock) {}

  /** The venue's bucket, made on first use from its published limit (adapter.restRateLimit). */
  of(adapter: VenueAdapter): TokenBucket {
    let b = this.buckets.get(adapter.id);
    if (!b) {
      b = new TokenBucket(adapter.restRateLimit ?? DEFAULT_RATE, this.clock);
      this.buckets.set(adapter.id, b);
    }
    return b;
  }
}
