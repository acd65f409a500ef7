/**
 * The composite ladder's extras: the watch that makes the core send the composite (command
 * watchCompositeBook, a lease renewed while the ladder shows it, with the ladder's grouping as the
 * bucket), the member list (which venues are summed in and which are left out because their book
 * is not valid), and, with no book yet, the feeds that carry the market and whether they have the
 * book channel on.
 */
import { useEffect } from 'react';
import type { CompositeInfo } from '../../../../shared/books';
import type { MarketRef } from '../../../../shared/domain';
import { venueCode } from '../../lib/venue-label';
import { useSession } from '../../stores/session-store';

/** A third of the core's COMPOSITE_LEASE_MS (15 s): one lost renewal does not end the watch. */
const RENEW_MS = 5_000;

export function useCompositeWatch(market: MarketRef, group: number, enabled: boolean): void {
  const client = useSession((s) => s.client);
  useEffect(() => {
    if (!enabled || !client) return;
    const ask = () => void client.request('watchCompositeBook', { market: market.market, symbol: market.symbol, group }).catch(() => undefined);
    ask();
    const timer = setInterval(ask, RENEW_MS);
    return () => clearInterval(timer);
  }, [client, enabled, market.market, market.symbol, group]);
}

export function CompositeMembers({ info }: { info: CompositeInfo }) {
  const out = info.members.filter((m) => m.state !== 'valid');
  return (
    <p className="book-members" data-testid="composite-members" title={`Sizes of the valid venues summed per ${info.group} price bucket`}>
      <span className="muted">Composite of</span>{' '}
      {info.members.map((m, i) => (
        <span key={m.exchange} className={m.state === 'valid' ? 'member-in' : 'member-out'} data-state={m.state}>
          {i > 0 ? ', ' : ''}
          {venueCode(m.exchange)}
          {m.state === 'valid' ? '' : ` (${m.state}, left out)`}
        </span>
      ))}
      {out.length > 0 && <span className="muted"> · {info.members.length - out.length} of {info.members.length} summed</span>}
    </p>
  );
}

/** "No order book" for a composite: the feeds carrying the market, and which lack the book channel. */
export function CompositeNoBook({ market }: { market: MarketRef }) {
  const feeds = useSession((s) => s.feeds).filter((f) => f.enabled && f.market === market.market && f.symbols.includes(market.symbol));
  const without = feeds.filter((f) => !f.channels.includes('book'));
  return (
    <p className="empty book-none" role="status">
      No order book for all venues of this market
      {feeds.length === 0
        ? ' (no running feed carries it)'
        : without.length === feeds.length
          ? ` (enable the book channel on their feeds: ${without.map((f) => f.id).join(', ')})`
          : ` yet: waiting for ${feeds.length - without.length} venue book(s)${without.length > 0 ? `; no book channel on ${without.map((f) => f.id).join(', ')}` : ''}`}
    </p>
  );
}
