/**
 * Whether the ladder can be trusted, drawn with the chart's DATA NOT LIVE rule (the same hatched
 * overlay): a book that is syncing or resyncing is covered at once (its levels are not the
 * venue's book, and a book is never shown as valid while it is not); a market whose feed is down
 * is covered after the chart's grace period, since its last book is frozen, not quiet; a resync
 * the ladder only learns of from the count (it finished between two views) is announced for a few
 * seconds in amber.
 * Re-evaluated twice a second on the shared ticker, and whenever the ladder repaints.
 */
import { useRef } from 'react';
import type { MarketRef } from '../../../../shared/domain';
import { useChartStatus } from '../../hooks/use-chart-status';
import { bookOverlayTitle } from '../../lib/book-ladder';
import { overlayDue, troubleSince } from '../../lib/health-ux';
import { books } from '../../stores/book-store';

/** A view this old (local arrival) gets its age shown: a quiet book should say it is quiet. */
const AGE_SHOWN_AFTER_MS = 3_000;
/** How long a resync that happened between two views is announced. */
const RESYNC_NOTICE_MS = 4_000;

export function BookStatus({ market, marketKey }: { market: MarketRef; marketKey: string }) {
  const status = useChartStatus(market);
  const since = useRef<number | null>(null);
  const seenResyncs = useRef<number | null>(null);
  const resyncedAt = useRef<number | null>(null);
  const stored = books.byKey(marketKey);
  if (!stored) return null;
  const { view } = stored;
  // A resync over a fast link can finish between two of the core's views: the ladder then never
  // sees "resyncing", only the count moving. It still must not pass unnoticed.
  if (seenResyncs.current !== null && view.resyncs > seenResyncs.current) resyncedAt.current = Date.now();
  seenResyncs.current = view.resyncs;
  const feedDown = status.level === 'stale' && status.reason !== null;
  since.current = troubleSince(since.current, feedDown, status.now);
  const title = bookOverlayTitle(view.state, view.resyncs);
  const age = status.now - stored.at;
  if (title) {
    return (
      <div className="stale-overlay book-overlay" role="alert" data-testid="book-invalid">
        <strong>{title}</strong>
        <span className="stale-reason">
          {view.state === 'syncing' ? 'waiting for the venue snapshot' : 'a gap or checksum failure was detected: levels are not trusted until the book is rebuilt'}
        </span>
      </div>
    );
  }
  if (feedDown && overlayDue(since.current, status.now)) {
    return (
      <div className="stale-overlay book-overlay" role="alert" data-testid="book-not-live">
        <strong>DATA NOT LIVE</strong>
        <span className="stale-reason">{status.reason}</span>
      </div>
    );
  }
  if (resyncedAt.current !== null && Date.now() - resyncedAt.current < RESYNC_NOTICE_MS) {
    return (
      <div className="book-resynced" role="status" data-testid="book-resynced">
        <strong>BOOK RESYNCED ({view.resyncs})</strong> a gap or checksum failure was detected and the book rebuilt from a new snapshot
      </div>
    );
  }
  if (age >= AGE_SHOWN_AFTER_MS) {
    return (
      <div className="book-age" role="status">
        book unchanged for {Math.floor(age / 1000)} s
      </div>
    );
  }
  return null;
}
