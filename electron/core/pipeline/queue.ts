/**
 * `asyncio.Queue(maxsize)` for the pipeline (DESIGN.md sections 4 and 6): a bounded ring buffer with
 * an explicit overflow policy per consumer and the counters the health view shows (depth,
 * high-water mark, dropped).
 *
 * - `wait`: lossless. A push onto a full queue is refused (returns false, item NOT taken); the
 *   producer pauses (stops reading its sockets) until `waitForSpace()` resolves or `onSpace` fires.
 *   Hysteresis: space is signalled at the low-water mark (default capacity/2), not at the first
 *   free slot, so a producer does not flap between paused and running on every item.
 * - `drop-oldest`: never blocks; when full the oldest item is discarded and counted.
 * - `conflate`: latest state per key (`keyOf`). A pushed item whose key is already queued replaces
 *   it in place (keeps its position; counted as dropped, since the older value is lost); a new key
 *   on a full queue drops the oldest item (counted).
 *
 * Hot path: push/shift allocate nothing beyond the item (and, for `conflate`, the key `keyOf`
 * returns). Waiter bookkeeping is only touched when someone is waiting.
 */
import type { QueueHealth } from '../../../shared/health';

export type OverflowPolicy = 'wait' | 'drop-oldest' | 'conflate';

export interface BoundedQueueOptions<T> {
  name: string;
  capacity: number;
  policy: OverflowPolicy;
  /** Required for `conflate`: the key under which items replace each other. */
  keyOf?: (item: T) => string;
  /** Depth at or below which waiting producers are released. Default floor(capacity/2). */
  lowWater?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
}

export class BoundedQueue<T> {
  readonly name: string;
  readonly capacity: number;
  readonly policy: OverflowPolicy;
  readonly lowWater: number;
  /** Called (synchronously, once per transition) when a full `wait` queue drains to lowWater. */
  onSpace: (() => void) | null = null;

  private readonly ring: (T | undefined)[];
  private readonly keyOf: ((item: T) => string) | null;
  /** conflate only: key of the item in each slot, and key -> absolute position (head-relative). */
  private readonly slotKeys: (string | undefined)[] | null;
  private readonly positions: Map<string, number> | null;
  /** Absolute index of the oldest item; slot = head % capacity. Grows monotonically. */
  private head = 0;
  private size = 0;
  private highWater = 0;
  private dropped = 0;
  /** Set when a `wait` queue became full; cleared (and onSpace called) when it drains to lowWater. */
  private wasFull = false;
  private readonly spaceWaiters: Waiter[] = [];
  private readonly itemWaiters: Waiter[] = [];

  constructor(opts: BoundedQueueOptions<T>) {
    if (!Number.isInteger(opts.capacity) || opts.capacity < 1) {
      throw new RangeError(`queue "${opts.name}": capacity must be a positive integer, got ${opts.capacity}`);
    }
    const lowWater = opts.lowWater ?? Math.floor(opts.capacity / 2);
    if (!Number.isInteger(lowWater) || lowWater < 0 || lowWater >= opts.capacity) {
      throw new RangeError(`queue "${opts.name}": lowWater must be an integer in [0, ${opts.capacity - 1}], got ${lowWater}`);
    }
    if (opts.policy === 'conflate' && !opts.keyOf) {
      throw new TypeError(`queue "${opts.name}": the conflate policy needs keyOf`);
    }
    this.name = opts.name;
    this.capacity = opts.capacity;
    this.policy = opts.policy;
    this.lowWater = lowWater;
    this.ring = new Array<T | undefined>(opts.capacity).fill(undefined);
    this.keyOf = opts.policy === 'conflate' ? opts.keyOf! : null;
    this.slotKeys = this.keyOf ? new Array<string | undefined>(opts.capacity).fill(undefined) : null;
    this.positions = this.keyOf ? new Map() : null;
  }

  get length(): number {
    return this.size;
  }

  /**
   * `wait`: false when full (item NOT taken; pause until waitForSpace/onSpace).
   * `drop-oldest`: always true; when full the oldest is dropped and counted.
   * `conflate`: a queued key is replaced in place (counted as dropped); when full and the key is
   * new, the oldest is dropped and counted.
   */
  push(item: T): boolean {
    let key: string | undefined;
    if (this.keyOf) {
      key = this.keyOf(item);
      const pos = this.positions!.get(key);
      if (pos !== undefined) {
        this.ring[pos % this.capacity] = item;
        this.dropped++;
        return true;
      }
    }
    if (this.size === this.capacity) {
      if (this.policy === 'wait') {
        this.wasFull = true;
        return false;
      }
      this.discardOldest();
      this.dropped++;
    }
    const pos = this.head + this.size;
    const slot = pos % this.capacity;
    this.ring[slot] = item;
    if (key !== undefined) {
      this.slotKeys![slot] = key;
      this.positions!.set(key, pos);
    }
    this.size++;
    if (this.size > this.highWater) this.highWater = this.size;
    if (this.size === this.capacity && this.policy === 'wait') this.wasFull = true;
    if (this.itemWaiters.length > 0) release(this.itemWaiters);
    return true;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.discardOldest();
    this.afterRemoval();
    return item;
  }

  /** Removes up to max items (default all), calling fn for each in order; returns how many. */
  drain(fn: (item: T) => void, max = Infinity): number {
    let n = 0;
    try {
      while (n < max && this.size > 0) {
        // Removed before fn runs, so a throwing fn cannot make the item be delivered twice.
        const item = this.discardOldest();
        n++;
        fn(item);
      }
    } finally {
      if (n > 0) this.afterRemoval();
    }
    return n;
  }

  /** Resolves once depth <= lowWater (at once if it already is). Rejects if `signal` aborts. */
  waitForSpace(signal?: AbortSignal): Promise<void> {
    if (this.size <= this.lowWater) return Promise.resolve();
    return addWaiter(this.spaceWaiters, signal);
  }

  /** Resolves when at least one item is queued (at once if one is). Rejects if `signal` aborts. */
  waitForItem(signal?: AbortSignal): Promise<void> {
    if (this.size > 0) return Promise.resolve();
    return addWaiter(this.itemWaiters, signal);
  }

  health(): QueueHealth {
    return {
      name: this.name,
      policy: this.policy,
      capacity: this.capacity,
      depth: this.size,
      highWater: this.highWater,
      dropped: this.dropped,
    };
  }

  /** Takes the oldest item out of the ring (size must be > 0). */
  private discardOldest(): T {
    const slot = this.head % this.capacity;
    const item = this.ring[slot] as T;
    this.ring[slot] = undefined; // let the item be collected
    if (this.slotKeys) {
      const key = this.slotKeys[slot]!;
      this.slotKeys[slot] = undefined;
      if (this.positions!.get(key) === this.head) this.positions!.delete(key);
    }
    this.head++;
    this.size--;
    return item;
  }

  private afterRemoval(): void {
    if (this.size > this.lowWater) return;
    if (this.spaceWaiters.length > 0) release(this.spaceWaiters);
    if (this.wasFull) {
      this.wasFull = false;
      this.onSpace?.();
    }
  }
}

function addWaiter(list: Waiter[], signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const w: Waiter = { resolve, reject, signal, onAbort: null };
    if (signal) {
      w.onAbort = () => {
        const i = list.indexOf(w);
        if (i >= 0) list.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', w.onAbort, { once: true });
    }
    list.push(w);
  });
}

/** Resolves and forgets every waiter of a list. */
function release(list: Waiter[]): void {
  const all = list.splice(0, list.length);
  for (const w of all) {
    if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
    w.resolve();
  }
}
