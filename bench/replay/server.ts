/**
 * The replay exchange, run as its own process (replay-process.ts forks it) so that encoding and
 * sending never share the core being measured. One HTTP server on 127.0.0.1:0 serves:
 *
 * - the REST instrument lists the clients ask for first (Binance /api/v3/exchangeInfo, Bybit
 *   /v5/market/instruments-info), the candles the app's backfill asks for when a feed starts
 *   (Binance /api/v3/klines, Bybit /v5/market/kline: plain generated rows, answered at once), and
 * - the REST depth snapshot a Binance book starts from (/api/v3/depth: the depth bench's book), and
 * - WebSocket upgrades on any path (`/stream`, ccxt's `/ws/0`, ...). SUBSCRIBE (Binance) and
 *   {"op":"subscribe"} (Bybit) are acknowledged as the venues do; the connection that subscribes
 *   next after an `arm` message gets that scenario streamed to it.
 *
 * Control is by IPC: {type:'arm', scenario} -> {type:'armed'}; the stream ends with a ReplayDone.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { binanceAggTrade, bybitPublicTrade, packFrames, TradeSource } from './frames';
import { BybitDepthSource, depthSnapshotBody, DepthSource } from './depth-frames';
import { epochNow, rateFrames, type ReplayDone, type Scenario } from './scenario';
import { acceptUpgrade, ClientFrameReader, closeFrame, pongFrame, textFrame } from './ws-wire';

/** About 64 KB of frames per socket write. */
const CHUNK_BYTES = 64 * 1024;

/** Pre-encoding stops here; beyond it (the 10M-trade memory run) frames are packed while sending. */
const PREENCODE_MAX_BYTES = 400 * 1024 * 1024;

/** Pre-encoded frames, and where a `gate` phase waits between them. */
type Chunk = Buffer | 'gate';

let armed: { scenario: Scenario; chunks: Chunk[] | null } | null = null;
const sockets = new Set<Socket>();
let openGate: (() => void) | null = null;
/** A `go` that came before the stream reached its gate (the receiver was ready first). */
let goEarly = false;

function send(msg: unknown): void {
  process.send?.(msg);
}

function exchangeInfo(): unknown {
  return {
    timezone: 'UTC',
    serverTime: Date.now(),
    rateLimits: [],
    exchangeFilters: [],
    symbols: [
      {
        symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', baseAssetPrecision: 8, quoteAsset: 'USDT',
        quotePrecision: 8, quoteAssetPrecision: 8, baseCommissionPrecision: 8, quoteCommissionPrecision: 8,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'], icebergAllowed: true, ocoAllowed: true,
        isSpotTradingAllowed: true, isMarginTradingAllowed: true,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
          { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
        ],
        permissions: ['SPOT'], permissionSets: [['SPOT']], defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      },
    ],
  };
}

function bybitInstruments(): unknown {
  return {
    retCode: 0, retMsg: 'OK', time: Date.now(),
    result: { category: 'spot', list: [{ symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Trading' }] },
  };
}

const MINUTE = 60_000;
const INTERVAL_MS: Record<string, number> = {
  '1s': 1_000, '1m': MINUTE, '3m': 3 * MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '30m': 30 * MINUTE,
  '1h': 60 * MINUTE, '2h': 120 * MINUTE, '4h': 240 * MINUTE, '6h': 360 * MINUTE, '8h': 480 * MINUTE, '12h': 720 * MINUTE, '1d': 1440 * MINUTE,
};
/** Bybit names intervals in minutes, or D. */
const BYBIT_INTERVAL_MS: Record<string, number> = { D: 1440 * MINUTE };
for (const m of [1, 3, 5, 15, 30, 60, 120, 240, 360, 720]) BYBIT_INTERVAL_MS[String(m)] = m * MINUTE;

/**
 * Candle windows [from, to) of `stepMs` (at most `limit`, the newest), each a flat-ish candle near
 * the replay's prices: what the app's backfill needs to seed its bars, cheaply. Open windows
 * (ending after now) are left out, as a venue marks them unfinished.
 */
function candleStarts(q: URLSearchParams, stepMs: number, fromKey: string, toKey: string): number[] {
  const now = Date.now();
  const limit = Math.min(1000, Math.max(1, Number(q.get('limit') ?? 500)));
  // Both ends inclusive, as the venues take them.
  const last = Math.min(Number(q.get(toKey) ?? now), now - stepMs);
  const first = Number(q.get(fromKey) ?? last - limit * stepMs);
  const starts: number[] = [];
  for (let t = Math.ceil(first / stepMs) * stepMs; t <= last; t += stepMs) starts.push(t);
  return starts.slice(-limit);
}

function candlePrices(start: number): [string, string, string, string] {
  const mid = 64_000 + (Math.floor(start / MINUTE) % 200) - 100;
  return [String(mid), String(mid + 5), String(mid - 5), String(mid + 1)];
}

function binanceKlines(q: URLSearchParams): unknown[] | null {
  const step = INTERVAL_MS[q.get('interval') ?? ''];
  if (!step) return null;
  return candleStarts(q, step, 'startTime', 'endTime').map((t) => {
    const [o, h, l, c] = candlePrices(t);
    return [t, o, h, l, c, '12.5', t + step - 1, String(12.5 * Number(c)), 250, '6.25', String(6.25 * Number(c)), '0'];
  });
}

function bybitKline(q: URLSearchParams): unknown | null {
  const step = BYBIT_INTERVAL_MS[q.get('interval') ?? ''];
  if (!step) return null;
  const list = candleStarts(q, step, 'start', 'end')
    .reverse() // Bybit: newest first
    .map((t) => {
      const [o, h, l, c] = candlePrices(t);
      return [String(t), o, h, l, c, '12.5', String(12.5 * Number(c))];
    });
  return { retCode: 0, retMsg: 'OK', result: { category: q.get('category'), symbol: q.get('symbol'), list }, time: Date.now() };
}

function http(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  const body =
    path === '/api/v3/exchangeInfo' ? exchangeInfo()
    : path === '/v5/market/instruments-info' ? bybitInstruments()
    : path === '/api/v3/klines' ? binanceKlines(url.searchParams)
    : path === '/v5/market/kline' ? bybitKline(url.searchParams)
    : path === '/api/v3/depth' ? depthSnapshotBody()
    : null;
  if (body === null) {
    send({ type: 'log', line: `replay: HTTP 404 for ${req.method} ${req.url}` });
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"code":-1,"msg":"not in the replay"}');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** Frames for `n` frames' worth of trades; `time(k)` is the exchange time of the k-th trade overall. */
function encoder(s: Scenario): (n: number, time: (k: number) => number) => string[] {
  let k = 0;
  if (s.kind === 'depth') {
    const depth = s.venue === 'binance' ? new DepthSource(s.seed ?? 7) : new BybitDepthSource(s.seed ?? 7);
    return (n, time) => Array.from({ length: n }, () => depth.frame(s.native, time(k++), s.tradesPerFrame));
  }
  const src = new TradeSource(s.seed ?? 42);
  return (n, time) => {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      if (s.venue === 'binance') out[i] = binanceAggTrade(src, s.native, time(k++));
      else {
        const base = k;
        out[i] = bybitPublicTrade(src, s.native, s.tradesPerFrame, (j) => time(base + j));
        k += s.tradesPerFrame;
      }
    }
    return out;
  };
}

function framesPerChunk(s: Scenario): number {
  const approxBytes = s.kind === 'depth' ? 30 * s.tradesPerFrame + 150 : s.venue === 'binance' ? 230 : 160 * s.tradesPerFrame + 80;
  return Math.max(1, Math.floor(CHUNK_BYTES / approxBytes));
}

/** Writes one chunk, waiting for 'drain' when the socket's buffer is full (backpressure). */
async function write(socket: Socket, closed: Promise<never>, buf: Buffer): Promise<void> {
  if (socket.destroyed) throw new Error('client went away');
  if (!socket.write(buf)) await Promise.race([once(socket, 'drain'), closed]);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * All frames of a scenario made only of `max` and `gate` phases, packed before the client
 * subscribes, so the send loop does nothing but write (and wait at the gates). Null when it has
 * paced phases or would not fit.
 */
function preEncode(s: Scenario): Chunk[] | null {
  if (!s.phases.some((p) => p.kind === 'max') || s.phases.some((p) => p.kind !== 'max' && p.kind !== 'gate')) return null;
  const frames = s.phases.reduce((n, p) => n + (p.kind === 'max' ? p.frames : 0), 0);
  const perChunk = framesPerChunk(s);
  if ((frames / perChunk) * CHUNK_BYTES > PREENCODE_MAX_BYTES) return null;
  const encode = encoder(s);
  const startTime = Math.floor(Date.now());
  const chunks: Chunk[] = [];
  for (const p of s.phases) {
    if (p.kind === 'gate') chunks.push('gate');
    else if (p.kind === 'max') {
      for (let done = 0; done < p.frames; done += perChunk) chunks.push(packFrames(encode(Math.min(perChunk, p.frames - done), (k) => startTime + k)));
    }
  }
  return chunks;
}

function gate(): Promise<void> {
  if (goEarly) {
    goEarly = false;
    openGate = null; // a gate of an earlier, abandoned stream
    return Promise.resolve();
  }
  return new Promise<void>((r) => (openGate = r));
}

async function stream(socket: Socket, s: Scenario, chunks: Chunk[] | null): Promise<ReplayDone> {
  const encode = encoder(s);
  const perChunk = framesPerChunk(s);
  const startTime = Math.floor(Date.now());
  const done: ReplayDone = { type: 'done', frames: 0, trades: 0, ms: 0, phases: [] };
  const closed = once(socket, 'close').then(() => Promise.reject<never>(new Error('client went away')));
  closed.catch(() => {});
  if (chunks) {
    // Timed from the last gate: what is sent before it (a book's first diff) only sets things up.
    let t0 = performance.now();
    for (const c of chunks) {
      if (c === 'gate') {
        await gate();
        t0 = performance.now();
      } else await write(socket, closed, c);
    }
    const frames = s.phases.reduce((n, p) => n + (p.kind === 'max' ? p.frames : 0), 0);
    done.frames = frames;
    done.trades = frames * s.tradesPerFrame;
    done.phases.push({ firstId: 1, lastId: done.trades, frames });
    done.ms = performance.now() - t0;
    return done;
  }
  const t0 = performance.now();
  let nextId = 1;
  for (const p of s.phases) {
    const firstId = nextId;
    let frames = 0;
    if (p.kind === 'pause') await sleep(p.ms);
    else if (p.kind === 'gate') await gate();
    else if (p.kind === 'max') {
      while (frames < p.frames) {
        const n = Math.min(perChunk, p.frames - frames);
        await write(socket, closed, packFrames(encode(n, (k) => startTime + k)));
        frames += n;
      }
    } else {
      const total = rateFrames(p);
      const begin = performance.now();
      while (frames < total) {
        const due = Math.min(total, Math.floor((p.perSecond * (performance.now() - begin)) / 1000));
        if (due > frames) {
          const now = epochNow();
          const n = due - frames;
          await write(socket, closed, packFrames(encode(n, () => now)));
          frames += n;
        }
        await sleep(1);
      }
    }
    nextId += frames * s.tradesPerFrame;
    done.frames += frames;
    done.phases.push({ firstId, lastId: nextId - 1, frames });
  }
  done.trades = done.frames * s.tradesPerFrame;
  done.ms = performance.now() - t0;
  return done;
}

function onControl(socket: Socket, text: string): void {
  let msg: Record<string, unknown>;
  try {
    msg = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return;
  }
  let subscribed = false;
  if (msg.method === 'SUBSCRIBE') {
    socket.write(textFrame(JSON.stringify({ result: null, id: msg.id ?? null })));
    subscribed = true;
  } else if (msg.op === 'subscribe') {
    socket.write(textFrame(JSON.stringify({ success: true, ret_msg: '', conn_id: 'replay', req_id: msg.req_id ?? '', op: 'subscribe' })));
    subscribed = true;
  } else if (msg.op === 'ping') {
    socket.write(textFrame(JSON.stringify({ success: true, ret_msg: 'pong', conn_id: 'replay', req_id: msg.req_id ?? '', op: 'ping' })));
  }
  if (subscribed && armed) {
    const { scenario, chunks } = armed;
    armed = null;
    // The parent may time the receiver's CPU from here (a sink it cannot watch for the first trade).
    send({ type: 'streaming' });
    stream(socket, scenario, chunks).then(
      (d) => send(d),
      (e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  }
}

const server = createServer(http);
server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
  if (!acceptUpgrade(req, socket)) return;
  socket.setNoDelay(true);
  sockets.add(socket);
  const reader = new ClientFrameReader({
    text: (t) => onControl(socket, t),
    ping: (p) => socket.write(pongFrame(p)),
    close: () => socket.end(closeFrame()),
  });
  socket.on('data', (d: Buffer) => reader.push(d));
  socket.on('error', () => {});
  socket.on('close', () => sockets.delete(socket));
});

process.on('message', (raw) => {
  const msg = raw as { type: string; scenario?: Scenario };
  if (msg.type === 'arm' && msg.scenario) {
    armed = { scenario: msg.scenario, chunks: preEncode(msg.scenario) };
    goEarly = false;
    send({ type: 'armed', preEncoded: armed.chunks !== null });
  } else if (msg.type === 'go') {
    if (openGate) openGate();
    else goEarly = true;
    openGate = null;
  } else if (msg.type === 'drop-clients') {
    for (const s of sockets) s.destroy();
    sockets.clear();
    send({ type: 'dropped' });
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as AddressInfo).port }));
