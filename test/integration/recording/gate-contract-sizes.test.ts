/**
 * A recorded Gate futures session decodes to base-unit sizes: through the contract sizes of the
 * instrument list the replay maps with (RecordingDecoder.contractSize), or, without a list, through
 * the `futures.contract_info` push the live feed recorded on subscribe.
 */
import { describe, expect, it } from 'vitest';
import { gateAdapter } from '../../../electron/core/adapters/gate/venue';
import { RecordingDecoder } from '../../../electron/core/recording/decoder';
import type { RecordingHeader } from '../../../electron/core/recording/format';

const HEADER: RecordingHeader = { type: 'header', version: 1, venue: 'gate', market: 'perp', symbols: ['BTC-USDT'], channels: ['trades'], feedId: 'g', startedAt: 1545136464000, file: 1 };
const TRADES = '{"time":1545404023,"time_ms":1545404023321,"channel":"futures.trades","event":"update","result":[{"size":-108,"id":27753479,"create_time":1545136464,"create_time_ms":1545136464123,"price":"96.4","contract":"BTC_USDT"}]}';
const CONTRACT_INFO = '{"time":1545459681,"time_ms":1545459681123,"channel":"futures.contract_info","event":"all","result":{"contract":"BTC_USDT","quanto_multiplier":"0.0001"}}';
const line = (t: number, d: string) => ({ t, c: 1, s: 0, d });

describe('Gate futures recordings', () => {
  it('size trades with the replay\'s instrument list', () => {
    const decoder = new RecordingDecoder({ header: HEADER, adapter: gateAdapter, contractSize: (n) => (n === 'BTC_USDT' ? 0.0001 : undefined) });
    expect(decoder.decode(line(1, TRADES), 5).data).toMatchObject([{ type: 'trade', symbol: 'BTC-USDT', size: 0.0108, side: 'sell' }]);
  });

  it('size trades with the recorded futures.contract_info when no list is loaded', () => {
    const decoder = new RecordingDecoder({ header: HEADER, adapter: gateAdapter });
    expect(decoder.decode(line(1, CONTRACT_INFO), 5).data).toEqual([]);
    expect(decoder.decode(line(2, TRADES), 5).data).toMatchObject([{ type: 'trade', symbol: 'BTC-USDT', size: 0.0108, side: 'sell' }]);
  });
});
