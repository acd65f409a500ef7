/**
 * Reads an HTTP response body as a stream, up to a byte cap, for every REST client of the core
 * (instrument lists, history pages). `res.text()` buffers whatever the server sends: a venue (or
 * anything answering on its URL) serving 400 MB took the process to 1.3 GB RSS. Here the body is
 * counted chunk by chunk, and past the cap the request is aborted (the socket is closed, nothing
 * more is downloaded) and a BodyTooLargeError names the endpoint and the cap.
 */
import { formatBytes } from '../util/byte-size';

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(
    readonly what: string,
    readonly limitBytes: number,
  ) {
    super(`${what}: body larger than ${formatBytes(limitBytes)}`);
  }
}

export interface BodyLimit {
  /** Most bytes accepted (the declared Content-Length is checked first, then what arrives). */
  limitBytes: number;
  /** Names the endpoint in the error: `instruments`, `candles`, `trades`. */
  what: string;
  /** Aborts the request (the fetch's AbortController); cancelling the stream alone may keep reading. */
  abort?: () => void;
}

/** The body as UTF-8 text; throws BodyTooLargeError past the cap, or the stream's own error. */
export async function readBodyCapped(res: Response, limit: BodyLimit): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit.limitBytes) throw await refuse(res, limit);
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit.limitBytes) {
      chunks.length = 0;
      const err = new BodyTooLargeError(limit.what, limit.limitBytes);
      limit.abort?.();
      await reader.cancel(err).catch(() => {});
      throw err;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Drops a body we will not read (error statuses), so the connection is not left half-read. */
export function discardBody(res: Response): void {
  res.body?.cancel().catch(() => {});
}

async function refuse(res: Response, limit: BodyLimit): Promise<BodyTooLargeError> {
  const err = new BodyTooLargeError(limit.what, limit.limitBytes);
  limit.abort?.();
  await res.body?.cancel(err).catch(() => {});
  return err;
}
