/**
 * The ingest queue: a bounded ring buffer that never drops. A push onto a full queue is refused
 * (returns false, item NOT taken) and the producer pauses (stops reading its sockets, so TCP
 * pushes back to the venue) until `onSpace` fires. Hysteresis: space is signalled at the
 * low-water mark (default capacity/2), not at the first free slot, so a producer does not flap
 * between paused and running on every item.
 *
 * Hot path: push and drain allocate nothing beyond the item.
 */
import type { QueueHealth } from '../../../shared/health';

export interface BoundedQueueOptions {
  name: string;
  capacity: number;
  /** Depth at or below which a producer that found the queue full may go on. Default floor(capacity/2). */
  lowWater?: number;
}

export class BoundedQueue<T> {
  readonly name: string;
  readonly capacity: number;
  readonly lowWater: number;
  /** Called (synchronously, once per transition) when a queue that was full drains to lowWater. */
  onSpace: (() => void) | null = null;

  private readonly ring: (T | undefined)[];
  /** Absolute index of the oldest item; slot = head % capacity. Grows monotonically. */
  private head = 0;
  private size = 0;
  private highWater = 0;
  /** Set when the queue became full; cleared (and onSpace called) when it drains to lowWater. */
  private wasFull = false;

  constructor(opts: BoundedQueueOptions) {
    if (!Number.isInteger(opts.capacity) || opts.capacity < 1) {
      throw new RangeError(`queue "${opts.name}": capacity must be a positive integer, got ${opts.capacity}`);
    }
    const lowWater = opts.lowWater ?? Math.floor(opts.capacity / 2);
    if (!Number.isInteger(lowWater) || lowWater < 0 || lowWater >= opts.capacity) {
      throw new RangeError(`queue "${opts.name}": lowWater must be an integer in [0, ${opts.capacity - 1}], got ${lowWater}`);
    }
    this.name = opts.name;
    this.capacity = opts.capacity;
    this.lowWater = lowWater;
    this.ring = new Array<T | undefined>(opts.capacity).fill(undefined);
  }

  get length(): number {
    return this.size;
  }

  /** False when full: the item is NOT taken (the producer keeps it and pauses until onSpace). */
  push(item: T): boolean {
    if (this.size === this.capacity) {
      this.wasFull = true;
      return false;
    }
    this.ring[(this.head + this.size) % this.capacity] = item;
    this.size++;
    if (this.size > this.highWater) this.highWater = this.size;
    if (this.size === this.capacity) this.wasFull = true;
    return true;
  }

  /** Removes up to max items (default all), calling fn for each in order; returns how many. */
  drain(fn: (item: T) => void, max = Infinity): number {
    let n = 0;
    try {
      while (n < max && this.size > 0) {
        // Removed before fn runs, so a throwing fn cannot make the item be delivered twice.
        const slot = this.head % this.capacity;
        const item = this.ring[slot] as T;
        this.ring[slot] = undefined; // let the item be collected
        this.head++;
        this.size--;
        n++;
        fn(item);
      }
    } finally {
      if (n > 0 && this.wasFull && this.size <= this.lowWater) {
        this.wasFull = false;
        this.onSpace?.();
      }
    }
    return n;
  }

  health(): QueueHealth {
    // Never drops: a full queue pauses its producer ('wait'), so `dropped` stays 0.
    return { name: this.name, policy: 'wait', capacity: this.capacity, depth: this.size, highWater: this.highWater, dropped: 0 };
  }
}
