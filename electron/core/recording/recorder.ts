/**
 * Raw recording of one feed: every frame received, with its receive time and connection, plus
 * the feed's gap events, appended as NDJSON (format.ts). Files rotate by size; a rotated file is
 * gzip-compressed in the background (streaming, node:zlib) and the oldest rotated files are
 * deleted while the directory is over the user's disk budget.
 *
 * A lossless consumer with bounded memory (docs/architecture.md, Backpressure): frames are buffered and written
 * in chunks; when the disk cannot keep up and more than maxBufferedBytes wait, frames are dropped
 * and counted (shown in the health view) instead of growing memory or slowing ingest.
 */
import { createReadStream, createWriteStream, mkdirSync, readdirSync, renameSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Gap } from '../../../shared/domain';
import type { RecordingHealth } from '../../../shared/health';
import { systemClock, type Clock } from '../util/clock';
import { ACTIVE_SUFFIX, RECORDING_VERSION, ROTATED_SUFFIX, recordingFileName, type RecordingHeader } from './format';

export interface RecorderOptions {
  /** The feed's recording directory (one per feed id). */
  dir: string;
  header: Omit<RecordingHeader, 'type' | 'version' | 'startedAt' | 'file'>;
  /** Rotate when the active file reaches this size. Default 64 MiB. */
  maxFileBytes?: number;
  /** Keep the directory under this size (oldest rotated files go first). Default 1 GiB. */
  budgetBytes?: number;
  /** Frames waiting for the disk beyond this are dropped (counted). Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Buffered lines are written at least this often. Default 200 ms. */
  writeEveryMs?: number;
  clock?: Clock;
}

const MIB = 1024 * 1024;

export class Recorder {
  private readonly dir: string;
  private readonly maxFileBytes: number;
  private readonly budgetBytes: number;
  private readonly maxBufferedBytes: number;
  private readonly clock: Clock;
  private readonly startedAt: number;
  private seq = 0;
  private stream: WriteStream | null = null;
  private activePath = '';
  private activeBytes = 0;
  private chunk: string[] = [];
  private chunkBytes = 0;
  /** Compressions and deletions run one at a time, in order. */
  private work: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private counts = { frames: 0, dropped: 0, rotations: 0, deleted: 0 };
  private lastError: string | null = null;

  constructor(private readonly opts: RecorderOptions) {
    this.dir = opts.dir;
    this.budgetBytes = Math.max(1, opts.budgetBytes ?? 1024 * MIB);
    // A file larger than a quarter of the budget would leave nothing to rotate out.
    this.maxFileBytes = Math.max(256, Math.min(opts.maxFileBytes ?? 64 * MIB, Math.floor(this.budgetBytes / 4)));
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 16 * MIB;
    this.clock = opts.clock ?? systemClock;
    this.startedAt = this.clock.now();
    mkdirSync(this.dir, { recursive: true });
    // Files left uncompressed by an earlier run (a crash) are compressed like rotated ones.
    for (const name of this.files().filter((f) => f.endsWith(ACTIVE_SUFFIX))) this.compressLater(join(this.dir, name));
    this.openFile();
    this.timer = setInterval(() => this.write(), Math.max(10, opts.writeEveryMs ?? 200));
    this.timer.unref();
  }

  /** One received frame (hot path: one string concat and a push). */
  frame(text: string, receivedAt: number, connection: number, shard: number): void {
    if (this.closed) return;
    const line = `{"t":${receivedAt},"c":${connection},"s":${shard},"d":${JSON.stringify(text)}}\n`;
    if (this.chunkBytes + (this.stream?.writableLength ?? 0) > this.maxBufferedBytes) {
      this.counts.dropped++;
      return;
    }
    this.counts.frames++;
    this.push(line);
  }

  gap(g: Gap): void {
    if (this.closed) return;
    this.push(`${JSON.stringify({ t: g.at, g: g.phase, sy: g.symbols, r: g.reason })}\n`);
  }

  /** A REST book snapshot of `symbol` (the body as JSON text), at the time it went to ingest. */
  bookSnapshot(symbol: string, body: string, receivedAt: number): void {
    if (this.closed) return;
    this.push(`{"t":${receivedAt},"bs":${JSON.stringify(symbol)},"d":${JSON.stringify(body)}}\n`);
  }

  health(): RecordingHealth {
    return {
      dir: this.dir,
      usedBytes: this.usedBytes(),
      budgetBytes: this.budgetBytes,
      files: this.files().length,
      frames: this.counts.frames,
      droppedFrames: this.counts.dropped,
      deletedFiles: this.counts.deleted,
      lastError: this.lastError,
    };
  }

  /** Writes what is buffered, closes and compresses the active file, waits for the work queue. */
  async close(): Promise<void> {
    if (this.closed) return this.work;
    this.write();
    this.closed = true;
    clearInterval(this.timer);
    const last = this.activePath;
    const ended = this.endStream();
    this.work = this.work.then(() => ended).then(() => this.compress(last));
    await this.work;
  }

  /** Resolves when queued compressions and deletions are done (tests). */
  idle(): Promise<void> {
    return this.work;
  }

  private push(line: string): void {
    this.chunk.push(line);
    this.chunkBytes += line.length;
    if (this.chunkBytes >= 256 * 1024) this.write();
  }

  /** Hands buffered lines to the file now (rotating if it is full); normally every writeEveryMs. */
  flush(): void {
    this.write();
  }

  private write(): void {
    if (this.chunk.length === 0 || !this.stream) return;
    const text = this.chunk.join('');
    this.chunk = [];
    this.chunkBytes = 0;
    const bytes = Buffer.byteLength(text);
    this.stream.write(text);
    this.activeBytes += bytes;
    if (this.activeBytes >= this.maxFileBytes) this.rotate();
  }

  private openFile(): void {
    this.seq++;
    this.activePath = join(this.dir, recordingFileName(this.startedAt, this.seq));
    const header: RecordingHeader = {
      type: 'header',
      version: RECORDING_VERSION,
      ...this.opts.header,
      startedAt: this.startedAt,
      file: this.seq,
    };
    const line = `${JSON.stringify(header)}\n`;
    this.stream = createWriteStream(this.activePath, { flags: 'a' });
    this.stream.on('error', (e) => this.fail(`cannot write ${this.activePath}: ${e.message}`));
    this.stream.write(line);
    this.activeBytes = Buffer.byteLength(line);
  }

  private rotate(): void {
    const done = this.activePath;
    const ended = this.endStream();
    this.counts.rotations++;
    this.openFile();
    this.work = this.work.then(() => ended).then(() => this.compress(done));
  }

  private endStream(): Promise<void> {
    const s = this.stream;
    this.stream = null;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.end(() => resolve()));
  }

  private compressLater(path: string): void {
    this.work = this.work.then(() => this.compress(path));
  }

  /**
   * file.ndjson -> file.ndjson.gz (via a temp name, so a crash never leaves a half .gz). Never
   * rejects (failures go to lastError, shown in the feed's recording health): `work` chains it
   * with no catch and may never be awaited if the recorder is not closed.
   */
  private async compress(path: string): Promise<void> {
    const gz = path.slice(0, -ACTIVE_SUFFIX.length) + ROTATED_SUFFIX;
    try {
      await pipeline(createReadStream(path), createGzip(), createWriteStream(`${gz}.tmp`));
      renameSync(`${gz}.tmp`, gz);
      unlinkSync(path);
    } catch (e) {
      this.fail(`could not compress ${path}: ${(e as Error).message}`);
    }
    this.enforceBudget();
  }

  /** Deletes the oldest rotated files while the directory is over budget. */
  private enforceBudget(): void {
    let used = this.usedBytes();
    for (const name of this.files()) {
      if (used <= this.budgetBytes) break;
      if (!name.endsWith(ROTATED_SUFFIX)) continue; // never the active file
      const path = join(this.dir, name);
      try {
        const size = statSync(path).size;
        unlinkSync(path);
        used -= size;
        this.counts.deleted++;
      } catch (e) {
        this.fail(`could not delete ${path}: ${(e as Error).message}`);
      }
    }
  }

  /** Recording files, oldest first. */
  private files(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((f) => f.endsWith(ACTIVE_SUFFIX) || f.endsWith(ROTATED_SUFFIX))
        .sort();
    } catch {
      return [];
    }
  }

  private usedBytes(): number {
    let n = 0;
    for (const name of this.files()) {
      try {
        n += statSync(join(this.dir, name)).size;
      } catch {
        // deleted meanwhile
      }
    }
    return n + this.chunkBytes;
  }

  private fail(message: string): void {
    this.lastError = message;
  }
}
