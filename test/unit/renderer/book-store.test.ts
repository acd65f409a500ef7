import { afterEach, describe, expect, it } from 'vitest';
import type { BookView } from '../../../shared/books';
import type { ServerMessage, StreamBatch } from '../../../shared/protocol';
import { books, LatestBooks } from '../../../renderer/src/stores/book-store';
import { attachIngest } from '../../../renderer/src/stores/ingest';
import { CoreClient } from '../../../renderer/src/transport/client';
import { Listeners } from '../../../renderer/src/transport/listeners';
import type { CoreTransport } from '../../../renderer/src/transport/types';

function view(symbol: string, bid: number, state: BookView['state'] = 'valid'): BookView {
  return { exchange: 'simulator', market: 'spot', symbol, state, bids: [[bid, 1]], asks: [[bid + 1, 1]], time: bid, receivedAt: bid, resyncs: 0 };
}

describe('latest book per market', () => {
  it('keeps the latest view of each market, within a batch and across batches', () => {
    const b = new LatestBooks();
    b.apply([view('BTC-USDT', 100), view('ETH-USDT', 10), view('BTC-USDT', 101)], 1_000);
    expect(b.size).toBe(2);
    expect(b.byKey('simulator:spot:BTC-USDT')!.view.bids[0]![0]).toBe(101);
    b.apply([view('BTC-USDT', 102, 'resyncing')], 2_000);
    const btc = b.get({ exchange: 'simulator', market: 'spot', symbol: 'BTC-USDT' })!;
    expect(btc.view.state).toBe('resyncing');
    expect(btc.at).toBe(2_000);
    // Another market's view is untouched, and its version did not move.
    expect(b.byKey('simulator:spot:ETH-USDT')!.view.bids[0]![0]).toBe(10);
  });

  it("ignores a heatmap's deep grouped view: the ladder keeps the market's top-N view", () => {
    const b = new LatestBooks();
    b.apply([view('BTC-USDT', 100), { ...view('BTC-USDT', 90), deep: { group: 10, levels: 200 } }], 1_000);
    expect(b.byKey('simulator:spot:BTC-USDT')!.view.bids[0]![0]).toBe(100);
    expect(b.byKey('simulator:spot:BTC-USDT')!.view.deep).toBeUndefined();
  });

  it('moves a market version only when that market gets a view', () => {
    const b = new LatestBooks();
    expect(b.versionOf('simulator:spot:BTC-USDT')).toBe(0);
    b.apply([view('BTC-USDT', 100)], 1);
    const v1 = b.versionOf('simulator:spot:BTC-USDT');
    expect(v1).toBeGreaterThan(0);
    b.apply([view('ETH-USDT', 10)], 2);
    expect(b.versionOf('simulator:spot:BTC-USDT')).toBe(v1);
    b.apply([view('BTC-USDT', 100)], 3);
    expect(b.versionOf('simulator:spot:BTC-USDT')).toBeGreaterThan(v1);
  });

  it('tells spot from perp and a venue from the composite', () => {
    const b = new LatestBooks();
    b.apply([view('BTC-USDT', 100), { ...view('BTC-USDT', 200), market: 'perp' }, { ...view('BTC-USDT', 300), exchange: '*' }], 1);
    expect(b.size).toBe(3);
    expect(b.byKey('simulator:perp:BTC-USDT')!.view.bids[0]![0]).toBe(200);
    expect(b.byKey('*:spot:BTC-USDT')!.view.bids[0]![0]).toBe(300);
  });

  it('forgets everything on a new connection', () => {
    const b = new LatestBooks();
    b.apply([view('BTC-USDT', 100)], 1);
    b.clear();
    expect(b.size).toBe(0);
    expect(b.byKey('simulator:spot:BTC-USDT')).toBeUndefined();
  });
});

describe('books from the stream', () => {
  const detach: (() => void)[] = [];
  afterEach(() => {
    for (const d of detach.splice(0)) d();
    books.clear();
  });

  function connect() {
    const messages = new Listeners<ServerMessage>();
    const transport: CoreTransport = {
      kind: 'browser',
      send: () => undefined,
      onMessage: (fn) => messages.add(fn),
      onClose: () => () => undefined,
      close: () => undefined,
    };
    detach.push(attachIngest(new CoreClient(transport)));
    return (m: ServerMessage) => messages.emit(m);
  }
  const batch = (seq: number, views: BookView[]): StreamBatch => ({
    type: 'batch', seq, at: seq, bars: [], trades: [], tradesOmitted: 0, quotes: [], liquidations: [], funding: [], statuses: [], books: views, conflated: 0,
  });
  const hello: ServerMessage = { type: 'hello', protocol: 1, feeds: [], timeframes: ['1m'], venues: [], notices: [] };

  it('keeps the latest view per market from the batches, and forgets them on a new hello', () => {
    const deliver = connect();
    deliver(hello);
    deliver(batch(1, [view('BTC-USDT', 100, 'syncing'), view('ETH-USDT', 10)]));
    deliver(batch(2, [view('BTC-USDT', 101)]));
    deliver(batch(3, [])); // a batch without book changes keeps what is there
    expect(books.byKey('simulator:spot:BTC-USDT')!.view).toMatchObject({ state: 'valid', bids: [[101, 1]] });
    expect(books.byKey('simulator:spot:ETH-USDT')!.view.bids).toEqual([[10, 1]]);
    deliver(hello);
    expect(books.size).toBe(0);
  });
});
