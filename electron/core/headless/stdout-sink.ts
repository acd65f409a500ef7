/**
 * The stream the headless runner's NDJSON goes to.
 *
 * When stdout is a file or a device (`> out.ndjson`, `> /dev/null`), Node's process.stdout writes
 * synchronously on the main thread (a SyncWriteStream), so the kernel's copying of every line
 * runs on the thread that also ingests the feeds: measured with the bench's tmpfs file, 3-4% of
 * the runner's CPU (bench/profile.ts, perf). The same fd as an fs.WriteStream writes on libuv's
 * thread pool instead, in order, one write at a time. Pipes and terminals keep process.stdout
 * (libuv writes a pipe without blocking; EPIPE handling as before).
 */
import { createWriteStream, fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';

const STDOUT_FD = 1;

export function stdoutSink(): Writable {
  let st;
  try {
    st = fstatSync(STDOUT_FD);
  } catch {
    return process.stdout;
  }
  if (!st.isFile() && !(st.isCharacterDevice() && !process.stdout.isTTY)) return process.stdout;
  // The path is ignored when fd is given; autoClose false: fd 1 stays open for the process.
  return createWriteStream('', { fd: STDOUT_FD, autoClose: false });
}
