/**
 * What every parser output must look like, whatever the input: the contract downstream code
 * (queues, aggregator, health, NDJSON output) relies on without re-checking.
 */
import type { ParsedEvent } from '../../../electron/core/adapters/adapter';
import type { BookUpdate } from '../../../shared/domain';

const SIDES = new Set(['buy', 'sell', 'unknown']);
const ERROR_KINDS = new Set(['network', 'protocol', 'rate-limit', 'parse', 'config', 'timeout', 'venue']);
const CONTROL = new Set(['ack', 'heartbeat', 'pong', 'info', 'welcome']);

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
const positive = (x: unknown): boolean => finite(x) && (x as number) > 0;
const text = (x: unknown): boolean => typeof x === 'string' && x.length > 0;

/** The first thing wrong with `e`, or null when it is well formed. */
export function malformation(e: ParsedEvent): string | null {
  if (e === null || typeof e !== 'object') return 'not an object';
  switch (e.type) {
    case 'trade':
    case 'liquidation':
      if (!positive(e.price)) return `${e.type} price ${String(e.price)}`;
      if (!positive(e.size)) return `${e.type} size ${String(e.size)}`;
      if (!SIDES.has(e.side)) return `${e.type} side ${String(e.side)}`;
      if (!finite(e.time)) return `${e.type} time ${String(e.time)}`;
      if (!text(e.symbol)) return `${e.type} symbol ${String(e.symbol)}`;
      if (e.type === 'trade' && e.id !== undefined && typeof e.id !== 'string') return `trade id ${typeof e.id}`;
      return null;
    case 'quote':
      for (const k of ['bid', 'bidSize', 'ask', 'askSize', 'time'] as const) if (!finite(e[k])) return `quote ${k} ${String(e[k])}`;
      return text(e.symbol) ? null : 'quote symbol';
    case 'funding':
      for (const k of ['rate', 'markPrice', 'indexPrice', 'nextFundingTime'] as const) {
        if (e[k] !== undefined && !finite(e[k])) return `funding ${k} ${String(e[k])}`;
      }
      return finite(e.time) && text(e.symbol) ? null : 'funding time or symbol';
    case 'book':
      return bookMalformation(e);
    case 'error':
      if (!ERROR_KINDS.has(e.kind)) return `error kind ${String(e.kind)}`;
      if (!text(e.message)) return 'error without a message';
      if (e.cause !== undefined && typeof e.cause !== 'string') return 'error cause not text';
      return null;
    case 'notice':
      return typeof e.message === 'string' ? null : 'notice without a message';
    case 'control':
      return CONTROL.has(e.what) ? null : `control what ${String(e.what)}`;
    default:
      return `unknown event type ${String((e as { type?: unknown }).type)}`;
  }
}

/** A book record: prices > 0 and sizes >= 0 (0 removes), finite; integer sequence numbers; text parallel to the levels. */
function bookMalformation(e: BookUpdate): string | null {
  if (e.action !== 'snapshot' && e.action !== 'delta') return `book action ${String(e.action)}`;
  if (!finite(e.time) || !text(e.symbol)) return 'book time or symbol';
  for (const side of ['bids', 'asks'] as const) {
    const levels = e[side];
    if (!Array.isArray(levels)) return `book ${side} not an array`;
    for (const l of levels) if (!Array.isArray(l) || !positive(l[0]) || !finite(l[1]) || l[1] < 0) return `book ${side} level ${JSON.stringify(l)}`;
    if (e.text && e.text[side].length !== levels.length) return `book ${side} text not parallel to the levels`;
  }
  for (const k of ['firstSeq', 'lastSeq', 'prevSeq', 'checksum'] as const) {
    if (e[k] !== undefined && !Number.isInteger(e[k])) return `book ${k} ${String(e[k])}`;
  }
  return null;
}

/** Throws, naming the frame and the bad event, unless `events` is an array of well-formed events. */
export function expectWellFormed(events: unknown, frame: string): void {
  const show = () => (frame.length > 300 ? `${frame.slice(0, 300)}... (${frame.length} chars)` : frame);
  if (!Array.isArray(events)) throw new Error(`parse returned ${typeof events}, not an array, for ${show()}`);
  for (const e of events as ParsedEvent[]) {
    const why = malformation(e);
    if (why !== null) throw new Error(`${why} in ${JSON.stringify(e)} from ${show()}`);
  }
}
