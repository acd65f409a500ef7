/**
 * The local bar store: final bars per market and timeframe in SQLite (better-sqlite3).
 *
 * - WAL journal + synchronous=NORMAL: a commit is durable against a process crash (kill -9) the
 *   moment the transaction returns; only an OS crash or power loss can lose the last commits.
 * - Writes are buffered and committed in one transaction every flushMs or every flushBars bars,
 *   never one transaction per bar (a 1s timeframe on 100 markets is 700 bars a second).
 * - The primary key (market, tf, start) is the index a chart's range query walks; a second index
 *   (tf, start) serves retention deletes. Same key again = the newer bar replaces the older one
 *   (a candle-filled bar later rebuilt from trades, an identical bar from a replay).
 *
 * Opening runs PRAGMA quick_check and throws BarStoreCorruptError on a damaged file; it also throws
 * when the native module cannot load. openBarStore() in open-store.ts turns the first into a fresh
 * store (the damaged file set aside, with a notice) and the second into a disabled store with a
 * visible reason.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Bar, MarketType } from '../../../shared/domain';
import { marketKey, parseMarketKey } from '../../../shared/markets';
import { systemClock, type Clock } from '../util/clock';
import { retentionMs, type RetentionPolicy } from './retention';

export interface BarStoreOptions {
  /** Database file; ':memory:' for tests. */
  path: string;
  /** Commit pending bars at least this often. Default 1000 ms. */
  flushMs?: number;
  /** ... or as soon as this many are pending. Default 2000. */
  flushBars?: number;
  retention?: RetentionPolicy;
  /** How often retention runs (also once at open). Default 10 min. */
  retentionEveryMs?: number;
  clock?: Clock;
}

export interface BarRangeQuery {
  /** marketKey(): `exchange:market:symbol` (`*` exchange for composites). */
  key: string;
  tf: string;
  /** Only bars starting at or after this (epoch ms). */
  from?: number;
  /** Only bars starting before this (epoch ms): scrolling left. */
  before?: number;
  /** The newest `limit` bars of the range (returned oldest first). Default 5000. */
  limit?: number;
}

export interface BarStoreStats {
  path: string;
  written: number;
  pending: number;
  flushes: number;
  retentionDeleted: number;
  /** Failed writes, retention runs and reads. */
  errors: number;
  /** Range queries that failed (the caller served memory instead). */
  readErrors: number;
  lastError: string | null;
}

interface Row {
  market: string;
  tf: string;
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  buy_volume: number;
  sell_volume: number;
  trades: number;
  vwap: number;
  incomplete: number;
  source: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bars (
  market TEXT NOT NULL, tf TEXT NOT NULL, start INTEGER NOT NULL,
  open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
  volume REAL NOT NULL, buy_volume REAL NOT NULL, sell_volume REAL NOT NULL,
  trades INTEGER NOT NULL, vwap REAL NOT NULL, incomplete INTEGER NOT NULL, source TEXT,
  PRIMARY KEY (market, tf, start)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bars_by_tf_start ON bars (tf, start);
`;

export class BarStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly selectRange: Database.Statement;
  private readonly insertMany: (bars: Bar[]) => void;
  private pending: Bar[] = [];
  private readonly flushBars: number;
  private readonly retention: RetentionPolicy;
  private readonly clock: Clock;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private counts = { written: 0, flushes: 0, retentionDeleted: 0, errors: 0, readErrors: 0 };
  private lastError: string | null = null;
  private readonly noticeList: string[] = [];

  constructor(opts: BarStoreOptions) {
    this.path = opts.path;
    this.clock = opts.clock ?? systemClock;
    this.flushBars = Math.max(1, opts.flushBars ?? 2000);
    this.retention = opts.retention ?? {};
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    this.db = new Database(opts.path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      // A damaged file (a disk error, a copy taken mid-write) would fail every query touching its
      // bad pages for the rest of the session. Checked once here so openBarStore can set it aside.
      const check = this.db.pragma('quick_check(5)') as { quick_check: string }[];
      if (check.length !== 1 || check[0]!.quick_check !== 'ok') {
        throw new BarStoreCorruptError(opts.path, check.map((r) => r.quick_check));
      }
      this.db.exec(SCHEMA);
      this.insert = this.db.prepare(
        `INSERT OR REPLACE INTO bars VALUES (@market, @tf, @start, @open, @high, @low, @close, @volume, @buy_volume, @sell_volume, @trades, @vwap, @incomplete, @source)`,
      );
      // Newest first with LIMIT walks the primary key backwards from `before`: milliseconds even
      // with millions of rows. The caller gets them oldest first.
      this.selectRange = this.db.prepare(
        `SELECT * FROM bars WHERE market = ? AND tf = ? AND start >= ? AND start < ? ORDER BY start DESC LIMIT ?`,
      );
      this.insertMany = this.db.transaction((bars: Bar[]) => {
        for (const b of bars) this.insert.run(toRow(b));
      });
    } catch (e) {
      // Closed before the error goes up: the caller may move the file aside and open a fresh one.
      this.db.close();
      throw e;
    }
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(Math.max(10, opts.flushMs ?? 1000), () => this.flush());
    every(Math.max(1000, opts.retentionEveryMs ?? 600_000), () => this.applyRetention());
    this.applyRetention();
  }

  /** Queues a final bar; committed with the next flush. Open bars are ignored. */
  put(bar: Bar): void {
    if (this.closed || !bar.final) return;
    this.pending.push(bar);
    if (this.pending.length >= this.flushBars) this.flush();
  }

  /** Commits every pending bar in one transaction; returns how many. Never throws. */
  flush(): number {
    if (this.closed || this.pending.length === 0) return 0;
    const batch = this.pending;
    this.pending = [];
    try {
      this.insertMany(batch);
      this.counts.written += batch.length;
      this.counts.flushes++;
      return batch.length;
    } catch (e) {
      // Disk full, locked file...: the batch is lost but the pipeline keeps running; the health
      // view shows the error and the count.
      this.counts.errors++;
      this.lastError = `could not write ${batch.length} bars: ${(e as Error).message}`;
      return 0;
    }
  }

  /** Committed bars of one series in [from, before), the newest `limit`, oldest first. */
  range(q: BarRangeQuery): Bar[] {
    if (this.closed) return [];
    const ref = parseMarketKey(q.key);
    if (!ref) return []; // not a key marketKey() makes: no row can have it
    const rows = this.selectRange.all(q.key, q.tf, q.from ?? 0, q.before ?? Number.MAX_SAFE_INTEGER, q.limit ?? 5000) as Row[];
    const out: Bar[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[rows.length - 1 - i] = fromRow(rows[i]!, ref.exchange, ref.market, ref.symbol);
    return out;
  }

  /**
   * A range query failed (a damaged page found mid-session): counted, and the first one becomes a
   * notice. The caller falls back to the bars it has in memory.
   */
  noteReadFailure(e: unknown): void {
    this.counts.errors++;
    this.counts.readErrors++;
    this.lastError = `could not read stored bars: ${(e as Error).message}`;
    if (this.counts.readErrors === 1) {
      this.addNotice(
        `The local bar store could not read stored bars (${(e as Error).message}); charts and exports show the bars in memory only. ` +
          `The store is checked when Tickscope starts, and a damaged file is then set aside.`,
      );
    }
  }

  /** Something the user should hear about this store (shown to every UI that connects). */
  addNotice(text: string): void {
    this.noticeList.push(text);
    this.lastError ??= text;
  }

  notices(): string[] {
    return [...this.noticeList];
  }

  /** Deletes bars older than each timeframe's retention; returns how many. */
  applyRetention(now: number = this.clock.now()): number {
    if (this.closed) return 0;
    let deleted = 0;
    try {
      const tfs = this.db.prepare('SELECT DISTINCT tf FROM bars').pluck().all() as string[];
      for (const tf of tfs) {
        let keep: number | null;
        try {
          keep = retentionMs(tf, this.retention);
        } catch {
          continue; // a row with an unknown timeframe: leave it alone
        }
        if (keep === null) continue;
        deleted += this.db.prepare('DELETE FROM bars WHERE tf = ? AND start < ?').run(tf, now - keep).changes;
      }
    } catch (e) {
      this.counts.errors++;
      this.lastError = `retention failed: ${(e as Error).message}`;
    }
    this.counts.retentionDeleted += deleted;
    return deleted;
  }

  /** Raw SQL access for checks (PRAGMA integrity_check) and tests. */
  pragma(text: string): unknown {
    return this.db.pragma(text);
  }

  stats(): BarStoreStats {
    return { path: this.path, ...this.counts, pending: this.pending.length, lastError: this.lastError };
  }

  /** Flushes and closes; later puts are ignored. */
  close(): void {
    if (this.closed) return;
    this.flush();
    for (const t of this.timers) clearInterval(t);
    this.closed = true;
    this.db.close();
  }
}

/** PRAGMA quick_check found damage: openBarStore sets the file aside and starts a fresh one. */
export class BarStoreCorruptError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`${path} is damaged: ${problems.slice(0, 3).join('; ')}`);
  }
}

function toRow(b: Bar): Row {
  return {
    market: marketKey(b),
    tf: b.tf,
    start: b.start,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
    buy_volume: b.buyVolume,
    sell_volume: b.sellVolume,
    trades: b.trades,
    vwap: b.vwap,
    incomplete: b.incomplete ? 1 : 0,
    source: b.source ?? null,
  };
}

function fromRow(r: Row, exchange: string, market: MarketType, symbol: string): Bar {
  const bar: Bar = {
    type: 'bar',
    exchange,
    market,
    symbol,
    tf: r.tf,
    start: r.start,
    open: r.open,
    high: r.high,
    low: r.low,
    close: r.close,
    volume: r.volume,
    buyVolume: r.buy_volume,
    sellVolume: r.sell_volume,
    trades: r.trades,
    vwap: r.vwap,
    final: true,
    incomplete: r.incomplete === 1,
  };
  if (r.source === 'trades' || r.source === 'candles') bar.source = r.source;
  return bar;
}
