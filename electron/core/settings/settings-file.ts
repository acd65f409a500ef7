/**
 * The settings file (`settings.json` in the app's data dir: Electron's userData, or --data-dir).
 * Validated by schema, written atomically with the previous version kept as settings.json.bak,
 * versioned with migrations. A settings file never stops the app, whatever is wrong with it:
 * - corrupt or invalid (bad JSON, too large, too deep, schema, a version that is not a whole
 *   number): moved aside (settings.corrupt-<time>.json), defaults are used, a notice says so;
 * - unreadable, a directory, or corrupt in a folder where it cannot be moved: left as it is,
 *   defaults are used, a notice says so, and saves report a clear error instead of writing;
 * - written by a newer Tickscope (a higher `version`): left untouched, never overwritten, never
 *   moved; defaults are used and this session's changes are not saved.
 */
import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FEED_ID_PATTERN, parseSettings, SETTINGS_VERSION, type FeedConfig, type Settings } from '../../../shared/config';
import { DEFAULT_FEEDS } from '../pipeline/defaults';
import { writeFileAtomic } from './atomic-write';
import { FileLimitError, MAX_SETTINGS_BYTES, readTextCapped, settingsTextProblem } from './file-limits';

export interface LoadedSettings {
  settings: Settings;
  notices: string[];
}

/**
 * Each migration takes the raw JSON of version N and returns version N+1; what it changed that
 * the user should know goes into `notes` (shown as a notice).
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>, notes: string[]) => Record<string, unknown>> = {
  // Version 0: files written before versioning had `feeds` only.
  0: (raw) => ({ ...raw, version: 1 }),
  // Version 1 allowed `.` in feed ids; ids now name recording folders, so they are path-safe.
  1: (raw, notes) => ({ ...raw, version: 2, feeds: renameUnsafeFeedIds(raw.feeds, notes) }),
};

/**
 * Rewrites feed ids that FEED_ID_PATTERN refuses (`my.feed` -> `my-feed`) rather than refusing
 * the whole file, which would set every feed aside. An id with nothing left (`..`) is dropped, so
 * the feed gets a generated one. Anything else wrong is left for the schema to report.
 */
function renameUnsafeFeedIds(feeds: unknown, notes: string[]): unknown {
  if (!Array.isArray(feeds)) return feeds;
  const ids = feeds.map((f) => (f && typeof f === 'object' && typeof (f as { id?: unknown }).id === 'string' ? (f as { id: string }).id : null));
  const used = new Set(ids.filter((id): id is string => id !== null && FEED_ID_PATTERN.test(id)));
  return feeds.map((f, i) => {
    const id = ids[i] ?? null;
    if (id === null || FEED_ID_PATTERN.test(id)) return f;
    const { id: _old, ...rest } = f as Record<string, unknown>;
    const base = id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
    if (!base) {
      notes.push(`Feed id "${id.slice(0, 64)}" is not allowed (ids name folders); the feed was given a new id.`);
      return rest;
    }
    let next = base;
    for (let n = 2; used.has(next); n++) next = `${base}-${n}`;
    used.add(next);
    notes.push(`Feed id "${id.slice(0, 64)}" is now "${next}" (ids may hold only letters, digits, _ and -); recordings made under the old id stay in their folder.`);
    return { ...rest, id: next };
  });
}

/** A file written by a newer app: not an error in the file, so it is never moved or rewritten. */
class NewerVersion {
  constructor(readonly version: number) {}
}

/** The file's version: absent means 0 (before versioning); anything but a whole number is invalid. */
function versionOf(raw: Record<string, unknown>): number {
  if (!('version' in raw) || raw.version === undefined) return 0;
  const v = raw.version;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new Error(`version: must be a whole number, got ${JSON.stringify(v)?.slice(0, 40) ?? String(v)}`);
  }
  return v;
}

function migrate(raw: Record<string, unknown>, notes: string[]): Record<string, unknown> {
  let cur = raw;
  let v = versionOf(cur);
  while (v < SETTINGS_VERSION) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no migration from settings version ${v}`);
    cur = step(cur, notes);
    v = cur.version as number;
  }
  return cur;
}

export class SettingsFile {
  readonly file: string;
  private writing: Promise<void> = Promise.resolve();
  /** Set by load() when saving would destroy something: why saves are refused, as an error text. */
  private saveRefused: string | null = null;
  /** Set by load() when the file is from a newer app: saves are skipped (the notice said so). */
  private newerVersion: number | null = null;

  constructor(readonly dir: string) {
    this.file = join(dir, 'settings.json');
  }

  defaults(): Settings {
    return { version: SETTINGS_VERSION, feeds: DEFAULT_FEEDS.map((f) => ({ ...f })) };
  }

  /** Never throws: whatever is wrong with the file, the result is valid settings plus notices. */
  async load(): Promise<LoadedSettings> {
    this.saveRefused = null;
    this.newerVersion = null;
    // A data dir that cannot be created shows up below as a file that cannot be read.
    await mkdir(this.dir, { recursive: true }).catch(() => undefined);
    let text: string;
    try {
      text = await readTextCapped(this.file, MAX_SETTINGS_BYTES);
    } catch (e) {
      const err = e as FileLimitError;
      if (err.code === 'ENOENT') return { settings: this.defaults(), notices: [] };
      if (err.code === 'TOO_LARGE') return this.setAside(err.message);
      return this.leaveInPlace(err.message);
    }
    let settings: Settings;
    const migrationNotes: string[] = [];
    try {
      const problem = settingsTextProblem(text);
      if (problem) throw new Error(problem);
      const raw = JSON.parse(text) as unknown;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not a JSON object');
      const version = versionOf(raw as Record<string, unknown>);
      if (version > SETTINGS_VERSION) throw new NewerVersion(version);
      settings = parseSettings(migrate(raw as Record<string, unknown>, migrationNotes));
    } catch (e) {
      if (e instanceof NewerVersion) {
        this.newerVersion = e.version;
        return {
          settings: this.defaults(),
          notices: [
            `${this.file}: settings were written by a newer Tickscope (version ${e.version}); they are left untouched and this session's changes are not saved. Defaults are in use.`,
          ],
        };
      }
      return this.setAside((e as Error).message.split('\n')[0] ?? String(e));
    }
    return { settings, notices: migrationNotes };
  }

  /** An invalid file: moved aside so the next save starts clean; left in place if it cannot move. */
  private async setAside(why: string): Promise<LoadedSettings> {
    let aside: string;
    try {
      aside = await this.freeAsideName();
      await rename(this.file, aside);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      return this.leaveInPlace(`${why}; it could not be moved aside (${code})`);
    }
    return {
      settings: this.defaults(),
      notices: [`Your settings file could not be read (${why}). Defaults are in use; the old file was kept as ${aside}.`],
    };
  }

  /** A file we could not read or move: kept as it is, and never overwritten by this session. */
  private leaveInPlace(why: string): LoadedSettings {
    this.saveRefused =
      `settings cannot be saved: ${this.file} could not be read at start (${why}). ` +
      `Fix or remove it and restart Tickscope to save changes.`;
    return {
      settings: this.defaults(),
      notices: [
        `Your settings file ${this.file} could not be read (${why}). Defaults are in use; the file is left as it is, and changes made in this session cannot be saved until it is fixed or removed.`,
      ],
    };
  }

  /** settings.corrupt-<time>.json, with a counter if two files are set aside in one millisecond. */
  private async freeAsideName(): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    for (let n = 1; ; n++) {
      const name = join(this.dir, `settings.corrupt-${stamp}${n === 1 ? '' : `-${n}`}.json`);
      try {
        await stat(name);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return name;
        throw e;
      }
    }
  }

  /** Saves feeds (serialised: one write at a time, the last call wins). */
  saveFeeds(feeds: FeedConfig[], base?: Settings): Promise<void> {
    // A newer app's file is never overwritten; the load notice told the user changes are not saved.
    if (this.newerVersion !== null) return Promise.resolve();
    if (this.saveRefused !== null) return Promise.reject(new Error(this.saveRefused));
    const settings: Settings = { ...(base ?? {}), version: SETTINGS_VERSION, feeds };
    this.writing = this.writing.catch(() => undefined).then(() => this.write(settings));
    return this.writing;
  }

  private async write(settings: Settings): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      try {
        await copyFile(this.file, `${this.file}.bak`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      await writeFileAtomic(this.file, JSON.stringify(settings, null, 2) + '\n');
    } catch (e) {
      // One line the UI can show as it is: which file, and the system's reason (EROFS, ENOSPC...).
      throw new Error(`settings could not be saved to ${this.file}: ${(e as Error).message}`, { cause: e });
    }
  }
}
