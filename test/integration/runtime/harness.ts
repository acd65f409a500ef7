/**
 * Shared set-up for the runtime's loopback tests: a fake server speaking the echo protocol
 * (acks every subscribe, remembers which client subscribed to what), a sink that records
 * everything, and a FeedRunner with short real-time tunings.
 */
import type { Gap, MarketData, Trade } from '../../../shared/domain';
import type { StatusRecord } from '../../../shared/health';
import type { FeedConfig } from '../../../shared/config';
import { FeedRunner, type FeedSink, type RuntimeTuning } from '../../../electron/core/runtime/feed';
import { createEchoAdapter, tradesFrame, type EchoAdapterOptions, type EchoTrade } from '../../helpers/echo-adapter';
import { FakeWsServer, type FakeClient } from '../../helpers/fake-ws-server';
import { systemClock, type Clock } from '../../../electron/core/util/clock';

export class RecordingSink implements FeedSink {
  readonly events: MarketData[] = [];
  readonly gaps: Gap[] = [];
  readonly statuses: StatusRecord[] = [];
  data(e: MarketData): void {
    this.events.push(e);
  }
  gap(g: Gap): void {
    this.gaps.push(g);
  }
  status(s: StatusRecord): void {
    this.statuses.push(s);
  }
  trades(): Trade[] {
    return this.events.filter((e): e is Trade => e.type === 'trade');
  }
  tradeIds(): string[] {
    return this.trades().map((t) => t.id ?? '?');
  }
  states(): string[] {
    return this.statuses.map((s) => s.state);
  }
}

/** Answers `{"op":"sub"}` with an ack and records the client as subscribed. */
export function echoVenue(server: FakeWsServer): { subscribed: Set<number> } {
  const subscribed = new Set<number>();
  server.onMessage((c: FakeClient, data: string) => {
    if (data.includes('"op":"sub"')) {
      subscribed.add(c.id);
      server.send(c, '{"op":"ack"}');
    }
  });
  return { subscribed };
}

export function trade(id: number, symbol = 'BTC-USDT'): EchoTrade {
  return { s: symbol, p: String(100 + (id % 10)), q: '1', side: id % 2 ? 'b' : 's', ts: Date.now(), id: String(id) };
}

export function tradeFrame(id: number, symbol = 'BTC-USDT'): string {
  return tradesFrame([trade(id, symbol)]);
}

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

export function feedConfig(url: string, symbols = ['BTC-USDT'], channels: FeedConfig['channels'] = ['trades']): FeedConfig {
  return { id: 'echo-spot', exchange: 'simulator', market: 'spot', symbols, channels, url, enabled: true };
}

export function makeRunner(
  server: FakeWsServer,
  opts: { tuning?: Partial<RuntimeTuning>; adapter?: EchoAdapterOptions; symbols?: string[]; channels?: FeedConfig['channels']; clock?: Clock } = {},
): { runner: FeedRunner; sink: RecordingSink } {
  const sink = new RecordingSink();
  const runner = new FeedRunner({
    config: feedConfig(server.url, opts.symbols, opts.channels),
    adapter: createEchoAdapter(opts.adapter),
    sink,
    tuning: { ...FAST, ...opts.tuning },
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return { runner, sink };
}

/** The real clock, counting timers still pending (set, neither fired nor cleared). */
export function countingClock(): Clock & { pending: Set<unknown> } {
  const pending = new Set<unknown>();
  return {
    pending,
    now: () => systemClock.now(),
    setTimeout(fn, ms) {
      const h: unknown = systemClock.setTimeout(() => {
        pending.delete(h);
        fn();
      }, ms);
      pending.add(h);
      return h;
    },
    clearTimeout(h) {
      pending.delete(h);
      systemClock.clearTimeout(h);
    },
  };
}
