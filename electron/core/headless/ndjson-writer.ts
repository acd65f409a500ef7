/**
 * NDJSON to a stream with bounded memory, formatted off the ingest thread.
 *
 * Records are packed once per event-loop turn into one chunk (ndjson-chunk.ts: a trade's fields,
 * any other record as its JSON.stringify line), the chunk goes to a worker thread that writes the
 * lines (byte for byte what JSON.stringify gives), and the lines come back and are written to the
 * stream in order, one write per turn. Why a thread: even hand-written (trade-line.ts), the digits
 * of every trade were a fifth of the runner's ingest-thread CPU on the bench, the thread every
 * feed's socket is read on; packing a trade is a few stores.
 *
 * If the worker cannot start or fails, the same formatter runs here instead (a failure's chunks
 * in flight are counted as dropped and said through onWorkerError; nothing else is lost). If the
 * reader is slower than the feeds for long enough to exceed `maxBufferedBytes` (the stream's
 * backlog plus chunks being formatted, at their packed size), records are dropped and counted
 * rather than growing memory without bound; the summary reports them.
 */
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Trade } from '../../../shared/domain';
import { ChunkFormatter, ChunkPacker, type ChunkToFormat } from './ndjson-chunk';

export interface NdjsonWriterOptions {
  /** Format in a worker thread (default true); false formats on this thread (tests, fallback). */
  thread?: boolean;
  /** The worker failed: what happened (the writer goes on without it). */
  onWorkerError?: (message: string) => void;
}

interface Formatted {
  out: ArrayBuffer;
  used: number;
  chunk: ArrayBuffer;
  /** The chunk's idBuffer, given back with it. */
  ids: ArrayBuffer | null;
}

export class NdjsonWriter {
  private readonly packer = new ChunkPacker();
  private worker: Worker | null = null;
  private inline: ChunkFormatter | null = null;
  /** Chunks with the worker, oldest first: their record counts and packed sizes. */
  private readonly inFlight: { records: number; bytes: number }[] = [];
  private inFlightBytes = 0;
  private scheduled = false;
  private closed = false;
  /**
   * The backlog was over maxBufferedBytes when last looked at. It grows only in flush(): while
   * it was under the limit after the last flush it still is, and write() need not ask the
   * stream for every record.
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
    private readonly o: NdjsonWriterOptions = {},
  ) {
    // EPIPE (the reader went away, e.g. `| head`) ends output quietly; the runner still exits cleanly.
    out.on('error', () => {
      this.closed = true;
      this.checkIdle();
    });
    if (o.thread !== false) this.startWorker();
  }

  write(record: object): void {
    if (this.closed) return;
    if (this.maybeFull) {
      this.maybeFull = this.backlog() > this.maxBufferedBytes;
      if (this.maybeFull) {
        this.dropped++;
        return;
      }
    }
    if ((record as { type?: unknown }).type !== 'trade' || !this.packer.trade(record as Trade)) this.packer.line(record);
    this.written++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    if (this.closed) return;
    const chunk = this.packer.take();
    if (chunk === null) return;
    if (this.worker !== null) {
      // Its packed size counts the trades' ids, which travel beside the buffer.
      const bytes = chunk.used + chunk.idBytes + chunk.ids.length;
      this.inFlight.push({ records: chunk.records, bytes });
      this.inFlightBytes += bytes;
      // Referenced while it holds records: the runner's last lines must not be cut off by an
      // event loop that sees nothing else to wait for.
      if (this.inFlight.length === 1) this.worker.ref();
      const { buffer, used, idBuffer, idBytes, ids } = chunk;
      this.worker.postMessage({ buffer, used, idBuffer, idBytes, ids } satisfies ChunkToFormat, idBuffer !== null ? [buffer, idBuffer] : [buffer]);
    } else {
      const lines = (this.inline ??= new ChunkFormatter()).format(chunk);
      this.packer.recycle(chunk.buffer);
      if (chunk.idBuffer !== null) this.packer.recycleIds(chunk.idBuffer);
      this.emit(lines.buffer, lines.used);
    }
    this.maybeFull = this.backlog() > this.maxBufferedBytes;
  };

  /**
   * Flushes and waits until every record is formatted and the stream has written it: until the
   * last write's callback (a stream that writes asynchronously, e.g. an fs.WriteStream, emits no
   * 'drain' for a backlog below its highWaterMark, so 'drain' alone could be waited for forever).
   */
  async end(): Promise<void> {
    this.flush();
    if (!this.idle()) await new Promise<void>((resolve) => (this.onIdle = resolve));
    void this.worker?.terminate();
    this.worker = null;
  }

  private startWorker(): void {
    try {
      // execArgv []: not the runner's tsx flags, which would load tsx's loader in this thread too
      // (measured: ~300 ms of CPU to a ready worker before, ~80 ms now, in the stream's first second);
      // the entry registers tsx's require hook itself.
      this.worker = new Worker(new URL('./ndjson-worker-entry.cjs', import.meta.url), { execArgv: [] });
    } catch (e) {
      this.workerFailed(e);
      return;
    }
    this.worker.unref();
    this.worker.on('message', (m: Formatted) => this.onFormatted(m));
    this.worker.on('error', (e) => this.workerFailed(e));
    // An exit this writer did not ask for (end() and workerFailed() let go of it first).
    const worker = this.worker;
    worker.on('exit', (code) => {
      if (this.worker === worker) this.workerFailed(new Error(`the formatting thread exited (code ${code})`));
    });
  }

  private onFormatted(m: Formatted): void {
    const sent = this.inFlight.shift();
    if (sent === undefined) return;
    this.inFlightBytes -= sent.bytes;
    if (this.inFlight.length === 0) this.worker?.unref();
    this.packer.recycle(m.chunk);
    if (m.ids !== null) this.packer.recycleIds(m.ids);
    this.emit(m.out, m.used);
    // The lines, now text, may weigh more in the stream than their chunk did.
    this.maybeFull = this.backlog() > this.maxBufferedBytes;
    this.checkIdle();
  }

  /** Chunks with the failed worker are lost (counted); from now on the formatter runs here. */
  private workerFailed(e: unknown): void {
    const lost = this.inFlight.reduce((n, c) => n + c.records, 0);
    this.inFlight.length = 0;
    this.inFlightBytes = 0;
    this.written -= lost;
    this.dropped += lost;
    void this.worker?.terminate();
    this.worker = null;
    // A new formatter knows no markets yet: the next chunk names them again.
    this.packer.announceMarketsAgain();
    this.o.onWorkerError?.(`${e instanceof Error ? e.message : String(e)}${lost > 0 ? ` (${lost} records lost)` : ''}`);
    this.checkIdle();
  }

  private emit(buffer: ArrayBuffer, used: number): void {
    if (this.closed || used === 0) return;
    this.pending++;
    this.out.write(Buffer.from(buffer, 0, used), () => {
      // Written: the buffer goes back to whoever formats, for the next turn's lines.
      if (this.worker !== null) this.worker.postMessage({ recycle: buffer }, [buffer]);
      else this.inline?.recycle(buffer);
      this.pending--;
      this.checkIdle();
    });
  }

  private backlog(): number {
    return this.out.writableLength + this.inFlightBytes;
  }

  private idle(): boolean {
    return this.closed || (this.pending === 0 && this.inFlight.length === 0);
  }

  private checkIdle(): void {
    if (this.onIdle !== null && this.idle()) {
      const resolve = this.onIdle;
      this.onIdle = null;
      resolve();
    }
  }
}
