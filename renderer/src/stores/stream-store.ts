/**
 * The latest stream batch, for transient subscribers (charts): they read it in
 * `streamStore.subscribe` callbacks, never through React state, so 30 Hz batches cause no renders.
 */
import { createStore } from 'zustand/vanilla';
import type { StreamBatch } from '../../../shared/protocol';
import { RateMeter } from '../lib/rate-meter';

export interface StreamState {
  batch: StreamBatch | null;
  /** Local epoch ms when the last batch arrived. */
  lastBatchAt: number | null;
  seq: number;
  /** Batches missing from the seq sequence (a gap is not a quiet market). */
  seqGaps: number;
  conflated: number;
}

export const streamStore = createStore<StreamState>()(() => ({
  batch: null,
  lastBatchAt: null,
  seq: 0,
  seqGaps: 0,
  conflated: 0,
}));

export const batchMeter = new RateMeter(2_000);

export function publishBatch(batch: StreamBatch, now: number): void {
  const prev = streamStore.getState();
  const gap = prev.seq > 0 && batch.seq > prev.seq + 1 ? batch.seq - prev.seq - 1 : 0;
  batchMeter.mark(now);
  streamStore.setState({
    batch,
    lastBatchAt: now,
    seq: batch.seq,
    seqGaps: prev.seqGaps + gap,
    conflated: prev.conflated + batch.conflated,
  });
}
