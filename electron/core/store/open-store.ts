/**
 * Opens the bar store, or explains why it is off. The native SQLite binding may be missing (a
 * fresh clone before scripts/ensure-native.mjs, an Electron build without rebuilt modules): the
 * app must still run, live, without history, and say so in the health view.
 *
 * A damaged file (PRAGMA quick_check fails, or SQLite calls it corrupt or not a database) is set
 * aside with its -wal and -shm as bars.corrupt-<time>.sqlite, and a fresh store is opened in its
 * place, with a notice naming where the old file went. Nothing is deleted.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { BarStore, BarStoreCorruptError, type BarStoreOptions } from './bar-store';

export const BAR_STORE_FILE = 'bars.sqlite';

export type OpenedStore = { store: BarStore; disabledReason: null } | { store: null; disabledReason: string };

export function openBarStore(dataDir: string, opts: Omit<BarStoreOptions, 'path'> = {}): OpenedStore {
  const path = join(dataDir, BAR_STORE_FILE);
  try {
    return { store: new BarStore({ ...opts, path }), disabledReason: null };
  } catch (e) {
    if (isCorrupt(e)) return reopenFresh(dataDir, path, opts, e as Error);
    return { store: null, disabledReason: disabledReason(path, e) };
  }
}

function reopenFresh(dataDir: string, path: string, opts: Omit<BarStoreOptions, 'path'>, damage: Error): OpenedStore {
  let aside: string;
  try {
    aside = setAside(dataDir, path);
  } catch (e) {
    return {
      store: null,
      disabledReason: `local bar store disabled: ${path} is damaged (${firstLine(damage)}) and could not be set aside (${firstLine(e)})`,
    };
  }
  try {
    const store = new BarStore({ ...opts, path });
    store.addNotice(
      `The local bar store was damaged (${firstLine(damage)}); it was set aside as ${aside} and a new, empty store was started. Stored history before now is in that file.`,
    );
    return { store, disabledReason: null };
  } catch (e) {
    return { store: null, disabledReason: disabledReason(path, e) };
  }
}

/** Moves bars.sqlite and its -wal/-shm to bars.corrupt-<time>.sqlite(-wal/-shm); returns the new path. */
function setAside(dataDir: string, path: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let aside = join(dataDir, `bars.corrupt-${stamp}.sqlite`);
  for (let n = 2; existsSync(aside); n++) aside = join(dataDir, `bars.corrupt-${stamp}-${n}.sqlite`);
  // The main file first: if that fails nothing has moved. The WAL holds committed pages not yet
  // in the main file, so it travels with it (a missing -wal/-shm is normal).
  renameSync(path, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  return aside;
}

function isCorrupt(e: unknown): boolean {
  if (e instanceof BarStoreCorruptError) return true;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

function disabledReason(path: string, e: unknown): string {
  const msg = firstLine(e);
  const native = /bindings|NODE_MODULE_VERSION|better_sqlite3\.node|was compiled against/i.test(msg);
  return native
    ? `local bar store disabled: the SQLite native module cannot load (${msg}); run \`node scripts/ensure-native.mjs\``
    : `local bar store disabled: cannot open ${path}: ${msg}`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? String(e);
}
