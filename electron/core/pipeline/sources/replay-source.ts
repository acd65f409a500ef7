/**
 * A replay feed: plays a raw recording back through the recorded venue's own adapter
 * (recording/replay-runner.ts). The recording's header names the venue and market; where the
 * file may be read from is checked first (recording/replay-path.ts).
 */
import { getAdapter } from '../../adapters/index';
import { readHeader } from '../../recording/reader';
import { resolveReplayPath } from '../../recording/replay-path';
import { ReplayRunner, replayOptionsFromFeed } from '../../recording/replay-runner';
import { FeedStartError, type SourceKind } from './feed-source';

export const replaySource: SourceKind = {
  // Recorded data: the venue's REST history of today has nothing to add to it.
  backfill: false,
  async preflight(config, scope) {
    await resolveReplayPath(replayOptionsFromFeed(config.options).path, scope);
  },
  // Command-line trust covers the file given on the command line, not one a later change names.
  keepsTrust: (before, after) => before.options?.['file'] === after.options?.['file'],
  async open(config, ctx) {
    let options;
    let header;
    try {
      options = replayOptionsFromFeed(config.options);
      options.path = await resolveReplayPath(options.path, { recordingsDir: ctx.recordingsDir, trusted: ctx.trusted });
      header = await readHeader(options.path);
    } catch (e) {
      throw new FeedStartError((e as Error).message);
    }
    const adapter = getAdapter(header.venue);
    if (!adapter) throw new FeedStartError(`the recording's venue "${header.venue}" has no adapter`);
    const symbols = await ctx.symbols(adapter, header.market, undefined);
    if (!ctx.wanted()) return null;
    return new ReplayRunner(config, header, options, ctx.sink, symbols, ctx.clock);
  },
};
