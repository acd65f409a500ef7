/**
 * The renderer's feed list follows the core's `feeds` push: a change made in another window shows
 * here without this window asking. First against a scripted transport, then end to end: this
 * window's CoreClient + ingest attached to a real CoreApi, and another window making the change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../shared/config';
import type { CommandMessage, HelloMessage, ServerMessage } from '../../../shared/protocol';
import { CoreApi } from '../../../electron/core/api/core-api';
import { startPipeline } from '../../../electron/core/pipeline/pipeline';
import { CoreClient } from '../../../renderer/src/transport/client';
import { Listeners } from '../../../renderer/src/transport/listeners';
import type { CoreTransport } from '../../../renderer/src/transport/types';
import { attachIngest } from '../../../renderer/src/stores/ingest';
import { useSession } from '../../../renderer/src/stores/session-store';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A transport whose server side the test drives: `deliver` is what the core would send. */
function scriptedTransport() {
  const messages = new Listeners<ServerMessage>();
  const sent: CommandMessage[] = [];
  const transport: CoreTransport = {
    kind: 'browser',
    send: (m) => void sent.push(m),
    onMessage: (fn) => messages.add(fn),
    onClose: () => () => undefined,
    close: () => undefined,
  };
  return { transport, sent, deliver: (m: ServerMessage) => messages.emit(m) };
}

const feed = (id: string, enabled = true): FeedConfig => ({
  id, exchange: 'simulator', market: 'spot', symbols: ['BTC-USDT'], channels: ['trades'], enabled,
});
const hello = (feeds: FeedConfig[]): HelloMessage => ({ type: 'hello', protocol: 1, feeds, timeframes: ['1m'], venues: [], notices: [] });

describe('the session store applies pushed feed lists', () => {
  it('replaces the list with each push, without sending a command', () => {
    const t = scriptedTransport();
    cleanups.push(attachIngest(new CoreClient(t.transport)));
    t.deliver(hello([feed('a')]));
    expect(useSession.getState().feeds.map((f) => f.id)).toEqual(['a']);
    t.deliver({ type: 'feeds', feeds: [feed('a', false), feed('b')] });
    expect(useSession.getState().feeds.map((f) => `${f.id}:${f.enabled}`)).toEqual(['a:false', 'b:true']);
    t.deliver({ type: 'feeds', feeds: [] });
    expect(useSession.getState().feeds).toEqual([]);
    expect(t.sent).toEqual([]);
  });

  it('end to end: a feed added in another window appears in this one', async () => {
    const pipeline = await startPipeline({ feeds: [], dataDir: null, backfill: false, store: false });
    cleanups.push(() => pipeline.stop());
    const core = new CoreApi(pipeline, { timeframes: ['1m'] });

    // This window: the renderer's own client and ingest, over a JSON-serialising in-process link.
    const toWindow = new Listeners<ServerMessage>();
    const session = core.connect({ send: (m) => toWindow.emit(JSON.parse(JSON.stringify(m)) as ServerMessage), ready: () => true });
    cleanups.push(() => session.close());
    const transport: CoreTransport = {
      kind: 'browser',
      send: (m) => void session.receive(JSON.parse(JSON.stringify(m))),
      onMessage: (fn) => toWindow.add(fn),
      onClose: () => () => undefined,
      close: () => session.close(),
    };
    // The hello went out on connect, before ingest listened: start from it as the real app would.
    useSession.getState().setFeeds([]);
    cleanups.push(attachIngest(new CoreClient(transport)));

    // The other window.
    const other = core.connect({ send: () => undefined, ready: () => true });
    cleanups.push(() => other.close());
    await other.receive({ type: 'command', id: 1, name: 'addFeed', args: { id: 'sim-x', exchange: 'simulator', symbols: ['ETH-USDT'] } });
    // receive() resolves after the reply, and the push to every window goes out before it.
    expect(useSession.getState().feeds.find((f) => f.id === 'sim-x')!.symbols).toEqual(['ETH-USDT']);

    await other.receive({ type: 'command', id: 2, name: 'removeFeed', args: { id: 'sim-x' } });
    expect(useSession.getState().feeds).toEqual([]);
  });
});
