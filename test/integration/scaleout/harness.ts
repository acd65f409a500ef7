/**
 * In-process ingest node and desktops for the scale-out tests: a Pipeline on a simulator (the
 * venue) whose record taps feed a NatsPublisher, exactly as `headless --publish` wires it, and
 * Pipelines with a `nats` feed that collect what reaches their ingest.
 */
import { afterAll, beforeAll } from 'vitest';
import { parseFeedConfig } from '../../../shared/config';
import type { Bar, Trade } from '../../../shared/domain';
import type { StatusRecord } from '../../../shared/health';
import { Pipeline } from '../../../electron/core/pipeline/pipeline';
import { NatsPublisher } from '../../../electron/core/scaleout/nats-publisher';
import { NatsTestServer } from './nats-server';

export const SYMBOLS = ['BTC-USDT', 'ETH-USDT'];

/** One stream per test on one server: streams may not share subjects, so each has its own prefix. */
export function prefixOf(stream: string): string {
  return stream.toLowerCase();
}

export interface Node {
  pipeline: Pipeline;
  trades: Trade[];
  bars: Bar[];
  statuses: StatusRecord[];
}

function collect(pipeline: Pipeline): Node {
  const node: Node = { pipeline, trades: [], bars: [], statuses: [] };
  pipeline.onRecord((r) => {
    if (r.type === 'trade') node.trades.push(r);
    else if (r.type === 'bar' && r.final) node.bars.push(r);
    else if (r.type === 'status') node.statuses.push(r);
  });
  return node;
}

export async function startIngestNode(natsUrl: string, venueUrl: string, stream = 'TS_TEST'): Promise<Node & { publisher: NatsPublisher }> {
  const pipeline = new Pipeline({
    feeds: [parseFeedConfig({ id: 'sim', exchange: 'simulator', url: venueUrl, symbols: SYMBOLS, channels: ['trades'] })],
    timeframes: ['1s'],
    backfill: false,
    dataDir: null,
  });
  const publisher = new NatsPublisher({ url: natsUrl, stream, subjectPrefix: prefixOf(stream) });
  await publisher.start();
  const node = collect(pipeline);
  pipeline.onRecord(publisher.publish);
  await pipeline.start();
  return { ...node, publisher };
}

export async function stopIngestNode(n: Node & { publisher: NatsPublisher }): Promise<void> {
  await n.pipeline.stop();
  await n.publisher.close();
}

export async function startDesktop(natsUrl: string, durable: string, opts: { sources?: string[]; symbols?: string[]; stream?: string; prefix?: string } = {}): Promise<Node> {
  const pipeline = new Pipeline({
    feeds: [
      parseFeedConfig({
        id: 'desk',
        exchange: 'nats',
        url: natsUrl,
        symbols: opts.symbols ?? SYMBOLS,
        options: { sources: opts.sources ?? ['simulator:spot'], durable, stream: opts.stream ?? 'TS_TEST', subjectPrefix: opts.prefix ?? prefixOf(opts.stream ?? 'TS_TEST') },
      }),
    ],
    timeframes: ['1s'],
    backfill: false,
    dataDir: null,
  });
  const node = collect(pipeline);
  await pipeline.start();
  return node;
}

/** A desktop's nats row, for a wait's timeout message: connection, lag, the last error. */
export function deskState(n: Node): string {
  const row = n.pipeline.health().feeds.find((f) => f.exchange === 'nats');
  return JSON.stringify({ state: row?.state, nats: row?.nats, lastError: row?.lastError?.message });
}

/**
 * What a trader compares between two screens: venue, market, symbol, id, price, size, side, time;
 * in order within each market (the stream orders a subject, not one market against another).
 */
export function tradeKeys(trades: readonly Trade[]): string[] {
  const keys = trades.map((t) => `${t.exchange}|${t.market}|${t.symbol}|${t.id}|${t.price}|${t.size}|${t.side}|${t.time}`);
  const market = (k: string): string => k.split('|').slice(0, 3).join('|');
  return keys.map((k, i) => [k, i] as const).sort((x, y) => market(x[0]).localeCompare(market(y[0])) || x[1] - y[1]).map(([k]) => k);
}

export function barKey(b: Bar): string {
  return `${b.exchange}|${b.symbol}|${b.tf}|${b.start}|${b.open}|${b.high}|${b.low}|${b.close}|${b.volume}|${b.trades}`;
}

/** A suite's nats-server (started before its tests) and the desktops to stop after them. */
export function useNatsSuite(): { nats: () => NatsTestServer; track: (n: Node) => Node } {
  let server: NatsTestServer | null = null;
  const desks: Node[] = [];
  beforeAll(async () => {
    server = await NatsTestServer.start();
  });
  afterAll(async () => {
    for (const d of desks) await d.pipeline.stop();
    await server?.close();
  });
  return {
    nats: () => server!,
    track: (n) => (desks.push(n), n),
  };
}
