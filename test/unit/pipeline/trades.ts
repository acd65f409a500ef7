/** Builders for pipeline unit tests. */
import type { Gap, MarketType, Side, Trade } from '../../../shared/domain';

/** 2024-01-01T00:00:00Z: aligned to every timeframe up to 1 day. */
export const T0 = Date.UTC(2024, 0, 1);

export function trade(
  time: number,
  price: number,
  size: number,
  side: Side,
  exchange = 'binance',
  symbol = 'BTC-USDT',
  market: MarketType = 'spot',
): Trade {
  return { type: 'trade', exchange, market, symbol, price, size, side, time, receivedAt: time + 5 };
}

export function gap(phase: 'start' | 'end', at: number, exchange = 'binance', symbols = ['BTC-USDT']): Gap {
  return { type: 'gap', feedId: `${exchange}-spot`, exchange, market: 'spot', symbols, phase, at, reason: 'socket closed' };
}
