/**
 * NDJSON to a stream with bounded memory. Lines are gathered and written once per event-loop turn
 * (one write per batch, not per record: a write per trade costs more than the pipeline itself).
 * If the reader is slower than the feeds for long enough to exceed `maxBufferedBytes`, records
 * are dropped and counted rather than growing memory without bound; the summary reports them.
 *
 * Lines are gathered as bytes: trades (nearly every line) are written straight into the buffer by
 * TradeLineWriter, byte for byte what JSON.stringify gives, at a fraction of its cost (see
 * trade-line.ts); every other record is JSON.stringify'd and encoded into the same buffer.
 */
import type { Writable } from 'node:stream';
import type { Trade } from '../../../shared/domain';
import { TradeLineWriter } from './trade-line';

/** Room for one turn's lines to begin with; then as much as the previous turn used (doubling if short). */
const INITIAL_BYTES = 64 * 1024;

export class NdjsonWriter {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private pos = 0;
  /** Written buffers, free for the next turn's lines. */
  private spare: Buffer[] = [];
  private readonly trades = new TradeLineWriter();
  private scheduled = false;
  private closed = false;
  /**
   * The stream's backlog was over maxBufferedBytes when last looked at. Only this writer writes
   * to the stream, so the backlog grows only in flush(): while it was under the limit after the
   * last flush it still is, and write() need not ask the stream for every record.
   */
  private maybeFull = false;
  /** Writes given to the stream whose callback has not come yet, and who waits for none left. */
  private pending = 0;
  private onIdle: (() => void) | null = null;
  dropped = 0;
  written = 0;

  constructor(
    private readonly out: Writable,
    private readonly maxBufferedBytes = 256 * 1024 * 1024,
  ) {
    // EPIPE (the reader went away, e.g. `| head`) ends output quietly; the runner still exits cleanly.
    out.on('error', () => {
      this.closed = true;
    });
  }

  write(record: object): void {
    if (this.closed) return;
    if (this.maybeFull) {
      this.maybeFull = this.out.writableLength > this.maxBufferedBytes;
      if (this.maybeFull) {
        this.dropped++;
        return;
      }
    }
    let end = -1;
    if ((record as { type?: unknown }).type === 'trade') {
      const room = this.trades.room(record as Trade);
      if (room >= 0) end = this.trades.write(this.reserve(room), this.pos, record as Trade);
    }
    if (end < 0) {
      // As before: JSON.stringify's result (nothing for a value it skips), then a newline.
      const text = JSON.stringify(record) ?? '';
      const buf = this.reserve(text.length * 3 + 1);
      end = this.pos + buf.write(text, this.pos, 'utf8');
      buf[end++] = 10;
    }
    this.pos = end;
    this.written++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    if (this.pos === 0 || this.closed) return;
    // The stream holds the bytes it was given until they are written (at once for a pipe or
    // file on Linux): the next turn gathers into a spare buffer, and this one becomes spare again
    // when written. A fresh buffer per turn would be ~200 MB of short-lived memory outside the
    // heap per million trades, which V8 counts towards its GC decisions.
    const full = this.buf;
    const used = this.pos;
    // With room to spare: a buffer just as big as the last turn's lines would be outgrown (and
    // copied) by a next turn only slightly bigger.
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(Math.max(INITIAL_BYTES, 2 * used));
    this.pos = 0;
    this.pending++;
    this.out.write(full.subarray(0, used), () => {
      // Keep buffers about as big as a turn needs: one grown for a rare burst is let go.
      if (this.spare.length < 2 && full.length <= Math.max(INITIAL_BYTES, 4 * used)) this.spare.push(full);
      if (--this.pending === 0) this.onIdle?.();
    });
    this.maybeFull = this.out.writableLength > this.maxBufferedBytes;
  };

  /**
   * Flushes and waits until the stream has written everything: until the last write's callback
   * (a stream that writes asynchronously, e.g. an fs.WriteStream, emits no 'drain' for a backlog
   * below its highWaterMark, so 'drain' alone could be waited for forever).
   */
  async end(): Promise<void> {
    this.flush();
    if (this.closed || this.pending === 0) return;
    await new Promise<void>((resolve) => {
      this.onIdle = resolve;
      this.out.once('error', () => resolve());
    });
  }

  /** The buffer, with at least `bytes` free from pos. */
  private reserve(bytes: number): Buffer {
    if (this.pos + bytes > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
    return this.buf;
  }
}
