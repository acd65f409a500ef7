/**
 * A live venue's feed: the connection runtime (FeedRunner) with the venue's adapter and its
 * instrument mapping, plus the raw-frame recorder when the feed has `record: true`.
 */
import { join } from 'node:path';
import type { FeedConfig } from '../../../../shared/config';
import type { Channel } from '../../../../shared/domain';
import type { VenueAdapter } from '../../adapters/adapter';
import { getAdapter } from '../../adapters/index';
import { Recorder } from '../../recording/recorder';
import { FeedRunner, type FeedSink } from '../../runtime/feed';
import type { FeedCounts, FeedHealth } from '../../../../shared/health';
import type { ResolvedSymbols } from '../../instruments/resolve';
import type { SimulatorServer } from '../../simulator/server';
import { FeedStartError, noticeStatus, type FeedSource, type SourceContext, type SourceKind } from './feed-source';

const MIB = 1024 * 1024;

export const venueSource: SourceKind = {
  backfill: true,
  open: (config, ctx) => openVenueSource(config, ctx, null),
};

/**
 * Opens a venue feed. `simulator` is the embedded server the feed connects to (its URL is in
 * `config.url`): it belongs to the source from here on and closes with it, or at once when the
 * feed cannot start or went away meanwhile.
 */
export async function openVenueSource(config: FeedConfig, ctx: SourceContext, simulator: SimulatorServer | null): Promise<FeedSource | null> {
  const adapter = getAdapter(config.exchange);
  if (!adapter) {
    await simulator?.close();
    throw new FeedStartError(`no adapter for exchange "${config.exchange}"`);
  }
  const symbols = await ctx.symbols(adapter, config.market, config.restUrl);
  if (!ctx.wanted()) {
    await simulator?.close();
    return null;
  }
  return new VenueSource(config, adapter, symbols, ctx, simulator);
}

class VenueSource implements FeedSource {
  private runner: FeedRunner | null = null;
  private recorder: Recorder | null = null;

  constructor(
    private readonly config: FeedConfig,
    private readonly adapter: VenueAdapter,
    private readonly symbols: ResolvedSymbols | undefined,
    private readonly ctx: SourceContext,
    readonly simulator: SimulatorServer | null,
  ) {}

  start(): void {
    if (this.runner) return;
    const recorder = (this.recorder = startRecorder(this.config, this.ctx));
    const sink: FeedSink = recorder ? { ...this.ctx.sink, gap: (g) => (recorder.gap(g), this.ctx.sink.gap(g)) } : this.ctx.sink;
    this.runner = new FeedRunner({
      config: this.config,
      adapter: this.adapter,
      sink,
      clock: this.ctx.clock,
      ...(this.symbols ? { symbols: this.symbols } : {}),
      tuning: this.ctx.tuning,
      ...(this.ctx.restBuckets ? { rest: { buckets: this.ctx.restBuckets } } : {}),
      ...(recorder ? { onFrame: (text, at, c, shard) => recorder.frame(text, at, c, shard) } : {}),
    });
    this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    await this.simulator?.close();
    const recorder = this.recorder;
    this.recorder = null;
    await recorder?.close();
  }

  setPaused(paused: boolean): void {
    this.runner?.setPaused(paused);
  }

  resubscribe(symbol: string, channel: Channel): boolean {
    return this.runner?.resubscribe(symbol, channel) ?? false;
  }

  recordBookSnapshot(symbol: string, body: unknown, at: number): void {
    this.recorder?.bookSnapshot(symbol, JSON.stringify(body), at);
  }

  health(now: number): FeedHealth {
    const h = this.runner!.health(now);
    return this.recorder ? { ...h, recording: this.recorder.health() } : h;
  }

  counts(): FeedCounts {
    return this.runner!.counts();
  }
}

/** The raw-frame recorder of a feed with `record: true`; a status notice says why when it cannot run. */
function startRecorder(config: FeedConfig, ctx: SourceContext): Recorder | null {
  if (!config.record) return null;
  if (ctx.recordingsDir === null) {
    noticeStatus(ctx, config, 'notice: recording is on but the pipeline has no data dir; nothing is recorded');
    return null;
  }
  try {
    return new Recorder({
      dir: join(ctx.recordingsDir, config.id),
      header: { venue: config.exchange, market: config.market, symbols: config.symbols, channels: config.channels, feedId: config.id },
      budgetBytes: (config.recordBudgetMB ?? 1024) * MIB,
      maxFileBytes: (config.recordFileMB ?? 64) * MIB,
    });
  } catch (e) {
    noticeStatus(ctx, config, `notice: recording could not start: ${(e as Error).message}`);
    return null;
  }
}
