/**
 * NDJSON to a stream with bounded memory. Lines are joined and written once per event-loop turn
 * (one write per batch, not per record: a write per trade costs more than the pipeline itself).
 * If the reader is slower than the feeds for long enough to exceed `maxBufferedBytes`, records
 * are dropped and counted rather than growing memory without bound; the summary reports them.
 */
import type { Writable } from 'node:stream';

export class NdjsonWriter {
  private chunks: string[] = [];
  private scheduled = false;
  private closed = false;
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
    if (this.out.writableLength > this.maxBufferedBytes) {
      this.dropped++;
      return;
    }
    this.chunks.push(JSON.stringify(record));
    this.written++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    if (this.chunks.length === 0 || this.closed) return;
    const text = this.chunks.join('\n') + '\n';
    this.chunks = [];
    this.out.write(text);
  };

  /** Flushes and waits until the stream has taken everything. */
  async end(): Promise<void> {
    this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      if (this.out.writableLength === 0) return resolve();
      this.out.once('drain', () => resolve());
      this.out.once('error', () => resolve());
    });
  }
}
