/**
 * The ceiling: a bare `ws` client that only JSON.parses each frame. Nothing a real pipeline does
 * (normalising, queueing, aggregating, publishing) happens here, so its rate is the most any
 * client on this machine could get from the same replay in the same run.
 */
import WebSocket from 'ws';
import type { Venue } from '../replay/frames';
import { cpuPerTrade, processCpuMs, throughput, type Throughput } from '../stats';

export function subscribeMessage(venue: Venue, native: string): string {
  return venue === 'binance'
    ? JSON.stringify({ method: 'SUBSCRIBE', params: [`${native.toLowerCase()}@aggTrade`], id: 1 })
    : JSON.stringify({ op: 'subscribe', args: [`publicTrade.${native}`], req_id: 'bench' });
}

export function runCeiling(url: string, venue: Venue, native: string, expectedTrades: number): Promise<Throughput> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
    let frames = 0;
    let trades = 0;
    let first = 0;
    let cpu0 = 0;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`ceiling client: ${trades}/${expectedTrades} trades after 120 s`));
    }, 120_000);
    ws.on('open', () => ws.send(subscribeMessage(venue, native)));
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { data?: unknown };
      // Bybit: a trade batch counts its trades; a book message (data is an object) counts 1.
      const n = venue === 'binance' ? ((msg as { stream?: string }).stream ? 1 : 0) : Array.isArray(msg.data) ? msg.data.length : (msg as { topic?: string }).topic ? 1 : 0;
      if (n === 0) return; // the subscribe ack
      if (frames === 0) {
        first = performance.now();
        cpu0 = processCpuMs();
      }
      frames++;
      trades += n;
      if (trades >= expectedTrades) {
        const ms = performance.now() - first;
        const cpu = processCpuMs() - cpu0;
        clearTimeout(timer);
        ws.terminate();
        resolve({ ...throughput(frames, trades, ms), ...cpuPerTrade(cpu, trades) });
      }
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
