/**
 * The one place the stream enters the renderer: attached synchronously on connect (before React
 * renders), so the hello that the core sends first is never missed. Order books go to their
 * latest-per-market store (stores/book-store.ts); the ladder reads it on its paint schedule.
 */
import { timeframeMs } from '../../../shared/timeframes';
import type { CoreClient } from '../transport/client';
import { books } from './book-store';
import { useHealth } from './health-store';
import { resetStatsBook, statsBook, tape } from './live-books';
import { useSession } from './session-store';
import { publishBatch } from './stream-store';
import { useAlerts } from './alerts-store';
import { deliverAlert } from '../lib/alert-delivery';

export function attachIngest(client: CoreClient): () => void {
  useSession.getState().setClient(client);
  const offMessage = client.transport.onMessage((m) => {
    if (m.type === 'hello') {
      const smallest = [...m.timeframes].sort((a, b) => timeframeMs(a) - timeframeMs(b))[0];
      resetStatsBook(smallest ?? '1s');
      books.clear();
      useSession.getState().onHello(m);
      useAlerts.getState().loaded(m.alerts ?? [], m.alertLog ?? []);
      return;
    }
    // Alerts: the list after any change, and each alert as it fires (never conflated).
    if (m.type === 'alerts') {
      useAlerts.getState().setAlerts(m.alerts);
      return;
    }
    if (m.type === 'alert') {
      deliverAlert(m);
      return;
    }
    // Pushed after any window changed the feed list, so this one never shows a stale list.
    if (m.type === 'feeds') {
      useSession.getState().setFeeds(m.feeds);
      return;
    }
    if (m.type !== 'batch') return;
    const now = Date.now();
    const book = statsBook();
    book.onBars(m.bars, now);
    if (m.funding.length > 0) book.onFunding(m.funding);
    if (m.quotes.length > 0) book.onQuotes(m.quotes);
    for (const t of m.trades) tape.push('trade', t);
    for (const l of m.liquidations) tape.push('liquidation', l);
    tape.omitted += m.tradesOmitted;
    if (m.books.length > 0) books.apply(m.books, now);
    if (m.health) useHealth.getState().onHealth(m.health);
    if (m.statuses.length > 0) useHealth.getState().onStatuses(m.statuses);
    publishBatch(m, now);
  });
  const offClose = client.transport.onClose((reason) => useSession.getState().onClosed(reason));
  return () => {
    offMessage();
    offClose();
  };
}
