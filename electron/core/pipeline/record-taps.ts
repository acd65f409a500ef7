/**
 * Subscribers to every record the pipeline produces, in order: trades, quotes, liquidations,
 * funding, gaps as they are ingested, final (and revised) bars, statuses. The headless NDJSON
 * writer and the benchmarks listen here; UIs get coalesced batches from the publisher instead.
 */
import type { Bar, Gap, MarketData } from '../../../shared/domain';
import type { StatusRecord } from '../../../shared/health';

export type PipelineRecord = MarketData | Bar | StatusRecord | Gap;

export class RecordTaps {
  private readonly taps = new Set<(r: PipelineRecord) => void>();

  add(fn: (r: PipelineRecord) => void): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  /** Hot path: once per record. */
  emit(r: PipelineRecord): void {
    for (const tap of this.taps) {
      try {
        tap(r);
      } catch {
        // A broken tap (e.g. a closed stdout) must not stop ingest; the tap reports its own error.
      }
    }
  }
}
