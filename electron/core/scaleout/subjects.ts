/**
 * The JetStream layout of a shared ingest node (README "A shared ingest node"): one stream,
 * hierarchical subjects `<prefix>.<type>.<exchange>.<market>.<SYMBOL>` so consumers filter on the
 * server, and messages of NDJSON lines (one record a line) so a batch costs one publish.
 *
 * Status and gap records have no symbol: their last token is the upstream feed id.
 */
import { createHash } from 'node:crypto';
import type { Bar, Gap, MarketData } from '../../../shared/domain';
import type { StatusRecord } from '../../../shared/health';

/** What the publisher takes: the pipeline's record taps carry exactly these (pipeline/record-taps.ts). */
export type ScaleoutRecord = MarketData | Bar | StatusRecord | Gap;

export const DEFAULT_STREAM = 'TICKSCOPE';
export const DEFAULT_PREFIX = 'tickscope';
/** Retention by age and size: a desk's day of data, bounded on disk. */
export const DEFAULT_MAX_AGE_MS = 24 * 3600_000;
export const DEFAULT_MAX_BYTES = 10 * 1024 ** 3;
/** How long JetStream remembers a Nats-Msg-Id: a retry or a standby publisher within it is dropped. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;

/** A subject token may not hold `.`, `*`, `>` or white space. */
function token(s: string): string {
  return s.replace(/[.*>\s]/g, '_') || '_';
}

export function subjectOf(prefix: string, r: ScaleoutRecord): string {
  const last = r.type === 'status' || r.type === 'gap' ? r.feedId : r.symbol;
  return `${prefix}.${r.type}.${token(r.exchange)}.${r.market}.${token(last)}`;
}

/** The subjects of one upstream venue and market (`binance:spot`): every type and symbol. */
export function sourceFilter(prefix: string, source: string): string {
  const [exchange, market] = source.split(':');
  return `${prefix}.*.${token(exchange!)}.${market}.>`;
}

/** The time that orders a record within its subject (exchange time where it has one). */
export function recordTime(r: ScaleoutRecord): number {
  switch (r.type) {
    case 'bar':
      return r.start;
    case 'status':
    case 'gap':
      return r.at;
    default:
      return r.time;
  }
}

/**
 * What makes a record the same record whoever published it: the content without the local
 * receive time (two ingest nodes receive the same trade at different moments).
 */
function identity(r: ScaleoutRecord): string {
  if (r.type === 'trade' && r.id !== undefined) return `t${r.id}`;
  if ('receivedAt' in r) {
    const { receivedAt: _omit, ...rest } = r;
    return JSON.stringify(rest);
  }
  return JSON.stringify(r);
}

/**
 * The Nats-Msg-Id of a batch: the subject, its time window and a hash of its records' identities.
 * The same records batched the same way give the same id, so a retry, a restarted publisher
 * re-sending, or a hot-standby publisher is dropped by the stream's duplicate window.
 */
export function batchId(subject: string, window: number, records: readonly ScaleoutRecord[]): string {
  const h = createHash('sha1');
  for (const r of records) h.update(identity(r)).update('\n');
  return `${subject}:${window}:${records.length}:${h.digest('base64url')}`;
}

export function encodeBatch(records: readonly ScaleoutRecord[]): string {
  let s = '';
  for (const r of records) s += JSON.stringify(r) + '\n';
  return s;
}

/** Parses a message's NDJSON lines; a line that is not a record is counted, not thrown. */
export function decodeBatch(text: string, bad: { lines: number }): ScaleoutRecord[] {
  const out: ScaleoutRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const r = JSON.parse(line) as ScaleoutRecord;
      if (r && typeof r === 'object' && typeof r.type === 'string' && typeof r.exchange === 'string') out.push(r);
      else bad.lines++;
    } catch {
      bad.lines++;
    }
  }
  return out;
}
