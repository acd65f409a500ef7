/**
 * Reads recordings back: one file (.ndjson or .ndjson.gz) or a feed's whole recording directory
 * (every file, oldest first: a session spread over rotations replays as one). Streaming, so a
 * multi-GB recording never sits in memory. Unparseable lines (a torn last line after a crash)
 * are counted and skipped.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ACTIVE_SUFFIX, ROTATED_SUFFIX, isFrameLine, isGapLine, isHeader, type FrameLine, type GapLine, type RecordingHeader } from './format';

export type RecordingItem =
  | { kind: 'header'; header: RecordingHeader; path: string }
  | { kind: 'frame'; line: FrameLine }
  | { kind: 'gap'; line: GapLine };

export interface ReadStats {
  badLines: number;
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

export async function* readRecording(path: string, stats: ReadStats = { badLines: 0 }): AsyncGenerator<RecordingItem> {
  for (const file of recordingFiles(path)) {
    let input: Readable = createReadStream(file);
    if (file.endsWith('.gz')) input = input.pipe(createGunzip());
    const lines = createInterface({ input, crlfDelay: Infinity });
    try {
      for await (const text of lines) {
        if (text.length === 0) continue;
        let x: unknown;
        try {
          x = JSON.parse(text);
        } catch {
          stats.badLines++;
          continue;
        }
        if (isFrameLine(x)) yield { kind: 'frame', line: x };
        else if (isGapLine(x)) yield { kind: 'gap', line: x };
        else if (isHeader(x)) yield { kind: 'header', header: x, path: file };
        else stats.badLines++;
      }
    } catch (e) {
      // A truncated .gz (crash while compressing is prevented, but a copied file may be cut).
      stats.badLines++;
      if (!(e instanceof Error) || !/unexpected end|incorrect header/i.test(e.message)) throw e;
    } finally {
      lines.close();
      input.destroy();
    }
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
