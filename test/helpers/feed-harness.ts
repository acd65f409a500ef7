/**
 * What every adapter end-to-end test needs around a FeedRunner: a sink that collects what the
 * feed emits, a way to start feeds that tearDown() stops (before closing the fake venue, so no
 * feed sees the fake vanish), and a waitFor whose timeout message says where each feed got stuck
 * (state, error count, last error) and how many connections the fake saw, not only what was
 * awaited.
 */
import type { SymbolResolver, VenueAdapter } from '../../electron/core/adapters/adapter';
import { FeedRunner, type FeedSink, type RuntimeTuning } from '../../electron/core/runtime/feed';
import { parseFeedConfig, type FeedConfigInput } from '../../shared/config';
import type { Gap, MarketData, Trade } from '../../shared/domain';
import type { StatusRecord } from '../../shared/health';

/** Everything a feed emitted, in order, plus the sink that records it. */
export interface CollectedFeed {
  readonly data: MarketData[];
  readonly gaps: Gap[];
  readonly statuses: StatusRecord[];
  readonly sink: FeedSink;
  /** The trades among `data`. */
  trades(): Trade[];
}

export function collectFeed(): CollectedFeed {
  const data: MarketData[] = [];
  const gaps: Gap[] = [];
  const statuses: StatusRecord[] = [];
  const sink: FeedSink = { data: (e) => data.push(e), gap: (g) => gaps.push(g), status: (s) => statuses.push(s) };
  return { data, gaps, statuses, sink, trades: () => data.filter((d): d is Trade => d.type === 'trade') };
}

export interface RunFeedOptions {
  adapter: VenueAdapter;
  /** Raw feed config (exchange, market, symbols, channels, url, restUrl), parsed like the app does. */
  config: FeedConfigInput;
  sink: FeedSink;
  tuning?: Partial<RuntimeTuning>;
  symbols?: SymbolResolver;
}

/** The fake venue a harness reports on and closes (any test/fakes server fits). */
export interface ServerUnderTest {
  readonly connections: number;
  close(): Promise<void>;
}

export interface FeedHarness {
  /** Builds and starts a FeedRunner; tearDown() stops it. */
  runFeed(o: RunFeedOptions): FeedRunner;
  /** runFeed with a fresh collecting sink: what it emitted, plus the runner. */
  runCollectedFeed(o: Omit<RunFeedOptions, 'sink'>): CollectedFeed & { runner: FeedRunner };
  /**
   * Polls `cond` every 10 ms. On timeout the error names `what`, every running feed's state,
   * errors and last error, and the fake's connection count.
   */
  waitFor(cond: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** For afterEach: stops every feed started since the last call, then closes the current fake. */
  tearDown(): Promise<void>;
}

/** `server` returns the test's current fake (undefined before the first is started). */
export function feedHarness(server: () => ServerUnderTest | undefined): FeedHarness {
  let runners: FeedRunner[] = [];

  const runFeed = (o: RunFeedOptions): FeedRunner => {
    const runner = new FeedRunner({
      config: parseFeedConfig(o.config),
      adapter: o.adapter,
      sink: o.sink,
      ...(o.tuning ? { tuning: o.tuning } : {}),
      ...(o.symbols ? { symbols: o.symbols } : {}),
    });
    runners.push(runner);
    runner.start();
    return runner;
  };

  const runCollectedFeed = (o: Omit<RunFeedOptions, 'sink'>): CollectedFeed & { runner: FeedRunner } => {
    const feed = collectFeed();
    return { ...feed, runner: runFeed({ ...o, sink: feed.sink }) };
  };

  const diagnose = (): string => {
    const feeds = runners.map((r, i) => {
      const h = r.health();
      return `feed ${i + 1} ${h.state}, errors ${h.errors}, last error ${JSON.stringify(h.lastError)}`;
    });
    return [...feeds, `fake connections ${server()?.connections}`].join('; ');
  };

  const waitFor = async (cond: () => boolean, what: string, timeoutMs = 8_000): Promise<void> => {
    const until = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${diagnose()})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  const tearDown = async (): Promise<void> => {
    const stopping = runners;
    runners = [];
    await Promise.all(stopping.map((r) => r.stop()));
    await server()?.close();
  };

  return { runFeed, runCollectedFeed, waitFor, tearDown };
}
