/**
 * The desktop's side of a shared ingest node: one durable JetStream consumer per upstream source
 * (`binance:spot` -> subjects `<prefix>.*.binance.spot.>`), so a client that was closed replays
 * what it missed, from where it stopped, when it returns. (One consumer per source, not one with
 * several filter subjects: that needs nats-server 2.10, and Debian 12 ships 2.9.)
 *
 * Each message's records are handed on synchronously, then the message is acknowledged. A message
 * delivered again whose stream sequence was already handed (the ack was lost) is acknowledged and
 * skipped, so nothing reaches ingest twice within a run.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerInfo, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { openNats, redact, secretsOf, type NatsCredentials } from './connect';
import { decodeBatch, DEFAULT_PREFIX, DEFAULT_STREAM, recordTime, sourceFilter, type ScaleoutRecord } from './subjects';

const RETRY_MS = 1_000;
/** Unacknowledged messages the server may hand this client at once (also the pull batch). */
const MAX_ACK_PENDING = 1_000;

export interface NatsConsumerOptions {
  url: string;
  credentials?: NatsCredentials;
  tls?: boolean;
  stream?: string;
  subjectPrefix?: string;
  /** `<venue>:<market>` each. */
  sources: string[];
  /** Base of the durable consumer names (one per source): stable per client, so it resumes. */
  durable: string;
  /** The records of one message, in order; called synchronously before the message is acked. */
  onRecords(records: ScaleoutRecord[], source: string): void;
  onConnection?(connected: boolean, cause: string): void;
}

interface SourceState {
  source: string;
  durable: string;
  /** Stream messages not yet delivered to this consumer (from the last message or consumer info). */
  pending: number | null;
  /** Highest stream sequence handed on in this run. */
  lastSeq: number;
  /** Record time of the last record handed on (bars close by it while catching up). */
  lastTime: number | null;
}

export interface NatsConsumerStats {
  connected: boolean;
  pending: number;
  redelivered: number;
  messages: number;
  badLines: number;
  lastError: string | null;
}

export class NatsConsumer {
  private nc: NatsConnection | null = null;
  private stopped = false;
  private paused = false;
  private resume: (() => void) | null = null;
  private readonly sources: SourceState[];
  private readonly bad = { lines: 0 };
  private connected = false;
  private redelivered = 0;
  private messages = 0;
  private lastError: string | null = null;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly o: NatsConsumerOptions) {
    this.sources = o.sources.map((source) => ({
      source,
      durable: `${o.durable}_${source.replace(/[^A-Za-z0-9_-]/g, '_')}`,
      pending: null,
      lastSeq: 0,
      lastTime: null,
    }));
  }

  /** Connects (waiting for the server if it is not up yet) and starts one consume loop per source. */
  start(): void {
    void this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resume?.();
    await this.nc?.close().catch(() => undefined);
    await Promise.allSettled(this.loops);
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.resume?.();
  }

  stats(): NatsConsumerStats {
    let pending = 0;
    for (const s of this.sources) pending += s.pending ?? 0;
    return { connected: this.connected, pending, redelivered: this.redelivered, messages: this.messages, badLines: this.bad.lines, lastError: this.lastError };
  }

  /**
   * The record time the subscription has reached while it catches up (the oldest over sources
   * with messages still pending); null once every source is caught up (then bars close by the clock).
   */
  horizon(): number | null {
    let h: number | null = null;
    for (const s of this.sources) {
      if (s.pending === 0) continue;
      h = Math.min(h ?? Infinity, s.lastTime ?? 0);
    }
    return h;
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.nc) {
      try {
        this.nc = await openNats({ url: this.o.url, credentials: this.o.credentials, tls: this.o.tls, name: `tickscope-${this.o.durable}` });
      } catch (e) {
        this.fail(e);
        await sleep(RETRY_MS);
      }
    }
    if (this.stopped || !this.nc) return;
    this.setConnected(true, 'connected');
    void this.watchStatus(this.nc);
    for (const s of this.sources) this.loops.push(this.consumeLoop(this.nc, s));
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const st of nc.status()) {
      if (st.type === 'disconnect') this.setConnected(false, 'NATS connection lost; reconnecting');
      if (st.type === 'reconnect') this.setConnected(true, 'NATS reconnected');
    }
  }

  private setConnected(connected: boolean, cause: string): void {
    if (this.connected === connected) return;
    this.connected = connected;
    if (!this.stopped) this.o.onConnection?.(connected, cause);
  }

  private async consumeLoop(nc: NatsConnection, s: SourceState): Promise<void> {
    const stream = this.o.stream ?? DEFAULT_STREAM;
    while (!this.stopped) {
      try {
        const info = await this.ensureConsumer(await jetstreamManager(nc), stream, s);
        s.pending = info.num_pending + info.num_ack_pending;
        const consumer = await jetstream(nc).consumers.get(stream, s.durable);
        const messages = await consumer.consume({ max_messages: MAX_ACK_PENDING });
        for await (const m of messages) {
          while (this.paused && !this.stopped) await new Promise<void>((r) => (this.resume = r));
          if (this.stopped) break;
          this.handle(m, s);
        }
      } catch (e) {
        if (this.stopped) return;
        this.fail(e);
      }
      if (!this.stopped) await sleep(RETRY_MS);
    }
  }

  /**
   * Creates the durable consumer, or takes it over as the last run left it. Messages that run had
   * been sent but not acknowledged (it stopped or died with them buffered) would come again only
   * after the ack wait (30 s); its acks are in order, so the consumer is made anew from just after
   * its ack floor instead: the client resumes at once, with nothing lost and nothing twice.
   */
  private async ensureConsumer(jsm: JetStreamManager, stream: string, s: SourceState): Promise<ConsumerInfo> {
    const config = {
      durable_name: s.durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: sourceFilter(this.o.subjectPrefix ?? DEFAULT_PREFIX, s.source),
      max_ack_pending: MAX_ACK_PENDING,
      ack_wait: 30_000_000_000,
    };
    const existing = await jsm.consumers.info(stream, s.durable).catch(() => null);
    if (existing && existing.num_ack_pending > 0 && s.lastSeq === 0) {
      const from = existing.ack_floor.stream_seq + 1;
      await jsm.consumers.delete(stream, s.durable);
      return jsm.consumers.add(stream, { ...config, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from });
    }
    if (existing) return existing;
    return jsm.consumers.add(stream, { ...config, deliver_policy: DeliverPolicy.All });
  }

  private handle(m: JsMsg, s: SourceState): void {
    this.messages++;
    s.pending = m.info.pending;
    if (m.redelivered) this.redelivered++;
    const seq = m.info.streamSequence;
    if (seq > s.lastSeq) {
      const records = decodeBatch(m.string(), this.bad);
      if (records.length > 0) {
        s.lastTime = recordTime(records[records.length - 1]!);
        this.o.onRecords(records, s.source);
      }
      s.lastSeq = seq;
    }
    m.ack();
  }

  private fail(e: unknown): void {
    this.lastError = redact(e instanceof Error ? e.message : String(e), secretsOf(this.o.credentials));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
