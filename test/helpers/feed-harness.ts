/**
 * What every feed test needs around a FeedRunner: a sink that collects what the feed emits, a
 * way to start feeds that tearDown() stops (before closing the fake venue, so no feed sees the
 * fake vanish), and a waitFor whose timeout message says where each feed got stuck (state, error
 * count, last error) and how many connections the fake saw, not only what was awaited.
 *
 * - `feedHarness(() => fake)`: for the venue adapters against their fakes (test/fakes/).
 * - `echoFeedHarness()`: for the connection runtime against the echo venue (echo-adapter.ts on a
 *   FakeWsServer), with short real-time tunings.
 */
import type { VenueAdapter } from '../../electron/core/adapters/adapter';
import { FeedRunner, type FeedRunnerOptions, type FeedSink, type RuntimeTuning } from '../../electron/core/runtime/feed';
import type { Clock } from '../../electron/core/util/clock';
import { parseFeedConfig, type FeedConfigInput } from '../../shared/config';
import type { Channel, Gap, MarketData, Trade } from '../../shared/domain';
import type { StatusRecord } from '../../shared/health';
import { createEchoAdapter, tradesFrame, type EchoAdapterOptions, type EchoTrade } from './echo-adapter';
import { FakeWsServer } from './fake-ws-server';
import { waitFor as poll, type WaitOptions } from './wait-for';

/** Everything a feed emitted, in order, plus the sink that records it. */
export interface CollectedFeed {
  readonly data: MarketData[];
  readonly gaps: Gap[];
  readonly statuses: StatusRecord[];
  readonly sink: FeedSink;
  /** The trades among `data`. */
  trades(): Trade[];
  /** The ids of those trades ('?' for a trade without one). */
  tradeIds(): string[];
  /** Every status's state, in order. */
  states(): string[];
}

export function collectFeed(): CollectedFeed {
  const data: MarketData[] = [];
  const gaps: Gap[] = [];
  const statuses: StatusRecord[] = [];
  const sink: FeedSink = { data: (e) => data.push(e), gap: (g) => gaps.push(g), status: (s) => statuses.push(s) };
  const trades = () => data.filter((d): d is Trade => d.type === 'trade');
  return {
    data, gaps, statuses, sink, trades,
    tradeIds: () => trades().map((t) => t.id ?? '?'),
    states: () => statuses.map((s) => s.state),
  };
}

export interface RunFeedOptions {
  adapter: VenueAdapter;
  /** Raw feed config (exchange, market, symbols, channels, url, restUrl), parsed like the app does. */
  config: FeedConfigInput;
  sink: FeedSink;
  tuning?: Partial<RuntimeTuning>;
  symbols?: FeedRunnerOptions['symbols'];
  clock?: Clock;
  onFrame?: FeedRunnerOptions['onFrame'];
}

/** A running feed with what it emitted. */
export type RunningFeed = CollectedFeed & { runner: FeedRunner };

/** The fake venue a harness reports on and closes (any test/fakes server fits). */
export interface ServerUnderTest {
  readonly connections: number;
  close(): Promise<void>;
}

export interface FeedHarness {
  /** Builds and starts a FeedRunner; tearDown() stops it. */
  runFeed(o: RunFeedOptions): FeedRunner;
  /** runFeed with a fresh collecting sink: what it emitted, plus the runner. */
  runCollectedFeed(o: Omit<RunFeedOptions, 'sink'>): RunningFeed;
  /**
   * test/helpers/wait-for.ts's waitFor; on timeout the error also names every running feed's
   * state, errors and last error, and the fake's connection count.
   */
  waitFor<T>(condition: () => T, what: string, options?: WaitOptions): Promise<Exclude<T, false | null | undefined>>;
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
      ...(o.clock ? { clock: o.clock } : {}),
      ...(o.onFrame ? { onFrame: o.onFrame } : {}),
    });
    runners.push(runner);
    runner.start();
    return runner;
  };

  const runCollectedFeed = (o: Omit<RunFeedOptions, 'sink'>): RunningFeed => {
    const feed = collectFeed();
    return { ...feed, runner: runFeed({ ...o, sink: feed.sink }) };
  };

  const explain = (): string => {
    const feeds = runners.map((r, i) => {
      const h = r.health();
      return `feed ${i + 1} ${h.state}, errors ${h.errors}, last error ${JSON.stringify(h.lastError)}`;
    });
    return [...feeds, `fake connections ${server()?.connections}`].join('; ');
  };

  const waitFor = <T>(condition: () => T, what: string, options: WaitOptions = {}) => poll(condition, what, { explain, ...options });

  const tearDown = async (): Promise<void> => {
    const stopping = runners;
    runners = [];
    await Promise.all(stopping.map((r) => r.stop()));
    await server()?.close();
  };

  return { runFeed, runCollectedFeed, waitFor, tearDown };
}

// ---- the echo venue, for the connection runtime's tests ----

/** Fast but not hair-trigger: loopback is quick, the 2-core machine may be busy. */
export const FAST: Partial<RuntimeTuning> = {
  connectTimeoutMs: 2_000,
  backoffInitialMs: 50,
  backoffMaxMs: 1_000,
  backoffJitter: 0,
  random: () => 0.5,
  watchdogFloorMs: 5_000,
  watchdogCeilingMs: 10_000,
  rotationOverlapMaxMs: 3_000,
};

export const ECHO_PING = '{"op":"ping"}';

export function trade(id: number, symbol = 'BTC-USDT'): EchoTrade {
  return { s: symbol, p: String(100 + (id % 10)), q: '1', side: id % 2 ? 'b' : 's', ts: Date.now(), id: String(id) };
}

export function tradeFrame(id: number, symbol = 'BTC-USDT'): string {
  return tradesFrame([trade(id, symbol)]);
}

export interface EchoVenueOptions {
  /** Ack every subscribe and remember who subscribed (default true); false: subscribes go unanswered. */
  ack?: boolean;
  /** Answer `{"op":"ping"}` with `{"op":"pong"}` (default false). */
  pong?: boolean;
}

export interface EchoVenue {
  server: FakeWsServer;
  /** Ids of the connections whose subscribe was acked. */
  subscribed: Set<number>;
}

export interface EchoFeedOptions {
  /** Merged over FAST. */
  tuning?: Partial<RuntimeTuning>;
  /** Options of the echo adapter... */
  echo?: EchoAdapterOptions;
  /** ...or a whole adapter (e.g. the echo adapter with a frame cap or an instrument list). */
  adapter?: VenueAdapter;
  symbols?: string[];
  channels?: Channel[];
  /** Defaults to the venue's URL. */
  url?: string;
  resolver?: FeedRunnerOptions['symbols'];
  clock?: Clock;
  onFrame?: FeedRunnerOptions['onFrame'];
}

export interface EchoFeedHarness extends FeedHarness {
  /** Starts the echo venue on 127.0.0.1 (port 0); tearDown() closes it. */
  startVenue(o?: EchoVenueOptions): Promise<EchoVenue>;
  /** Starts a feed `echo-spot` (exchange simulator, spot) on the echo venue: what it emits, plus the runner. */
  runEcho(o?: EchoFeedOptions): RunningFeed;
}

export function echoFeedHarness(): EchoFeedHarness {
  let server: FakeWsServer | undefined;
  const base = feedHarness(() => (server ? { connections: server.connectionCount(), close: () => server!.close() } : undefined));

  const startVenue = async ({ ack = true, pong = false }: EchoVenueOptions = {}): Promise<EchoVenue> => {
    const venue = await FakeWsServer.start();
    server = venue;
    const subscribed = new Set<number>();
    venue.onMessage((c, data) => {
      if (ack && data.includes('"op":"sub"')) {
        subscribed.add(c.id);
        venue.send(c, '{"op":"ack"}');
      }
      if (pong && data === ECHO_PING) venue.send(c, '{"op":"pong"}');
    });
    return { server: venue, subscribed };
  };

  const runEcho = (o: EchoFeedOptions = {}): RunningFeed => {
    const url = o.url ?? server?.url;
    if (!url) throw new Error('runEcho: start the echo venue first (or give a url)');
    return base.runCollectedFeed({
      config: { id: 'echo-spot', exchange: 'simulator', market: 'spot', symbols: o.symbols ?? ['BTC-USDT'], channels: o.channels ?? ['trades'], url },
      adapter: o.adapter ?? createEchoAdapter(o.echo),
      tuning: { ...FAST, ...o.tuning },
      ...(o.resolver ? { symbols: o.resolver } : {}),
      ...(o.clock ? { clock: o.clock } : {}),
      ...(o.onFrame ? { onFrame: o.onFrame } : {}),
    });
  };

  const tearDown = async (): Promise<void> => {
    await base.tearDown();
    server = undefined;
  };

  return { ...base, startVenue, runEcho, tearDown };
}
