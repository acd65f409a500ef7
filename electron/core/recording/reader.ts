/**
 * Reads recordings back: one file (.ndjson or .ndjson.gz) or a feed's whole recording directory
 * (every file, oldest first: a session spread over rotations replays as one). Streaming, so a
 * multi-GB recording never sits in memory. Unparseable lines (a torn last line after a crash)
 * are counted and skipped.
 *
 * Lines are split here rather than by readline, because readline holds a whole line however long
 * it is: a 300 MB file without a newline took 711 MB and failed with no message. A line longer
 * than RECORDING_MAX_LINE_BYTES is skipped without being held (memory stays at the cap plus one
 * read chunk), counted, and named with its file and byte offset; the lines after it still play.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { formatBytes, KB, MB } from '../util/byte-size';
import { nestingBreach } from '../../../shared/json-limits';
import { ACTIVE_SUFFIX, ROTATED_SUFFIX, isBookSnapshotLine, isFrameLine, isGapLine, isHeader, type BookSnapshotLine, type FrameLine, type GapLine, type RecordingHeader } from './format';

/**
 * Longest line read. A frame line is the frame JSON-escaped in an envelope of ~60 bytes; venue
 * frames are capped at 1 MB by default (runtime/frame-guard.ts), and escaping at most doubles
 * real JSON text (every `"` becomes `\"`), so 16 MB holds any frame the live runtime accepts
 * from a venue declaring up to ~8 MB.
 */
export const RECORDING_MAX_LINE_BYTES = 16 * MB;

/** Recording lines nest at most 2 levels (a header's symbol list); long ones are checked first. */
const MAX_LINE_DEPTH = 4;
const DEPTH_CHECK_MIN_CHARS = 16 * KB;

export type RecordingItem =
  | { kind: 'header'; header: RecordingHeader; path: string }
  | { kind: 'frame'; line: FrameLine }
  | { kind: 'gap'; line: GapLine }
  | { kind: 'book-snapshot'; line: BookSnapshotLine };

export interface ReadStats {
  badLines: number;
  /** The latest bad line worth a message (too long: file and byte offset), for the health view. */
  lastError?: string | null;
}

export interface ReadOptions {
  /** Default RECORDING_MAX_LINE_BYTES. */
  maxLineBytes?: number;
}

/** The files of a recording path, oldest first; throws a clear error when there are none. */
export function recordingFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`recording not found: ${path}`);
  }
  if (st.isFile()) return [path];
  const files = readdirSync(path)
    .filter((f) => f.endsWith(ACTIVE_SUFFIX) || f.endsWith(ROTATED_SUFFIX))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new Error(`no recording files (*.ndjson, *.ndjson.gz) in ${path}`);
  return files;
}

export async function* readRecording(path: string, stats: ReadStats = { badLines: 0 }, opts: ReadOptions = {}): AsyncGenerator<RecordingItem> {
  const maxLineBytes = opts.maxLineBytes ?? RECORDING_MAX_LINE_BYTES;
  for (const file of recordingFiles(path)) {
    const gz = file.endsWith('.gz');
    const source = createReadStream(file);
    let input: Readable = source;
    if (gz) {
      input = source.pipe(createGunzip());
      // pipe() does not pass errors on: a file that cannot be read (gone, a directory, no access)
      // was an 'error' event nobody listened to, an uncaught exception that ended the process.
      // Handed to the stream we read, it rejects this generator like any other read error.
      source.on('error', (e) => input.destroy(e));
    }
    const where = (offset: number): string => `${file}: the line at byte ${offset}${gz ? ' (uncompressed)' : ''}`;
    const tooLong = (offset: number, length: number): void => {
      stats.badLines++;
      stats.lastError = `${where(offset)} is ${formatBytes(length)}, longer than the ${formatBytes(maxLineBytes)} limit; skipped`;
    };
    const at = { line: 0 };
    try {
      for await (const text of splitLines(input, maxLineBytes, tooLong, at)) {
        if (text.length === 0) continue;
        if (text.length >= DEPTH_CHECK_MIN_CHARS && nestingBreach(text, MAX_LINE_DEPTH) >= 0) {
          stats.badLines++;
          stats.lastError = `${where(at.line)} is nested deeper than a recording line can be; skipped`;
          continue;
        }
        let x: unknown;
        try {
          x = JSON.parse(text);
        } catch {
          stats.badLines++;
          continue;
        }
        if (isFrameLine(x)) yield { kind: 'frame', line: x };
        else if (isGapLine(x)) yield { kind: 'gap', line: x };
        else if (isBookSnapshotLine(x)) yield { kind: 'book-snapshot', line: x };
        else if (isHeader(x)) yield { kind: 'header', header: x, path: file };
        else stats.badLines++;
      }
    } catch (e) {
      // A truncated or damaged .gz (a crash while compressing is prevented, but a copied file may
      // be cut or a disk go bad): zlib says so with its error code, whatever its message reads.
      stats.badLines++;
      if (!isDamagedGzip(e)) throw e;
      stats.lastError = `${file}: compressed data ends or is damaged after the line at byte ${at.line} (uncompressed): ${e.message}`;
    } finally {
      input.destroy();
      source.destroy();
    }
  }
}

/** zlib's codes for input that ends too early (Z_BUF_ERROR) or is not valid deflate data (Z_DATA_ERROR). */
function isDamagedGzip(e: unknown): e is Error {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR');
}

/**
 * The lines of a byte stream (`\n`, an optional `\r` before it dropped), decoded as UTF-8 once
 * whole. A line past `maxBytes` is not kept: its bytes are dropped up to its newline and
 * `tooLong(offset of its first byte, its length)` is called instead of yielding it. `at.line` is
 * the byte offset of the line last yielded.
 */
async function* splitLines(
  input: AsyncIterable<Buffer>,
  maxBytes: number,
  tooLong: (offset: number, length: number) => void,
  at: { line: number },
): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false;
  let lineStart = 0;
  let chunkStart = 0;
  const take = (): string => {
    const line = parts.length === 1 ? parts[0]!.toString('utf8') : Buffer.concat(parts, partBytes).toString('utf8');
    parts = [];
    partBytes = 0;
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  for await (const chunk of input) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      const end = nl === -1 ? chunk.length : nl;
      if (!skipping && end > from) {
        if (partBytes + (end - from) > maxBytes) {
          skipping = true;
          parts = [];
          partBytes = 0;
        } else {
          parts.push(chunk.subarray(from, end));
          partBytes += end - from;
        }
      }
      if (nl === -1) break;
      if (skipping) {
        skipping = false;
        tooLong(lineStart, chunkStart + nl - lineStart);
      } else {
        at.line = lineStart;
        yield take();
      }
      lineStart = chunkStart + nl + 1;
      from = nl + 1;
    }
    chunkStart += chunk.length;
  }
  if (skipping) tooLong(lineStart, chunkStart - lineStart);
  else if (partBytes > 0) {
    at.line = lineStart;
    yield take();
  }
}

/** The header of a recording path's first file. */
export async function readHeader(path: string): Promise<RecordingHeader> {
  for await (const item of readRecording(recordingFiles(path)[0]!)) {
    if (item.kind === 'header') return item.header;
    break;
  }
  throw new Error(`${path}: not a Tickscope recording (the first line is not a header)`);
}
