/**
 * The ingest node's side: every record the pipeline produces goes to a JetStream stream, batched
 * per subject (README "A shared ingest node").
 *
 * Batching is content-driven so that two publishers fed the same records cut the same batches:
 * a subject's batch holds records of one time window (WINDOW_MS of record time) and at most
 * MAX_RECORDS; a record of a later window, or a full batch, closes it. A batch that saw no record
 * for a tick of the flush timer (MAX_WAIT_MS / 2, so within MAX_WAIT_MS) is flushed by it. Each
 * message's Nats-Msg-Id hashes its records (subjects.ts batchId), so a retry, a restart
 * re-sending, or a hot standby is deduplicated by the stream.
 *
 * While the server is away (restart, network), batches wait in bounded queues (maxBufferBytes);
 * beyond it the oldest are dropped and counted (stats().droppedRecords, the headless summary).
 */
import { jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { openNats, redact, secretsOf, type NatsCredentials } from './connect';
import {
  batchId, DEFAULT_DUPLICATE_WINDOW_MS, DEFAULT_MAX_AGE_MS, DEFAULT_MAX_BYTES, DEFAULT_PREFIX, DEFAULT_STREAM,
  encodeBatch, recordTime, subjectOf, type ScaleoutRecord,
} from './subjects';

const WINDOW_MS = 100;
const MAX_RECORDS = 1000;
const MAX_WAIT_MS = 200;
/** Publishes awaiting their ack at once, in all and per subject: enough to hide the round trip. */
const MAX_IN_FLIGHT = 64;
const PER_SUBJECT = 16;
const RETRY_MS = 500;

export interface NatsPublisherOptions {
  url: string;
  credentials?: NatsCredentials;
  tls?: boolean;
  stream?: string;
  subjectPrefix?: string;
  maxAgeMs?: number;
  maxBytes?: number;
  duplicateWindowMs?: number;
  /** Bytes of unacknowledged batches kept while NATS is unreachable. Default 256 MiB. */
  maxBufferBytes?: number;
  /** Errors (redacted) for stderr; never carries a credential. */
  onError?: (text: string) => void;
}

interface Pending {
  window: number;
  records: ScaleoutRecord[];
  /** A record came since the flush timer's last look (a batch quiet for a whole tick is flushed). */
  touched: boolean;
}

interface SubjectQueue {
  /** Oldest first; items[0 .. sent-1] were sent and await their ack (or failed). */
  items: Outgoing[];
  sent: number;
  inFlight: number;
  /** A publish failed: no more sending until its publishes settled and the retry pause passed. */
  failed: boolean;
}

interface Outgoing {
  /** Order of sealing (the oldest batch is dropped first when the buffer is full). */
  seq: number;
  acked?: boolean;
  subject: string;
  data: string;
  msgId: string;
  count: number;
}

export interface NatsPublisherStats {
  connected: boolean;
  /** Records handed to the publisher. */
  records: number;
  /** Messages the stream acknowledged (new) and those it reported as duplicates (retry, standby). */
  published: number;
  duplicates: number;
  /** Records acknowledged by the stream, in new messages. */
  publishedRecords: number;
  /** Records dropped because NATS was away longer than the buffer lasts. */
  droppedRecords: number;
  /** Records waiting (batching, in the buffer or in flight). */
  bufferedRecords: number;
  bufferedBytes: number;
  /** Mean records per published message. */
  batchSize: number;
  retries: number;
  lastError: string | null;
}

export class NatsPublisher {
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private readonly stream: string;
  private readonly prefix: string;
  private readonly pending = new Map<string, Pending>();
  /** Sealed batches per subject, oldest first (see SubjectQueue). */
  private readonly queues = new Map<string, SubjectQueue>();
  private queued = 0;
  private queuedBytes = 0;
  private sealed = 0;
  private lastKey = { type: '', exchange: '', market: '', last: '', subject: '' };
  private inFlight = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private idle: (() => void)[] = [];
  private readonly s: NatsPublisherStats = {
    connected: false, records: 0, published: 0, duplicates: 0, publishedRecords: 0, droppedRecords: 0,
    bufferedRecords: 0, bufferedBytes: 0, batchSize: 0, retries: 0, lastError: null,
  };

  constructor(private readonly o: NatsPublisherOptions) {
    this.stream = o.stream ?? DEFAULT_STREAM;
    this.prefix = o.subjectPrefix ?? DEFAULT_PREFIX;
  }

  /** Connects and creates (or updates) the stream; rejects when the server cannot be reached or refuses. */
  async start(): Promise<void> {
    this.nc = await openNats({ url: this.o.url, credentials: this.o.credentials, tls: this.o.tls, name: 'tickscope-publisher' });
    this.s.connected = true;
    void this.watchStatus(this.nc);
    await this.ensureStream();
    this.js = jetstream(this.nc);
    this.flushTimer = setInterval(() => this.flushQuiet(), MAX_WAIT_MS / 2);
    this.flushTimer.unref();
  }

  /** The record tap: cheap, synchronous, never throws into the pipeline. */
  readonly publish = (r: ScaleoutRecord): void => {
    if (this.closed) return;
    this.s.records++;
    const subject = this.subjectOf(r);
    const window = Math.floor(recordTime(r) / WINDOW_MS);
    let p = this.pending.get(subject);
    if (p && p.window !== window) {
      this.seal(subject, p);
      p = undefined;
    }
    if (!p) {
      p = { window, records: [], touched: true };
      this.pending.set(subject, p);
    }
    p.records.push(r);
    p.touched = true;
    if (p.records.length >= MAX_RECORDS) this.seal(subject, p);
  };

  /** Records come in runs of one market: the previous record's subject is reused (no string work). */
  private subjectOf(r: ScaleoutRecord): string {
    const last = r.type === 'status' || r.type === 'gap' ? r.feedId : r.symbol;
    const k = this.lastKey;
    if (k.type === r.type && k.exchange === r.exchange && k.market === r.market && k.last === last) return k.subject;
    const subject = subjectOf(this.prefix, r);
    this.lastKey = { type: r.type, exchange: r.exchange, market: r.market, last, subject };
    return subject;
  }

  stats(): NatsPublisherStats {
    let batching = 0;
    for (const p of this.pending.values()) batching += p.records.length;
    let queued = 0;
    for (const q of this.queues.values()) for (const m of q.items) queued += m.count;
    return {
      ...this.s,
      bufferedRecords: batching + queued,
      bufferedBytes: this.queuedBytes,
      batchSize: this.s.published > 0 ? Math.round((this.s.publishedRecords / this.s.published) * 10) / 10 : 0,
    };
  }

  /** Flushes every batch and waits (at most deadlineMs) for the stream to acknowledge them, then closes. */
  async close(deadlineMs = 5_000): Promise<void> {
    for (const [subject, p] of this.pending) this.seal(subject, p);
    this.pump();
    if (this.queued > 0 || this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((r) => this.idle.push(r)),
        new Promise<void>((r) => setTimeout(r, deadlineMs).unref()),
      ]);
    }
    this.closed = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.nc?.close().catch(() => undefined);
  }

  private async ensureStream(): Promise<void> {
    const jsm = await jetstreamManager(this.nc!);
    const config = {
      name: this.stream,
      subjects: [`${this.prefix}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(this.o.maxAgeMs ?? DEFAULT_MAX_AGE_MS),
      max_bytes: this.o.maxBytes ?? DEFAULT_MAX_BYTES,
      duplicate_window: nanos(this.o.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
    };
    try {
      await jsm.streams.info(this.stream);
      await jsm.streams.update(this.stream, config);
    } catch (e) {
      if (!/not found/i.test((e as Error).message)) throw new Error(this.redacted(e));
      await jsm.streams.add(config);
    }
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const st of nc.status()) {
      if (st.type === 'disconnect') {
        this.s.connected = false;
        // Publishes written to the lost socket may never be answered: until they settle (ack or
        // timeout), their subjects send nothing newer, which could land in the stream before them.
        for (const q of this.queues.values()) if (q.inFlight > 0) q.failed = true;
      }
      if (st.type === 'reconnect') {
        this.s.connected = true;
        this.pump();
      }
    }
  }

  private flushQuiet(): void {
    for (const [subject, p] of this.pending) {
      if (p.touched) p.touched = false;
      else this.seal(subject, p);
    }
    this.pump();
  }

  /** A batch is complete: it joins its subject's queue (dropping the oldest when the buffer is full). */
  private seal(subject: string, p: Pending): void {
    this.pending.delete(subject);
    if (p.records.length === 0) return;
    const data = encodeBatch(p.records);
    let q = this.queues.get(subject);
    if (!q) this.queues.set(subject, (q = { items: [], sent: 0, inFlight: 0, failed: false }));
    q.items.push({ seq: ++this.sealed, subject, data, msgId: batchId(subject, p.window, p.records), count: p.records.length });
    this.queued++;
    this.queuedBytes += data.length;
    const max = this.o.maxBufferBytes ?? 256 * 1024 * 1024;
    while (this.queuedBytes > max && this.dropOldest());
    this.pump();
  }

  /** Drops the oldest batch not sent yet; false when there is none. */
  private dropOldest(): boolean {
    let oldest: SubjectQueue | null = null;
    for (const q of this.queues.values()) {
      const candidate = q.items[q.sent];
      if (candidate && (!oldest || candidate.seq < oldest.items[oldest.sent]!.seq)) oldest = q;
    }
    if (!oldest) return false;
    const [dropped] = oldest.items.splice(oldest.sent, 1);
    this.queued--;
    this.queuedBytes -= dropped!.data.length;
    this.s.droppedRecords += dropped!.count;
    return true;
  }

  /**
   * Sends each subject's batches in order, up to PER_SUBJECT awaiting their ack per subject and
   * MAX_IN_FLIGHT in all (the round trip is hidden, not paid per batch). Nothing is sent while
   * the connection is down, so nothing queues inside the client to overtake a batch lost with the
   * old socket. When a publish fails, its subject stops sending until all its publishes settled,
   * then (after RETRY_MS) sends again every batch not acknowledged, in order: their Nats-Msg-Ids
   * make that safe for the ones that did reach the stream.
   */
  private pump(): void {
    if (!this.js || this.closed || this.retryTimer || !this.s.connected) return;
    for (const q of this.queues.values()) {
      while (!q.failed && q.sent < q.items.length && q.inFlight < PER_SUBJECT && this.inFlight < MAX_IN_FLIGHT) {
        this.send(q, q.items[q.sent++]!);
      }
      if (this.inFlight >= MAX_IN_FLIGHT) break;
    }
  }

  private send(q: SubjectQueue, m: Outgoing): void {
    q.inFlight++;
    this.inFlight++;
    this.js!.publish(m.subject, m.data, { msgID: m.msgId, timeout: 2_000 }).then(
      (ack) => {
        q.inFlight--;
        this.inFlight--;
        m.acked = true;
        if (ack.duplicate) this.s.duplicates++;
        else {
          this.s.published++;
          this.s.publishedRecords += m.count;
        }
        this.dropAcked(q);
        this.afterSettle(q);
      },
      (e: unknown) => {
        q.inFlight--;
        this.inFlight--;
        q.failed = true;
        this.s.retries++;
        this.s.lastError = this.redacted(e);
        this.o.onError?.(`publish ${m.subject}: ${this.s.lastError}`);
        this.afterSettle(q);
      },
    );
  }

  /** Acknowledged batches leave the head of their queue. */
  private dropAcked(q: SubjectQueue): void {
    while (q.items[0]?.acked && q.sent > 0) {
      const m = q.items.shift()!;
      q.sent--;
      this.queued--;
      this.queuedBytes -= m.data.length;
    }
  }

  private afterSettle(q: SubjectQueue): void {
    if (this.closed) return this.settled();
    if (q.failed && q.inFlight === 0) {
      this.retryTimer ??= setTimeout(() => this.retry(), RETRY_MS);
      return;
    }
    this.pump();
    this.settled();
  }

  /** Every failed subject whose publishes all settled sends again from its oldest unacknowledged batch. */
  private retry(): void {
    this.retryTimer = null;
    for (const q of this.queues.values()) {
      if (!q.failed || q.inFlight > 0) continue;
      // Acked batches behind a failed one were stored already: they are not sent again.
      const kept = q.items.filter((m) => !m.acked);
      for (const m of q.items) if (m.acked) this.queuedBytes -= m.data.length;
      this.queued -= q.items.length - kept.length;
      q.items = kept;
      q.sent = 0;
      q.failed = false;
    }
    // A server restarted without its store has no stream: create it again first.
    if (/no responders|stream not found|jetstream is not enabled/i.test(this.s.lastError ?? '')) this.ensureStream().then(() => this.pump(), () => this.pump());
    else this.pump();
  }

  private settled(): void {
    if ((this.queued === 0 || this.closed) && this.inFlight === 0) for (const r of this.idle.splice(0)) r();
  }

  private redacted(e: unknown): string {
    return redact(e instanceof Error ? e.message : String(e), secretsOf(this.o.credentials));
  }
}
