/**
 * Registry entry for the replay venue, so the UI lists it and feed validation knows it. A replay
 * feed never opens a socket: the feed manager runs a ReplayRunner (replay-runner.ts), which
 * parses the recording with the recorded venue's own adapter. These methods are never used for
 * data; the parser answers with an error should anything route frames here.
 */
import { CHANNELS, MARKET_TYPES } from '../../../shared/domain';
import type { VenueAdapter } from '../adapters/adapter';
import { VENUE_OPTIONS } from '../../../shared/venue-options';

export const replayAdapter: VenueAdapter = {
  id: 'replay',
  displayName: 'Replay (recording)',
  marketTypes: MARKET_TYPES,
  channels: { spot: CHANNELS, perp: CHANNELS },
  /** options.file and options.speed; where the file may be is checked by the feed manager. */
  optionsSchema: VENUE_OPTIONS.replay,
  defaultUrl: () => 'ws://127.0.0.1:0/replay-has-no-socket',
  maxStreamsPerConnection: 1_000_000,
  subscribeMessagesPerSecond: 0,
  keepalive: { kind: 'none' },
  subscribeMessages: () => [],
  createParser: () => ({
    parse: () => [{ type: 'error', kind: 'config', message: 'the replay venue has no live connection; it plays recordings (options.file)' }],
  }),
  toNative: (symbol) => symbol,
  toCanonical: (native) => native,
};
