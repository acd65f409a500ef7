/**
 * The built-in simulator's feed: a simulator feed that names no `url` gets an embedded
 * SimulatorServer of its own (random port on loopback, the feed's options: rate, seed, faults...)
 * and then runs like any venue against it. One that names a URL connects there, like a venue.
 */
import { simulatorOptionsFromFeed } from '../../simulator/options';
import { SimulatorServer } from '../../simulator/server';
import { FeedStartError, type SourceKind } from './feed-source';
import { openVenueSource } from './venue-source';

export const simulatorSource: SourceKind = {
  backfill: true,
  async open(config, ctx) {
    if (config.url) return openVenueSource(config, ctx, null);
    let server: SimulatorServer;
    try {
      // The feed's options (rate, seed, tickMs, fault...) are validated here, naming the bad field.
      server = await SimulatorServer.start({ ...simulatorOptionsFromFeed(config.options), markets: config.symbols });
    } catch (e) {
      throw new FeedStartError(e instanceof Error ? e.message : String(e));
    }
    return openVenueSource({ ...config, url: server.url }, ctx, server);
  },
};
