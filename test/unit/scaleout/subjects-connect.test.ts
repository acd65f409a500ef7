/**
 * The JetStream layout (subjects, dedupe ids, NDJSON batches) and the credential handling of the
 * scale-out (electron/core/scaleout/): pure functions, no server.
 */
import { describe, expect, it } from 'vitest';
import type { Trade } from '../../../shared/domain';
import { credentialsFromEnv, redact, splitUrl } from '../../../electron/core/scaleout/connect';
import { batchId, decodeBatch, encodeBatch, sourceFilter, subjectOf } from '../../../electron/core/scaleout/subjects';

const trade = (id: string, receivedAt = 1): Trade => ({
  type: 'trade', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', price: 100, size: 1, side: 'buy', time: 1000, receivedAt, id,
});

describe('subjects', () => {
  it('are hierarchical per type, venue, market and symbol (status and gaps by upstream feed id)', () => {
    expect(subjectOf('tickscope', trade('1'))).toBe('tickscope.trade.binance.spot.BTC-USDT');
    expect(subjectOf('tickscope', { type: 'status', feedId: 'bin.1', exchange: 'binance', market: 'perp', state: 'stale', at: 1 })).toBe('tickscope.status.binance.perp.bin_1');
    expect(sourceFilter('tickscope', 'okx:perp')).toBe('tickscope.*.okx.perp.>');
  });

  it('give a batch the same dedupe id whoever received it (receive times differ), another for other content', () => {
    const subject = 'tickscope.trade.binance.spot.BTC-USDT';
    expect(batchId(subject, 10, [trade('1', 5), trade('2', 5)])).toBe(batchId(subject, 10, [trade('1', 9), trade('2', 7)]));
    expect(batchId(subject, 10, [trade('1'), trade('2')])).not.toBe(batchId(subject, 10, [trade('1'), trade('3')]));
    expect(batchId(subject, 10, [trade('1')])).not.toBe(batchId(subject, 11, [trade('1')]));
  });

  it('round-trip a batch as NDJSON, counting lines that are not records', () => {
    const bad = { lines: 0 };
    const text = encodeBatch([trade('1'), trade('2')]) + 'not json\n{"type":1}\n';
    expect(decodeBatch(text, bad)).toEqual([trade('1'), trade('2')]);
    expect(bad.lines).toBe(2);
  });
});

describe('credentials', () => {
  it('come from the env vars the options name, or the TICKSCOPE_NATS_* defaults', () => {
    const env = { DESK_PASS: 's3cret', TICKSCOPE_NATS_TOKEN: 'tok123', TICKSCOPE_NATS_USER: 'envuser' };
    expect(credentialsFromEnv(env, { user: 'ro', passEnv: 'DESK_PASS' })).toEqual({ user: 'ro', pass: 's3cret', token: 'tok123' });
    expect(credentialsFromEnv(env)).toEqual({ user: 'envuser', token: 'tok123' });
  });

  it('in a URL are taken out of it, and never appear in an error text', () => {
    expect(splitUrl('tls://ro:p%40ss@ingest:4222')).toEqual({ server: 'nats://ingest:4222', tls: true, user: 'ro', pass: 'p@ss' });
    expect(redact('cannot reach nats://ro:pw@host:4222: auth failed for s3cret', ['s3cret'])).toBe('cannot reach nats://***@host:4222: auth failed for ***');
    expect(() => splitUrl('http://u:pw@x')).toThrow('not a nats:// or tls:// URL: http://u:pw@x');
  });
});
