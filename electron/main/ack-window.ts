/**
 * Backpressure for the Electron MessagePort. A port exposes no backlog, so main counts the
 * batches the renderer has not yet acknowledged ({type:'ack', seq} after it applied one) and
 * reports "not ready" while `maxUnacked` are in flight: the publisher then holds and conflates
 * that renderer's batches instead of queueing them (publisher.ts), exactly as it does for a
 * WebSocket whose buffer is full. Pure (no electron import) so it is unit-tested without Electron.
 */
import { z } from 'zod';
import type { AckMessage } from '../../shared/protocol';

/** Batches in flight before a renderer counts as slow: ~130 ms of stream at 30 Hz. */
export const DEFAULT_MAX_UNACKED = 4;

const ackSchema = z.strictObject({
  type: z.literal('ack'),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
}) satisfies z.ZodType<AckMessage>;

/**
 * The seq of a well-formed ack, or null for anything else (which then goes to the command
 * handler and is rejected there with a reply, like every malformed message from the page).
 */
export function parseAck(raw: unknown): number | null {
  // Cheap pre-check: commands (the common non-ack message) skip the schema entirely.
  if (typeof raw !== 'object' || raw === null || (raw as { type?: unknown }).type !== 'ack') return null;
  const parsed = ackSchema.safeParse(raw);
  return parsed.success ? parsed.data.seq : null;
}

export class AckWindow {
  /** Seqs of batches sent and not yet acknowledged, oldest first (at most maxUnacked long). */
  private readonly pending: number[] = [];
  private highestSent = 0;

  constructor(readonly maxUnacked = DEFAULT_MAX_UNACKED) {
    if (!Number.isInteger(maxUnacked) || maxUnacked < 1) throw new Error(`maxUnacked: must be an integer >= 1, got ${maxUnacked}`);
  }

  /** Records a batch handed to the port. */
  sent(seq: number): void {
    this.pending.push(seq);
    if (seq > this.highestSent) this.highestSent = seq;
  }

  /**
   * Applies a cumulative ack. A repeated or stale ack is harmless (true, nothing changes); an ack
   * for a batch never sent is a protocol error (false) and changes nothing, so a page cannot
   * switch off its own backpressure by acking ahead.
   */
  ack(seq: number): boolean {
    if (seq > this.highestSent) return false;
    let acked = 0;
    while (acked < this.pending.length && this.pending[acked]! <= seq) acked++;
    if (acked > 0) this.pending.splice(0, acked);
    return true;
  }

  /** False while maxUnacked batches are in flight: the publisher conflates instead of sending. */
  ready(): boolean {
    return this.pending.length < this.maxUnacked;
  }

  get unacked(): number {
    return this.pending.length;
  }
}
