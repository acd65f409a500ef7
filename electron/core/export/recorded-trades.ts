/**
 * Trades of one market over a time range, read from raw recordings: the recording is the
 * lossless journal of what a venue sent, so trades are decoded from it with the venue's own
 * adapter (recording/decoder.ts) rather than kept in a second copy. Only markets of feeds with
 * recording on (FeedConfig.record) can be exported; anything else is a clear error.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MarketRef, Trade } from '../../../shared/domain';
import { getAdapter } from '../adapters/index';
import { keyOf } from '../runtime/dedup';
import { RecordingDecoder } from '../recording/decoder';
import { readHeader, readRecording } from '../recording/reader';

export async function tradesFromRecordings(recordingsDir: string, ref: MarketRef, from: number, to: number): Promise<Trade[]> {
  const feedDirs = existsSync(recordingsDir)
    ? readdirSync(recordingsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(recordingsDir, d.name))
    : [];
  const byKey = new Map<string, Trade>();
  let covered = false;
  for (const dir of feedDirs) {
    let header;
    try {
      header = await readHeader(dir);
    } catch {
      continue; // an empty or foreign directory
    }
    if (header.venue !== ref.exchange || header.market !== ref.market || !header.symbols.includes(ref.symbol)) continue;
    const adapter = getAdapter(header.venue);
    if (!adapter) continue;
    covered = true;
    const decoder = new RecordingDecoder({ header, adapter });
    for await (const item of readRecording(dir)) {
      if (item.kind !== 'frame') continue;
      for (const ev of decoder.decode(item.line, item.line.t).data) {
        if (ev.type !== 'trade' || ev.symbol !== ref.symbol || ev.time < from || ev.time >= to) continue;
        // Two feeds recording the same market give the same trades once.
        byKey.set(keyOf(ev), ev);
      }
    }
  }
  if (!covered) {
    // No file system path: the message is shown in the UI (and a path says nothing to a trader).
    throw new Error(
      `No recorded trades of ${ref.exchange} ${ref.market} ${ref.symbol}: trades are exported from its feed's raw recording. Turn recording on for the feed (Feeds > Edit > "Record raw frames", or "record": true in a config file), then export once it has recorded.`,
    );
  }
  return [...byKey.values()].sort((a, b) => a.time - b.time);
}
