/**
 * Limits for JSON files the core reads at start-up (settings.json, a --config file): checked
 * before anything is parsed, so a huge or special file costs a stat, never the memory of the
 * process, and a deeply nested one costs one scan (shared/json-limits.ts), never its stack.
 */
import { open, stat } from 'node:fs/promises';
import { checkJsonText } from '../../../shared/json-limits';

/** A settings file is a few KB; 16 MiB is far beyond any real one. */
export const MAX_SETTINGS_BYTES = 16 * 1024 * 1024;
/** Settings are ~5 levels deep (root > feeds > feed > options > value); 64 leaves room. */
export const MAX_SETTINGS_DEPTH = 64;

/** Why a file could not be read, in words for the user; `code` for callers that branch. */
export class FileLimitError extends Error {
  constructor(
    message: string,
    readonly code: 'ENOENT' | 'NOT_A_FILE' | 'TOO_LARGE' | 'IO',
  ) {
    super(message);
  }
}

/**
 * Reads a regular file as UTF-8, refusing anything larger than maxBytes. The path is stat'ed
 * before it is opened: opening a FIFO would block start-up until something writes to it.
 * The read itself is capped too, in case the file grows between the stat and the read.
 */
export async function readTextCapped(path: string, maxBytes: number): Promise<string> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new FileLimitError(st.isDirectory() ? 'it is a directory' : 'it is not a regular file', 'NOT_A_FILE');
    size = st.size;
  } catch (e) {
    throw asLimitError(e);
  }
  if (size > maxBytes) throw new FileLimitError(`it is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} a settings file may be`, 'TOO_LARGE');
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw asLimitError(e);
  }
  try {
    // Read in chunks up to the cap (not readFile): the file may have grown since the stat.
    const parts: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(size + 1, 64 * 1024)));
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new FileLimitError(`it grew past the ${formatBytes(maxBytes)} a settings file may be`, 'TOO_LARGE');
      parts.push(Buffer.from(chunk.subarray(0, bytesRead)));
    }
    return Buffer.concat(parts, total).toString('utf8');
  } catch (e) {
    throw asLimitError(e);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function asLimitError(e: unknown): FileLimitError {
  if (e instanceof FileLimitError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new FileLimitError('it does not exist', 'ENOENT');
  if (err.code === 'EISDIR') return new FileLimitError('it is a directory', 'NOT_A_FILE');
  // Node's own text already starts with the code: "EACCES: permission denied, open '...'".
  return new FileLimitError(String(err.message ?? e), 'IO');
}

/**
 * Why JSON text is not acceptable as settings before it is parsed (nesting past the cap; size is
 * already capped by the read), or null. Nothing downstream (the schema, JSON.stringify of the
 * settings for a UI) then ever recurses into a hostile depth.
 */
export function settingsTextProblem(text: string): string | null {
  // Size is not checked again here: readTextCapped counted the file's bytes, and the decoded text
  // may measure differently (an invalid byte decodes to a 3-byte U+FFFD).
  const breach = checkJsonText(text, { maxDepth: MAX_SETTINGS_DEPTH, maxBytes: Infinity });
  return breach ? `JSON ${breach.message}` : null;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}
