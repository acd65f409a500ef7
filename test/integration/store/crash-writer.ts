/**
 * Child process of crash-safety.test.ts: writes 1m bars continuously (start = base + i * 60 000) and,
 * after each committed flush, prints `committed <count>` on stdout. The parent kills it with
 * SIGKILL mid-stream; every bar it reported committed must survive.
 */
import { BarStore } from '../../../electron/core/store/bar-store';

const path = process.argv[2]!;
const base = Number(process.argv[3]);
const store = new BarStore({ path, flushMs: 3_600_000, flushBars: 1_000_000 });
let i = 0;
let committed = 0;
setInterval(() => {
  for (let k = 0; k < 200; k++, i++) {
    store.put({
      type: 'bar', exchange: 'sim', market: 'spot', symbol: 'BTC-USDT', tf: '1m', start: base + i * 60_000,
      open: i, high: i + 1, low: i - 1, close: i + 0.5, volume: 1, buyVolume: 0.5, sellVolume: 0.5,
      trades: 3, vwap: i, final: true, incomplete: false,
    });
  }
  committed += store.flush();
  process.stdout.write(`committed ${committed}\n`);
}, 2);
