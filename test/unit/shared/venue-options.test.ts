/**
 * Each venue's `options` schema, applied by feed validation, and the feed id rule.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseFeedConfig, parseSettings } from '../../../shared/config';
import { VENUE_IDS } from '../../../shared/venues';
import { commandSchemas } from '../../../shared/commands';
import { formatIssues } from '../../../shared/config';
import { VENUE_OPTIONS } from '../../../shared/venue-options';
import { getAdapter, listAdapters } from '../../../electron/core/adapters/index';
import { SimulatorServer } from '../../../electron/core/simulator/server';

const sim = (options: unknown) => ({ exchange: 'simulator', symbols: ['BTC-USDT'], options });

describe('venue options', () => {
  it.each([
    [sim({ rate: -5 }), 'options.rate: must be a positive number'],
    [sim({ rate: 'fast' }), 'options.rate:'],
    [sim({ host: '0.0.0.0' }), 'options.host: must be 127.0.0.1 or ::1'],
    [sim({ host: '192.168.1.2' }), 'options.host: must be 127.0.0.1 or ::1'],
    [sim({ fault: { mode: 'explode' } }), 'options.fault'],
    [sim({ colour: 'red' }), 'options.colour: not an option of simulator feeds'],
    [{ exchange: 'binance', symbols: ['BTC-USDT'], options: { rate: 5 } }, 'options.rate: not an option of binance feeds'],
    [{ exchange: 'replay', symbols: ['BTC-USDT'] }, 'options.file: the recording file or folder to replay is required'],
    [{ exchange: 'replay', symbols: ['BTC-USDT'], options: { file: 'x', speed: 2 } }, 'options.speed: must be 1, 10 or "max"'],
    [{ exchange: 'replay', symbols: ['BTC-USDT'], options: { file: 'x', loop: true } }, 'options.loop: not an option of replay feeds'],
    [{ exchange: 'nats', url: 'nats://127.0.0.1:4222', symbols: ['BTC-USDT'] }, 'options.sources:'],
    [{ exchange: 'nats', url: 'nats://127.0.0.1:4222', symbols: ['BTC-USDT'], options: { sources: ['binance'] } }, 'options.sources[0]: must be <venue>:<market>'],
    [{ exchange: 'nats', url: 'nats://127.0.0.1:4222', symbols: ['BTC-USDT'], options: { sources: ['binance:spot'], pass: 'x' } }, 'options.pass: not an option of nats feeds'],
    [{ exchange: 'nats', url: 'nats://127.0.0.1:4222', symbols: ['BTC-USDT'], options: { sources: ['binance:spot'], passEnv: 'not a name' } }, 'options.passEnv: must be an environment variable name'],
    [{ exchange: 'nats', url: 'ws://127.0.0.1:4222', symbols: ['BTC-USDT'], options: { sources: ['binance:spot'] } }, 'url: a nats feed needs a nats:// or tls:// URL'],
    [{ exchange: 'nats', symbols: ['BTC-USDT'], options: { sources: ['binance:spot'] } }, 'url: a nats feed needs a nats:// or tls:// URL'],
    [{ exchange: 'binance', url: 'nats://127.0.0.1:4222', symbols: ['BTC-USDT'] }, 'url: must be a ws:// or wss:// URL'],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => parseFeedConfig(input)).toThrow(ConfigError);
    expect(() => parseFeedConfig(input)).toThrow(message);
  });

  it('accepts what each venue takes', () => {
    expect(parseFeedConfig(sim({ rate: 5, host: '::1', fault: [{ mode: 'drop', afterMs: 10 }] })).options).toEqual({
      rate: 5, host: '::1', fault: [{ mode: 'drop', afterMs: 10 }],
    });
    for (const exchange of ['binance', 'coinbase', 'kraken', 'bybit', 'okx', 'bitstamp', 'bitfinex', 'hyperliquid', 'deribit', 'bitmex', 'gate', 'kucoin']) {
      expect(parseFeedConfig({ exchange, symbols: ['BTC-USDT'], options: {} }).options).toEqual({});
      expect(parseFeedConfig({ exchange, symbols: ['BTC-USDT'] }).options).toBeUndefined();
    }
    expect(parseFeedConfig({ exchange: 'replay', symbols: ['BTC-USDT'], options: { file: ' sim ', speed: 'max' } }).options).toEqual({ file: 'sim', speed: 'max' });
    const nats = { sources: ['binance:spot', 'okx:perp'], durable: 'desk-1', user: 'ro', passEnv: 'DESK_NATS_PASS', tls: true };
    expect(parseFeedConfig({ exchange: 'nats', url: 'tls://ingest.desk:4222', symbols: ['BTC-USDT'], options: nats }).options).toEqual(nats);
  });

  it('names the feed in settings errors', () => {
    expect(() => parseSettings({ feeds: [{ exchange: 'okx', symbols: ['BTC-USDT'] }, sim({ rate: -5 })] })).toThrow('feeds[1].options.rate: must be a positive number');
  });

  it('is checked by the command schemas too (addFeed and updateFeed)', () => {
    const add = commandSchemas.addFeed.safeParse(sim({ rate: -5 }));
    expect(!add.success && formatIssues(add.error)).toContain('options.rate: must be a positive number');
    const upd = commandSchemas.updateFeed.safeParse({ id: 'x', ...sim({ host: '0.0.0.0' }) });
    expect(!upd.success && formatIssues(upd.error)).toContain('options.host');
  });

  it('every adapter declares the schema registered for its venue id, under its own id', () => {
    expect(listAdapters().map((a) => a.id).sort()).toEqual([...VENUE_IDS].sort());
    for (const id of VENUE_IDS) {
      expect(getAdapter(id)!.id).toBe(id);
      expect(getAdapter(id)!.optionsSchema).toBe(VENUE_OPTIONS[id]);
    }
  });

  it('replay is a feed source, not a venue: valid in a feed, with no adapter', () => {
    expect(parseFeedConfig({ exchange: 'replay', symbols: ['BTC-USDT'], options: { file: 'x' } }).exchange).toBe('replay');
    expect(getAdapter('replay')).toBeUndefined();
    expect(() => parseFeedConfig({ exchange: 'mtgox', symbols: ['BTC-USDT'] })).toThrow(/^exchange: must be one of simulator, .*bitfinex, .*replay/);
  });

  it('the simulator refuses to listen anywhere but loopback, even when started from code', async () => {
    await expect(SimulatorServer.start({ host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow('host: must be 127.0.0.1 or ::1');
  });
});

describe('feed ids', () => {
  it.each(['..', '.', 'a/b', '../x', 'a.b', 'a\\b', '', 'x'.repeat(65), 'a b'])('rejects %j naming the field', (id) => {
    expect(() => parseFeedConfig({ id, exchange: 'okx', symbols: ['BTC-USDT'] })).toThrow(/^id: must be 1-64 letters, digits, _ or -/);
  });

  it('accepts letters, digits, _ and -', () => {
    expect(parseFeedConfig({ id: 'My_feed-2', exchange: 'okx', symbols: ['BTC-USDT'] }).id).toBe('My_feed-2');
    expect(parseFeedConfig({ id: 'x'.repeat(64), exchange: 'okx', symbols: ['BTC-USDT'] }).id).toHaveLength(64);
  });

  it('an id with a dot from an older settings file is refused naming the feed (no silent rename)', () => {
    expect(() => parseSettings({ feeds: [{ id: 'okx.spot', exchange: 'okx', symbols: ['BTC-USDT'] }] })).toThrow('feeds[0].id: must be 1-64');
  });

  it('commands that name a feed use the same rule', () => {
    for (const name of ['removeFeed', 'setFeedEnabled'] as const) {
      const r = commandSchemas[name].safeParse({ id: '..', enabled: true });
      expect(!r.success && formatIssues(r.error)).toMatch(/^id: must be/);
    }
    const f = commandSchemas.simulatorFault.safeParse({ feedId: 'a/b', mode: 'drop' });
    expect(!f.success && formatIssues(f.error)).toMatch(/^feedId: must be/);
  });
});

describe('the feed form keeps options valid for the venue', () => {
  it('an edit that changes the venue drops the old venue options, so the payload validates', async () => {
    const { feedPayload, valuesFromFeed } = await import('../../../renderer/src/lib/feed-form');
    const base = parseFeedConfig({ id: 's', ...sim({ rate: 5, seed: 3 }) });
    const values = { ...valuesFromFeed(base, { exchange: 'simulator', market: 'spot', channels: ['trades'] }), exchange: 'okx' };
    expect(parseFeedConfig(feedPayload(values, base)).options).toBeUndefined();
    // Same venue: the options the form does not show are kept.
    expect(parseFeedConfig(feedPayload({ ...values, exchange: 'simulator' }, base)).options).toEqual({ rate: 5, seed: 3 });
  });
});
