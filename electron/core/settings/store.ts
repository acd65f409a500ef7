/**
 * The settings file (`settings.json` in the app's data dir: Electron's userData, or --data-dir).
 * Validated by schema, written atomically with the previous version kept as settings.json.bak,
 * versioned with migrations. A corrupt or invalid file never stops the app: it is moved aside
 * (settings.corrupt-<time>.json), defaults are used, and a notice says so in the UI.
 */
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSettings, SETTINGS_VERSION, type FeedConfig, type Settings } from '../../../shared/config';
import { DEFAULT_FEEDS } from '../pipeline/defaults';
import { writeFileAtomic } from './atomic-write';

export interface LoadedSettings {
  settings: Settings;
  notices: string[];
}

/** Each migration takes the raw JSON of version N and returns version N+1. */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  // Version 0: files written before versioning had `feeds` only.
  0: (raw) => ({ ...raw, version: 1 }),
};

function migrate(raw: Record<string, unknown>): Record<string, unknown> {
  let cur = raw;
  let v = typeof cur.version === 'number' ? cur.version : 0;
  while (v < SETTINGS_VERSION) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no migration from settings version ${v}`);
    cur = step(cur);
    v = cur.version as number;
  }
  if (v > SETTINGS_VERSION) throw new Error(`settings version ${v} is newer than this app understands (${SETTINGS_VERSION})`);
  return cur;
}

export class SettingsStore {
  readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {
    this.file = join(dir, 'settings.json');
  }

  defaults(): Settings {
    return { version: SETTINGS_VERSION, feeds: DEFAULT_FEEDS.map((f) => ({ ...f })) };
  }

  async load(): Promise<LoadedSettings> {
    await mkdir(this.dir, { recursive: true });
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { settings: this.defaults(), notices: [] };
      throw e;
    }
    try {
      const raw = JSON.parse(text) as unknown;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not a JSON object');
      return { settings: parseSettings(migrate(raw as Record<string, unknown>)), notices: [] };
    } catch (e) {
      const aside = join(this.dir, `settings.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      await rename(this.file, aside);
      const why = (e as Error).message.split('\n')[0];
      return {
        settings: this.defaults(),
        notices: [`Your settings file could not be read (${why}). Defaults are in use; the old file was kept as ${aside}.`],
      };
    }
  }

  /** Saves feeds (serialised: one write at a time, the last call wins). */
  saveFeeds(feeds: FeedConfig[], base?: Settings): Promise<void> {
    const settings: Settings = { ...(base ?? {}), version: SETTINGS_VERSION, feeds };
    this.writing = this.writing.catch(() => undefined).then(() => this.write(settings));
    return this.writing;
  }

  private async write(settings: Settings): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    try {
      await copyFile(this.file, `${this.file}.bak`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await writeFileAtomic(this.file, JSON.stringify(settings, null, 2) + '\n');
  }
}
