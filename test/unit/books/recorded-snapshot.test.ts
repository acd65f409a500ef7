/**
 * A recorded REST book snapshot line ({t, bs, d}) is read back as its own record and decoded by
 * the venue's restSnapshot.parse, stamped with the recorded time when the body has none (as the
 * live run stamped it); a body the venue cannot parse is counted, never thrown.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getAdapter } from '../../../electron/core/adapters/index';
import { RecordingDecoder } from '../../../electron/core/recording/decoder';
import { readRecording, type RecordingItem } from '../../../electron/core/recording/reader';
import type { RecordingHeader } from '../../../electron/core/recording/format';

const header: RecordingHeader = { type: 'header', version: 1, venue: 'binance', market: 'spot', symbols: ['BTC-USDT'], channels: ['book'], feedId: 'bn', startedAt: 1, file: 1 };
const body = JSON.stringify({ lastUpdateId: 42, bids: [['100.00', '1.5']], asks: [['101.00', '2']] });

describe('recorded REST book snapshots', () => {
  it('are read as book-snapshot records and decoded through the venue parser with the recorded time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bs-line-'));
    const file = join(dir, 'x.ndjson');
    writeFileSync(file, [JSON.stringify(header), JSON.stringify({ t: 1_700_000_000_123, bs: 'BTC-USDT', d: body })].join('\n') + '\n');
    const items: RecordingItem[] = [];
    for await (const item of readRecording(file)) items.push(item);
    expect(items.map((i) => i.kind)).toEqual(['header', 'book-snapshot']);
    const item = items[1]!;
    if (item.kind !== 'book-snapshot') throw new Error('not a book snapshot');
    const decoder = new RecordingDecoder({ header, adapter: getAdapter('binance')! });
    expect(decoder.decodeBookSnapshot(item.line, 5)).toEqual({
      type: 'book', exchange: 'binance', market: 'spot', symbol: 'BTC-USDT', action: 'snapshot',
      bids: [[100, 1.5]], asks: [[101, 2]], lastSeq: 42, time: 1_700_000_000_123, receivedAt: 5,
    });
    expect(decoder.parseErrors).toBe(0);
  });

  it('a body the venue cannot parse, or a venue without REST snapshots, is counted and gives nothing', () => {
    const decoder = new RecordingDecoder({ header, adapter: getAdapter('binance')! });
    expect(decoder.decodeBookSnapshot({ t: 1, bs: 'BTC-USDT', d: '{"bids":"x"}' }, 5)).toBeNull();
    expect(decoder.decodeBookSnapshot({ t: 1, bs: 'BTC-USDT', d: 'not json' }, 5)).toBeNull();
    const sim = new RecordingDecoder({ header: { ...header, venue: 'simulator' }, adapter: getAdapter('simulator')! });
    expect(sim.decodeBookSnapshot({ t: 1, bs: 'BTC-USDT', d: body }, 5)).toBeNull();
    expect(decoder.parseErrors + sim.parseErrors).toBe(3);
  });
});
