/**
 * A map keyed by market (exchange, market type, symbol) that looks values up without building a
 * key string: three nested Maps keyed by the strings the records already carry. Used on the hot
 * path (one lookup per trade or quote), where `marketKey()` would allocate a string every time.
 */
import type { MarketType } from '../../../shared/domain';

export class MarketMap<V> {
  private readonly byExchange = new Map<string, Map<string, Map<string, V>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(exchange: string, market: MarketType, symbol: string): V | undefined {
    return this.byExchange.get(exchange)?.get(market)?.get(symbol);
  }

  set(exchange: string, market: MarketType, symbol: string, value: V): void {
    let byMarket = this.byExchange.get(exchange);
    if (!byMarket) {
      byMarket = new Map();
      this.byExchange.set(exchange, byMarket);
    }
    let bySymbol = byMarket.get(market);
    if (!bySymbol) {
      bySymbol = new Map();
      byMarket.set(market, bySymbol);
    }
    if (!bySymbol.has(symbol)) this.count++;
    bySymbol.set(symbol, value);
  }

  *values(): IterableIterator<V> {
    for (const byMarket of this.byExchange.values()) {
      for (const bySymbol of byMarket.values()) yield* bySymbol.values();
    }
  }
}
