/**
 * The NDJSON formatting thread of the headless runner (ndjson-writer.ts starts it through
 * ndjson-worker-entry.cjs). Each message is one packed chunk (ndjson-chunk.ts); the reply gives the
 * finished lines back, with the chunk's buffers for reuse, all transferred rather than copied.
 * Output buffers the writer has written come back as `recycle` messages and are reused.
 */
import { parentPort } from 'node:worker_threads';
import { ChunkFormatter, type ChunkToFormat } from './ndjson-chunk';

const port = parentPort!;
const formatter = new ChunkFormatter();

port.on('message', (m: ChunkToFormat | { recycle: ArrayBuffer }) => {
  if ('recycle' in m) {
    formatter.recycle(m.recycle);
    return;
  }
  const out = formatter.format(m);
  const back = m.idBuffer !== null ? [out.buffer, m.buffer, m.idBuffer] : [out.buffer, m.buffer];
  port.postMessage({ out: out.buffer, used: out.used, chunk: m.buffer, ids: m.idBuffer }, back);
});
