/**
 * (d) The web host path: the core as `npm run serve` runs it (clients/web-host-main.ts, a child
 * process with the app's flags, temp data dir, one feed on the replay) with one browser-like
 * WebSocket client in this process: it connects with the token, asks for the bars of one chart as
 * the renderer does when a chart opens, and JSON.parses every batch, accounting for every trade
 * (those the batch carries plus its tradesOmitted count). The replay starts streaming once the
 * client has its hello (a gate), so the client is there for the whole stream.
 *
 * Throughput comes from the core's feed summary (first and last receive time), as for (c); the
 * run ends once the client has seen the last trade, so the stream's batches all reached it.
 */
import WebSocket from 'ws';
import type { StreamBatch } from '../../shared/protocol';
import { replayTradeId } from '../replay/frames';
import type { ReplayProcess } from '../replay/replay-process';
import { totalTrades, type ReplayDone, type Scenario } from '../replay/scenario';
import { cpuPerTrade, throughput } from '../stats';
import { AppChild, summaryRate, tempAppDir, type ChildOptions } from './app-child';
import type { AppRun } from './headless';
import type { FeedSummary } from '../../electron/core/pipeline/pipeline';

export interface WebHostRun extends AppRun {
  /** Trades the client accounted for: carried in batches plus their tradesOmitted counts. */
  clientTrades: number;
  batches: number;
  /** Bytes of batch JSON the client received. */
  clientBytes: number;
}

export async function runWebHost(replay: ReplayProcess, s: Scenario, o: ChildOptions & { timeoutMs?: number } = {}): Promise<WebHostRun> {
  const expected = totalTrades(s);
  const lastId = replayTradeId(s.venue, expected);
  const { done } = await replay.arm({ ...s, phases: [{ kind: 'gate' }, ...s.phases] });
  const dir = tempAppDir(replay, s);
  const child = new AppChild('bench/clients/web-host-main.ts', ['--config', dir.config, '--data-dir', dir.dataDir], o);
  let failure: string | null = null;
  let ws: WebSocket | null = null;
  let clientTrades = 0;
  let batches = 0;
  let clientBytes = 0;
  let cpu0: number | null = null;
  let cpu1: number | null = null;
  try {
    const exited = child.exited.then(() => 'exited' as const);
    const listening = await Promise.race([child.waitForLine((l) => l.startsWith('{"type":"listening"')), exited]);
    if (listening === 'exited') throw new Error('the web host exited before listening');
    const { port, token } = JSON.parse(listening) as { port: number; token: string };
    const sawLast = new Promise<void>((resolve, reject) => {
      // The token as the renderer offers it (a subprotocol next to the protocol version,
      // shared/web-host-auth.ts) and in the query as well, which hosts before that change read.
      ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`, ['tickscope.v1', `tickscope.token.${token}`], {
        perMessageDeflate: false,
      });
      ws.on('error', reject);
      ws.on('close', () => reject(new Error('the web host closed the connection')));
      ws.on('message', (data: Buffer) => {
        clientBytes += data.length;
        const msg = JSON.parse(data.toString()) as { type: string };
        if (msg.type === 'hello') {
          // As the renderer does when a chart opens, then the stream may start.
          ws!.send(JSON.stringify({ type: 'command', id: 1, name: 'getBars', args: { exchange: s.venue, market: 'spot', symbol: 'BTC-USDT', tf: '1m' } }));
          replay.go();
          return;
        }
        if (msg.type !== 'batch') return;
        const b = msg as StreamBatch;
        batches++;
        clientTrades += b.trades.length + b.tradesOmitted;
        if (b.trades.length === 0) return;
        if (cpu0 === null) cpu0 = child.cpuMs();
        if (b.trades[b.trades.length - 1]!.id === lastId) {
          cpu1 = child.cpuMs();
          resolve();
        }
      });
    });
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), o.timeoutMs ?? 180_000).unref());
    const how = await Promise.race([sawLast.then(() => 'ok' as const), timeout, exited]);
    if (how !== 'ok') failure = how === 'timeout' ? 'the client did not see the last trade in time' : 'the web host exited early';
  } catch (e) {
    failure = (e as Error).message;
  }
  (ws as WebSocket | null)?.removeAllListeners('close');
  (ws as WebSocket | null)?.terminate();
  if (failure) child.kill();
  const { code, lines } = await child.stop();
  const replayDone = await Promise.race([done, new Promise<ReplayDone>((r) => setTimeout(() => r({ type: 'done', frames: 0, trades: 0, ms: 0, phases: [] }), 5_000))]);
  await replay.dropClients();
  dir.remove();
  let feed: FeedSummary | undefined;
  try {
    const parsed = JSON.parse(lines[lines.length - 1] ?? '') as { type: string; feeds: FeedSummary[] };
    if (parsed.type === 'summary') feed = parsed.feeds[0];
  } catch {
    // reported below
  }
  const rate = feed ? summaryRate(feed) : null;
  if (!failure && (code !== 0 || !rate)) failure = `exit ${code}, ${feed ? 'summary without receive times' : 'no summary line'}`;
  if (!failure && clientTrades < expected) failure = `the client accounted for ${clientTrades} of ${expected} trades`;
  if (failure) failure += child.errors() ? ` (stderr: ${child.errors().split('\n').slice(0, 8).join(' | ')})` : '';
  const sent = replayDone.frames ? replayDone.trades : expected;
  const trades = feed?.trades ?? 0;
  return {
    ...throughput(trades / s.tradesPerFrame, trades, rate?.ms ?? 0),
    ...cpuPerTrade(cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null, trades),
    ...(failure ? { incomplete: failure } : {}),
    sent,
    lost: Math.max(0, sent - trades),
    feedErrors: feed?.errors ?? 0,
    clientTrades,
    batches,
    clientBytes,
  };
}
