/**
 * The peers on the same replay: ccxt's watchTrades (ccxt pro, built into ccxt) and an asyncio
 * pipeline in Python. Neither is a dependency of the app: `npm run bench:setup` installs them
 * (ccxt into bench/peers with its own package.json; python3-websockets from Debian). A peer that
 * is not installed is skipped with a line saying how to install it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Venue } from '../replay/frames';
import { throughput, type Throughput } from '../stats';

const PEERS = fileURLToPath(new URL('../peers/', import.meta.url));
const CCXT_ENTRY = `${PEERS}node_modules/ccxt/js/ccxt.js`;
const PYTHON = '/usr/bin/python3';
const PY_PIPELINE = `${PEERS}asyncio_pipeline.py`;

export type PeerResult = (Throughput & { version: string }) | { skipped: string };

// ccxt is loaded at run time and has no types here, hence `any`.
let ccxtModule: any = null;

export async function ccxtAvailable(): Promise<string | null> {
  if (!existsSync(CCXT_ENTRY)) return 'ccxt is not installed (run `npm run bench:setup`)';
  try {
    ccxtModule ??= await import(pathToFileURL(CCXT_ENTRY).href);
    return null;
  } catch (e) {
    return `ccxt could not be loaded: ${(e as Error).message}`;
  }
}

/**
 * ccxt.pro.binance pointed at the replay: REST (loadMarkets -> exchangeInfo) and the WebSocket
 * base URL are overridden; watchTrades on aggTrade, with a trade cache large enough that no
 * trade falls out between two awaits (so every trade is counted).
 */
export async function runCcxt(httpUrl: string, wsBase: string, expectedTrades: number): Promise<PeerResult> {
  const why = await ccxtAvailable();
  if (why) return { skipped: why };
  const ccxt = ccxtModule.default ?? ccxtModule;
  const ex = new ccxt.pro.binance({
    enableRateLimit: false,
    options: {
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
      tradesLimit: 1_000_000,
      watchTrades: { name: 'aggTrade' },
      watchTradesForSymbols: { name: 'aggTrade' },
    },
  });
  ex.urls.api.public = `${httpUrl}/api/v3`;
  ex.urls.api.ws.spot = `${wsBase}/ws`;
  let trades = 0;
  let first = 0;
  let lastId = 0;
  try {
    // ccxt wants an http.Agent before it opens a plain ws:// (non-TLS) URL such as the replay's.
    await ex.loadHttpProxyAgent();
    await ex.loadMarkets();
    while (trades < expectedTrades) {
      const batch: { id: string }[] = await ex.watchTrades('BTC/USDT');
      if (trades === 0) first = performance.now();
      trades += batch.length;
      if (batch.length > 0) lastId = Number(batch[batch.length - 1]!.id);
    }
    const ms = performance.now() - first;
    if (lastId !== expectedTrades) return { skipped: `ccxt: last trade id ${lastId} after ${trades} trades (expected ${expectedTrades})` };
    return { ...throughput(trades, trades, ms), version: String(ccxt.version) };
  } catch (e) {
    return { skipped: `ccxt failed: ${(e as Error).message}` };
  } finally {
    await ex.close().catch(() => {});
  }
}

export function pythonAvailable(): Promise<string | null> {
  return new Promise((resolve) => {
    if (!existsSync(PYTHON)) return resolve(`${PYTHON} not found`);
    execFile(PYTHON, ['-c', 'import websockets'], (err) =>
      resolve(err ? 'python3-websockets is not installed (run `npm run bench:setup`, Debian: apt-get install -y python3-websockets)' : null),
    );
  });
}

export async function runPython(url: string, venue: Venue, native: string, expectedTrades: number): Promise<PeerResult> {
  const why = await pythonAvailable();
  if (why) return { skipped: why };
  return new Promise((resolve) => {
    execFile(PYTHON, [PY_PIPELINE, url, venue, native, String(expectedTrades)], { timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) return resolve({ skipped: `asyncio peer failed: ${(stderr || err.message).trim().split('\n').pop()}` });
      const r = JSON.parse(stdout.trim().split('\n').pop()!) as { frames: number; trades: number; seconds: number; websockets: string; python: string };
      resolve({ ...throughput(r.frames, r.trades, r.seconds * 1000), version: `Python ${r.python}, websockets ${r.websockets}` });
    });
  });
}
