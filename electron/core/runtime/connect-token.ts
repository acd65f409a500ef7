/**
 * The pre-connect request of venues that hand out a connect token (VenueStream.connectToken:
 * KuCoin's POST /api/v1/bullet-public): one POST through the REST client, paced by the venue's
 * bucket, before every connection, so a reconnect or a rotation always connects with a fresh
 * token. Never throws: a failure is a ConnectionFailure the shard backs off on like any other.
 */
import type { MarketType } from '../../../shared/domain';
import type { ConnectTarget, VenueAdapter } from '../adapters/adapter';
import { restGetJson, type RestEndpoint } from '../rest/client';
import type { VenueBuckets } from '../rest/venue-buckets';
import type { Clock } from '../util/clock';
import { describeCause } from '../util/errors';
import type { ConnectionFailure } from './connection';

/** A token answer is a few hundred bytes; 64 KB leaves room without letting a body run away. */
const TOKEN_ENDPOINT: RestEndpoint = { what: 'connect token', maxBodyBytes: 64 * 1024 };

export interface ConnectTokenOptions {
  adapter: VenueAdapter;
  market: MarketType;
  restBase: string;
  /** config.url: replaces the endpoint of the answer (a proxy, a test's fake). */
  endpoint: string | undefined;
  connectionId: string;
  buckets: VenueBuckets;
  clock: Clock;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}

export async function fetchConnectTarget(o: ConnectTokenOptions): Promise<ConnectTarget | ConnectionFailure> {
  try {
    return await requestTarget(o);
  } catch (err) {
    // Adapter code that throws (a path or body it could not build) must not become an unhandled rejection.
    return { kind: 'config', message: `${o.adapter.displayName} connect token request could not be built`, cause: describeCause(err, 200), retryAfterMs: null };
  }
}

async function requestTarget(o: ConnectTokenOptions): Promise<ConnectTarget | ConnectionFailure> {
  const spec = o.adapter.connectToken!;
  const url = o.restBase + spec.path(o.market);
  const client = { fetchImpl: o.fetchImpl ?? fetch, clock: o.clock, timeoutMs: o.timeoutMs, maxRetries: 0, maxWaitMs: 0 };
  const counters = { requests: 0, rateLimited: 0, errors: 0 };
  const r = await restGetJson(url, o.buckets.of(o.adapter), client, counters, undefined, TOKEN_ENDPOINT, spec.body(o.market));
  const what = `${o.adapter.displayName} connect token`;
  if (!r.ok) return { kind: r.kind, message: `${what} request failed`, cause: r.reason, retryAfterMs: null };
  try {
    return spec.parse(r.body, { market: o.market, connectionId: o.connectionId, ...(o.endpoint !== undefined ? { endpoint: o.endpoint } : {}) });
  } catch (err) {
    return { kind: 'protocol', message: `${what}: unexpected answer`, cause: describeCause(err, 200), retryAfterMs: null };
  }
}

/** A ConnectTarget, not a failure. */
export function isConnectTarget(x: ConnectTarget | ConnectionFailure): x is ConnectTarget {
  return 'url' in x;
}
