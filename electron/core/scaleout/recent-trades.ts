/**
 * The last trade ids seen per market, so a trade that reaches a desktop twice is handed to ingest
 * once. The stream's Nats-Msg-Id dedupes whole batches; two ingest nodes (hot standby) cut the
 * same batches except where one of them joined or left mid-window, and those edge batches carry
 * trades the other node's batch had too. Trades without a venue id are never dropped (two equal
 * id-less trades can be real).
 */
import type { Trade } from '../../../shared/domain';

/** Ids remembered per market: far more than two nodes' batches can overlap. */
const KEEP = 20_000;

interface Ring {
  ids: Set<string>;
  order: string[];
  next: number;
}

export class RecentTrades {
  private readonly markets = new Map<string, Ring>();
  duplicates = 0;

  /** True the first time a trade (by venue, market, symbol and id) is offered. */
  first(t: Trade): boolean {
    if (t.id === undefined) return true;
    const key = `${t.exchange}\u0000${t.market}\u0000${t.symbol}`;
    let r = this.markets.get(key);
    if (!r) this.markets.set(key, (r = { ids: new Set(), order: [], next: 0 }));
    if (r.ids.has(t.id)) {
      this.duplicates++;
      return false;
    }
    if (r.order.length < KEEP) r.order.push(t.id);
    else {
      r.ids.delete(r.order[r.next]!);
      r.order[r.next] = t.id;
      r.next = (r.next + 1) % KEEP;
    }
    r.ids.add(t.id);
    return true;
  }
}
