/**
 * Opens the bar store, or explains why it is off. The native SQLite binding may be missing (a
 * fresh clone before scripts/ensure-native.mjs, an Electron build without rebuilt modules): the
 * app must still run, live, without history, and say so in the health view.
 */
import { join } from 'node:path';
import { BarStore, type BarStoreOptions } from './bar-store';

export const BAR_STORE_FILE = 'bars.sqlite';

export type OpenedStore = { store: BarStore; disabledReason: null } | { store: null; disabledReason: string };

export function openBarStore(dataDir: string, opts: Omit<BarStoreOptions, 'path'> = {}): OpenedStore {
  const path = join(dataDir, BAR_STORE_FILE);
  try {
    return { store: new BarStore({ ...opts, path }), disabledReason: null };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? String(e);
    const native = /bindings|NODE_MODULE_VERSION|better_sqlite3\.node|was compiled against/i.test(msg);
    return {
      store: null,
      disabledReason: native
        ? `local bar store disabled: the SQLite native module cannot load (${msg}); run \`node scripts/ensure-native.mjs\``
        : `local bar store disabled: cannot open ${path}: ${msg}`,
    };
  }
}
