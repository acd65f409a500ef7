/**
 * KuCoin REST: the connect token (POST bullet-public), the instrument lists (spot
 * `/api/v2/symbols`, futures `/api/v1/contracts/active` with each contract's multiplier) and spot
 * and futures candles. Paths and body parsers only; rest/client.ts and runtime/connect-token.ts
 * make the requests. Every answer is `{"code":"200000","data":...}`; another code is the venue's error.
 */
import type { MarketType } from '../../../../shared/domain';
import { timeframeMs } from '../../../../shared/timeframes';
import { ParseError } from '../../util/errors';
import { show } from '../../util/show';
import type { CandleQuery, ConnectTarget, ConnectTokenSpec, Instrument, RestContext, VenueRest } from '../adapter';
import { candleBar, contractSizeOf, contractsToBase, expectArray, nativeInterval } from '../candle-row';
import { isObj } from '../json-values';
import { kucoinAsset } from './symbols';

/** `data` of a `{"code":"200000","data":...}` answer; throws with the venue's message otherwise. */
function kucoinData(body: unknown, what: string): unknown {
  if (!isObj(body)) throw new ParseError(`KuCoin ${what}: not an object`);
  if (body.code !== '200000') throw new ParseError(`KuCoin ${what}: code ${show(body.code)}${typeof body.msg === 'string' ? ` (${body.msg})` : ''}`);
  return body.data;
}

/**
 * bullet-public: `data.token` and `data.instanceServers[0]` {endpoint, pingInterval (ms),
 * pingTimeout}. Connect to `<endpoint>?token=<token>&connectId=<id>`; the token is valid 24 h.
 */
function parseBullet(body: unknown, q: { connectionId: string; endpoint?: string }): ConnectTarget {
  const data = kucoinData(body, 'bullet-public');
  if (!isObj(data) || typeof data.token !== 'string' || data.token === '') throw new ParseError('KuCoin bullet-public: no token');
  const server = Array.isArray(data.instanceServers) ? data.instanceServers[0] : undefined;
  if (!isObj(server) || typeof server.endpoint !== 'string') throw new ParseError('KuCoin bullet-public: no instance server');
  const endpoint = q.endpoint ?? server.endpoint;
  const url = `${endpoint}${endpoint.includes('?') ? '&' : '?'}token=${encodeURIComponent(data.token)}&connectId=${encodeURIComponent(q.connectionId)}`;
  const ping = server.pingInterval;
  return typeof ping === 'number' && ping > 0 ? { url, keepaliveIntervalMs: ping } : { url };
}

export const kucoinConnectToken: ConnectTokenSpec = {
  path: () => '/api/v1/bullet-public',
  body: () => ({}),
  parse: parseBullet,
};

/** Perpetual contracts (`FFWCSX`); `FFICSX` are dated futures. */
const PERPETUAL = 'FFWCSX';

function parseInstruments(body: unknown, market: MarketType): Instrument[] {
  const out: Instrument[] = [];
  for (const i of expectArray(kucoinData(body, 'instrument list'), 'KuCoin instrument list')) {
    if (!isObj(i) || typeof i.symbol !== 'string' || typeof i.baseCurrency !== 'string' || typeof i.quoteCurrency !== 'string') continue;
    const symbol = `${kucoinAsset(i.baseCurrency)}-${kucoinAsset(i.quoteCurrency)}`;
    if (market === 'spot') {
      if (i.enableTrading !== false) out.push({ symbol, native: i.symbol });
      continue;
    }
    // Linear contracts only: an inverse contract (XBTUSDM, multiplier -1) is worth 1 USD, not base units.
    if (i.type !== PERPETUAL || i.status !== 'Open' || i.isInverse === true) continue;
    const multiplier = typeof i.multiplier === 'number' ? i.multiplier : Number(i.multiplier);
    if (multiplier > 0 && multiplier < Infinity) out.push({ symbol, native: i.symbol, contractSize: multiplier });
  }
  return out;
}

// Spot candles: /api/v1/market/candles?type=1min&symbol=BTC-USDT&startAt=<s>&endAt=<s>, at most
// 1500 rows, NEWEST FIRST, each [time (s), open, CLOSE, HIGH, LOW, volume (base), turnover (quote)].
const KUCOIN_TYPES: Record<string, string> = {
  '1m': '1min', '5m': '5min', '15m': '15min', '30m': '30min', '1h': '1hour', '4h': '4hour', '1d': '1day',
};

// Futures candles: /api/v1/kline/query?symbol=XBTUSDTM&granularity=<minutes>&from=<ms>&to=<ms>, at
// most 500 rows, each [time (ms), open, HIGH, LOW, CLOSE, volume (lots = contracts), turnover
// (quote)] as numbers: base volume = lots x the contract's multiplier (RestContext.contractSize).
const KUCOIN_GRANULARITY: Record<string, string> = { '1m': '1', '5m': '5', '15m': '15', '30m': '30', '1h': '60', '4h': '240', '1d': '1440' };

function candleRows(body: unknown): unknown[][] {
  return expectArray(kucoinData(body, 'candles'), 'KuCoin candles').map((row) => {
    if (!Array.isArray(row) || row.length < 7) throw new ParseError(`KuCoin candle row ${show(row)} has fewer than 7 fields`);
    return row as unknown[];
  });
}

function parseCandles(body: unknown, ctx: RestContext) {
  let bars;
  if (ctx.market === 'spot') {
    bars = candleRows(body).map(([time, open, close, high, low, volume, turnover]) =>
      candleBar(ctx, { start: Number(time) * 1000, open, high, low, close, volume, quoteVolume: turnover }));
  } else {
    const size = contractSizeOf(ctx, 'KuCoin futures');
    bars = candleRows(body).map(([time, open, high, low, close, lots, turnover]) =>
      candleBar(ctx, { start: Number(time), open, high, low, close, volume: contractsToBase(lots, size), quoteVolume: turnover }));
  }
  return bars.sort((a, b) => a.start - b.start);
}

/** Both endpoints answer at most `limit` rows from `from`: the window is cut to them. */
function candlesPath(q: CandleQuery): string {
  const end = Math.min(q.to, q.from + q.limit * timeframeMs(q.tf));
  if (q.market === 'spot') {
    return `/api/v1/market/candles?type=${nativeInterval(KUCOIN_TYPES, q.tf, 'KuCoin')}&symbol=${encodeURIComponent(q.native)}` +
      `&startAt=${Math.floor(q.from / 1000)}&endAt=${Math.floor((end - 1) / 1000)}`;
  }
  return `/api/v1/kline/query?symbol=${encodeURIComponent(q.native)}&granularity=${nativeInterval(KUCOIN_GRANULARITY, q.tf, 'KuCoin futures')}` +
    `&from=${q.from}&to=${end - 1}`;
}

export const kucoinRest: VenueRest = {
  defaultRestUrl: (market) => (market === 'spot' ? 'https://api.kucoin.com' : 'https://api-futures.kucoin.com'),
  instruments: { path: (market) => (market === 'spot' ? '/api/v2/symbols' : '/api/v1/contracts/active'), parse: parseInstruments },
  candles: {
    intervals: (market) => Object.keys(market === 'spot' ? KUCOIN_TYPES : KUCOIN_GRANULARITY),
    // Spot serves 1500 rows, futures 500; one figure for both (a 500-bar backfill is one request either way).
    maxPerRequest: 500,
    path: candlesPath,
    parse: parseCandles,
    exactSplit: false,
  },
  // Public pool: 2000 weight per 30 s per IP (candles weigh 3, bullet-public 10); kept well under.
  restRateLimit: { requestsPerSecond: 5, burst: 10 },
};
