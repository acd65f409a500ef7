/**
 * Where a replay feed may read from. A feed that came from the UI, the API or settings.json may
 * only replay recordings under <data dir>/recordings (the path after symlinks are resolved, so
 * a link inside cannot point out). A feed given on the command line (`headless --config`,
 * `serve --config`) is trusted like any other command-line path and is read as given.
 *
 * A path that does not exist and a path outside the folder get the same error text, so the
 * answer never tells a client whether some file exists elsewhere on the machine.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

export interface ReplayScope {
  /** <data dir>/recordings, or null when the pipeline has no data dir. */
  recordingsDir: string | null;
  /** True only for feeds given on the command line. */
  trusted: boolean;
}

/** Returns the path to read (resolved for untrusted feeds); throws an Error naming options.file. */
export async function resolveReplayPath(file: string, scope: ReplayScope): Promise<string> {
  if (scope.trusted) return file;
  const root = scope.recordingsDir;
  if (root === null) throw new Error('options.file: replay from the app needs a data dir (recordings are read from <data dir>/recordings)');
  const refused = new Error(`options.file: "${file}" is not a recording in ${root}`);
  const [realRoot, real] = await Promise.all([realOrNull(root), realOrNull(isAbsolute(file) ? file : join(root, file))]);
  if (realRoot === null || real === null) throw refused;
  const rel = relative(realRoot, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw refused;
  return real;
}

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}
