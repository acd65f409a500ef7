/**
 * A web host whose simulator feeds are set for the order-book tests: BTC-USDT spot with the book
 * channel on, BTC-USDT perp without it (its ladder and heatmap must say there is no book).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from './web-host';

/** `bookDepth`: the simulator's levels a side (default 25; the heatmap's tests take a deeper book). */
export async function startBookHost(opts: { bookDepth?: number } = {}): Promise<RunningHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tickscope-e2e-'));
  const config = join(dataDir, 'feeds.json');
  const feeds = [
    {
      id: 'simulator-spot', exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades', 'quotes', 'book'],
      ...(opts.bookDepth ? { options: { bookDepth: opts.bookDepth } } : {}),
    },
    { id: 'simulator-perp', exchange: 'simulator', market: 'perp', symbols: ['BTC-USDT'], channels: ['trades', 'quotes'] },
  ];
  writeFileSync(config, JSON.stringify({ feeds }));
  return startHost({ dataDir, config });
}
