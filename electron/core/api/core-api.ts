/**
 * The transport-agnostic core API: one implementation of the protocol in shared/protocol.ts,
 * attached to any transport that can send a JSON-safe object (Electron MessagePort, WebSocket).
 *
 * Every incoming message passes, in order: the size and shape limits of shared/json-limits.ts
 * (depth, keys, lengths, total size: nothing recursive ever sees a hostile shape), then its
 * command's schema in shared/commands.ts (each venue's strict `options` schema included), then
 * the handler. Any refusal is one reply naming the bad field, is counted (`rejected`), and
 * changes nothing. Feed changes are saved to settings first and applied after, so a settings
 * file that cannot be written leaves the running feeds exactly as they were.
 *
 * Nothing a client sends, and nothing a reply contains, can make receive() or connect() throw:
 * every send is guarded, and receive() never rejects (callers `void` it).
 */
import { ConfigError, formatIssues, parseFeedConfig, type FeedConfig } from '../../../shared/config';
import { alertListSchema, type AlertDef, type AlertFired } from '../../../shared/alerts';
import {
  isCommandName,
  parseCommandArgs,
  type CommandHandlers,
  type CommandName,
  type CommandParsedArgs,
  type CommandResult,
} from '../../../shared/commands';
import { CHANNELS, MARKET_TYPES } from '../../../shared/domain';
import { checkJsonValue, COMMAND_LIMITS, parseJsonLimited } from '../../../shared/json-limits';
import type { HelloMessage, ReplyMessage, ServerMessage, VenueInfo } from '../../../shared/protocol';
import { NATS_SOURCE, REPLAY_SOURCE } from '../../../shared/venues';
import type { VenueAdapter } from '../adapters/adapter';
import { listAdapters } from '../adapters/index';
import type { Pipeline } from '../pipeline/pipeline';
import { exportCsv } from '../export/csv-export';
import { describeCause, WHOLE_MESSAGE_CHARS } from '../util/errors';

export interface Transport {
  send(msg: ServerMessage): void;
  /** False while the transport still has a backlog: the publisher conflates instead of queueing. */
  ready(): boolean;
}

export interface CoreApiOptions {
  timeframes: string[];
  /**
   * Persists the feed list a change is about to produce. Called BEFORE the change is applied: if
   * it rejects, the change is refused and the running feeds stay as they are.
   */
  onFeedsChanged?: (feeds: FeedConfig[]) => Promise<void>;
  /** Shown to every UI that connects (e.g. "settings file was corrupt: defaults in use"). */
  notices?: string[];
  /** The alerts the pipeline started with (settings or a --config file). */
  alerts?: AlertDef[];
  /** Persists the alert list a change is about to produce; called BEFORE it is applied, as onFeedsChanged. */
  onAlertsChanged?: (alerts: AlertDef[]) => Promise<void>;
}

/** Fired alerts the core remembers for a window that connects (or reloads) later. */
const ALERT_LOG_SIZE = 200;

export interface ApiSession {
  /** Takes a parsed message, or JSON text (then size and depth are checked before parsing). Never rejects. */
  receive(raw: unknown): Promise<void>;
  close(): void;
}

/** Why a change could not be saved: the client's input was fine, so it is not counted as rejected. */
class PersistError extends Error {}

export class CoreApi {
  private readonly handlers: CommandHandlers;
  /** Every connected UI: each one is told when the feed list changes. */
  private readonly transports = new Set<Transport>();
  /** Messages refused as bad input (limits, schema, unknown command or feed, replay path). */
  rejected = 0;
  /** Feed changes run one at a time: each one's save-then-apply sees the result of the last. */
  private feedChanges: Promise<unknown> = Promise.resolve();
  /** The alert list (what the pipeline evaluates); changed one at a time, saved first. */
  private alerts: AlertDef[];
  private alertChanges: Promise<unknown> = Promise.resolve();
  /** The latest fired alerts, oldest first. */
  private readonly alertLog: AlertFired[] = [];

  constructor(
    private readonly pipeline: Pipeline,
    private readonly opts: CoreApiOptions,
  ) {
    this.alerts = opts.alerts ?? [];
    pipeline.onAlert((a) => this.alertFired(a));
    const existing = (id: string): FeedConfig => {
      const cfg = pipeline.listFeeds().find((f) => f.id === id);
      if (!cfg) throw new ConfigError(`id: no feed "${id}"`);
      return cfg;
    };
    this.handlers = {
      listFeeds: () => pipeline.listFeeds(),
      addFeed: (args) =>
        this.changeFeeds(async () => {
          const cfg = parseFeedConfig({ ...args, id: args.id ?? this.freeId(args) });
          if (pipeline.hasFeed(cfg.id)) throw new ConfigError(`id: a feed "${cfg.id}" already exists`);
          await this.preflight(cfg);
          await this.saveThenApply([...pipeline.listFeeds(), cfg], () => pipeline.addFeed(cfg));
          return cfg;
        }),
      updateFeed: (args) =>
        this.changeFeeds(async () => {
          const cfg = parseFeedConfig(args);
          existing(cfg.id);
          await this.preflight(cfg);
          await this.saveThenApply(pipeline.listFeeds().map((f) => (f.id === cfg.id ? cfg : f)), () => pipeline.updateFeed(cfg));
          return cfg;
        }),
      removeFeed: ({ id }) =>
        this.changeFeeds(async () => {
          existing(id);
          await this.saveThenApply(pipeline.listFeeds().filter((f) => f.id !== id), () => pipeline.removeFeed(id));
          return { id };
        }),
      setFeedEnabled: ({ id, enabled }) =>
        this.changeFeeds(async () => {
          const cfg = { ...existing(id), enabled };
          await this.saveThenApply(pipeline.listFeeds().map((f) => (f.id === id ? cfg : f)), () => pipeline.updateFeed(cfg));
          return { id, enabled };
        }),
      searchMarkets: (args) => pipeline.searchMarkets(args),
      // Store first (committed history, paged by `before`), merged with the in-memory bars.
      getBars: (q) => {
        // Store and memory answer now. The first page opens the series: a REST top-up (once per
        // series, none for the composite) arrives later through the stream (Pipeline.openSeries).
        if (q.before === undefined) pipeline.openSeries(q);
        return pipeline.bars(q);
      },
      getHealth: () => pipeline.health(),
      marketStats: ({ markets }) => pipeline.marketStats(markets, this.opts.timeframes),
      exportCsv: (args) => exportCsv(args, { bars: (q) => pipeline.bars(q), recordingsDir: pipeline.recordingsDir() }),
      listAlerts: () => ({ alerts: this.alerts, log: [...this.alertLog] }),
      saveAlert: (def) =>
        this.changeAlerts((list) => {
          const i = list.findIndex((a) => a.id === def.id);
          return i < 0 ? [...list, def] : list.map((a) => (a.id === def.id ? def : a));
        }).then(() => def),
      removeAlert: ({ id }) =>
        this.changeAlerts((list) => {
          if (!list.some((a) => a.id === id)) throw new ConfigError(`id: no alert "${id}"`);
          return list.filter((a) => a.id !== id);
        }).then(() => ({ id })),
      simulatorFault: ({ feedId, mode, arg }) => {
        const sim = pipeline.simulatorFor(feedId);
        if (!sim) throw new ConfigError(`feedId: "${feedId}" is not a running built-in simulator feed`);
        sim.fault(mode, arg);
        return { ok: true };
      },
      watchCompositeBook: ({ market, symbol, group }) => {
        pipeline.watchCompositeBook(market, symbol, group);
        return { ok: true };
      },
      watchBookDepth: ({ exchange, market, symbol, group, levels }) => {
        pipeline.watchBookDepth({ exchange, market, symbol }, group, levels);
        return { ok: true };
      },
    } satisfies CommandHandlers;
  }

  /** The first message of every connection. Never throws: on any failure, a hello with no feeds and a notice saying why. */
  hello(): HelloMessage {
    try {
      return {
        type: 'hello',
        protocol: 1,
        feeds: this.pipeline.listFeeds(),
        timeframes: this.opts.timeframes,
        venues: [...listAdapters().map(venueInfo), REPLAY_VENUE_INFO, NATS_VENUE_INFO],
        notices: [...(this.opts.notices ?? []), ...this.pipeline.notices()],
        alerts: this.alerts,
        alertLog: [...this.alertLog],
      };
    } catch (e) {
      return this.fallbackHello(e);
    }
  }

  private fallbackHello(e: unknown): HelloMessage {
    return {
      type: 'hello',
      protocol: 1,
      feeds: [],
      timeframes: [...this.opts.timeframes],
      venues: [],
      notices: [`The core could not describe its feeds to this window (${describeCause(e, WHOLE_MESSAGE_CHARS)}). Reload to try again.`],
    };
  }

  /** Attaches a transport: it gets the hello, then every publisher batch, and may send commands. */
  connect(transport: Transport): ApiSession {
    if (!trySend(transport, this.hello())) trySend(transport, this.fallbackHello(new Error('the feed list could not be serialised')));
    const unsubscribe = this.pipeline.subscribe({
      send: (batch) => transport.send(batch),
      ready: () => transport.ready(),
    });
    this.transports.add(transport);
    return {
      receive: (raw) => this.receive(raw, transport).catch(() => undefined),
      close: () => {
        this.transports.delete(transport);
        unsubscribe();
      },
    };
  }

  private async receive(raw: unknown, transport: Transport): Promise<void> {
    let id = -1;
    const reply = (r: Omit<ReplyMessage, 'type' | 'id'>) => {
      if (trySend(transport, { type: 'reply', id, ...r })) return;
      // The result could not be serialised (or the transport failed): say so instead.
      trySend(transport, { type: 'reply', id, ok: false, error: 'the reply could not be sent (its result is not serialisable)' });
    };
    const refuse = (error: string) => {
      this.rejected++;
      reply({ ok: false, error });
    };
    let value = raw;
    if (typeof raw === 'string') {
      try {
        value = parseJsonLimited(raw, COMMAND_LIMITS);
      } catch (e) {
        return refuse(`malformed message: ${describeCause(e, WHOLE_MESSAGE_CHARS)}`);
      }
    }
    // Limits before anything else reads the message: depth, keys, lengths, total size.
    const breach = checkJsonValue(value, COMMAND_LIMITS);
    const msg = value as { type?: unknown; id?: unknown; name?: unknown; args?: unknown } | null;
    if (msg && typeof msg === 'object' && typeof msg.id === 'number' && Number.isInteger(msg.id) && msg.id >= 0) id = msg.id;
    if (breach) return refuse(`${breach.path}: ${breach.message}`);
    if (!msg || typeof msg !== 'object' || msg.type !== 'command' || id < 0 || typeof msg.name !== 'string') {
      return refuse('malformed message: expected {type:"command", id:<integer>, name, args}');
    }
    if (!isCommandName(msg.name)) return refuse(`unknown command "${msg.name.slice(0, 64)}"`);
    const parsed = parseCommandArgs(msg.name, msg.args);
    if (!parsed.success) return refuse(formatIssues(parsed.error));
    try {
      const result = await this.run(msg.name, parsed.data);
      reply({ ok: true, result });
    } catch (e) {
      if (e instanceof ConfigError) this.rejected++;
      reply({ ok: false, error: describeCause(e, WHOLE_MESSAGE_CHARS) });
    }
  }

  /** One command's handler, with the arguments its own schema produced (`name` is the same on both sides). */
  private run<N extends CommandName>(name: N, args: CommandParsedArgs<N>): CommandResult<N> | Promise<CommandResult<N>> {
    return this.handlers[name](args);
  }

  /**
   * Runs one feed change after the previous one finished (whatever its outcome). When it
   * succeeds, every connected UI gets the new list, before the reply to the one that asked.
   */
  private changeFeeds<T>(change: () => Promise<T>): Promise<T> {
    const run = this.feedChanges.then(change, change).then((result) => {
      this.pushFeeds();
      return result;
    });
    this.feedChanges = run.catch(() => undefined);
    return run;
  }

  /**
   * One alert-list change after the previous one: the new list is checked as a whole (at most
   * MAX_ALERTS), saved, then handed to the pipeline and pushed to every UI.
   */
  private changeAlerts(next: (list: AlertDef[]) => AlertDef[]): Promise<void> {
    const change = async () => {
      const parsed = alertListSchema.safeParse(next(this.alerts));
      if (!parsed.success) throw new ConfigError(`alerts${formatIssues(parsed.error)}`);
      try {
        await this.opts.onAlertsChanged?.(parsed.data);
      } catch (e) {
        throw new PersistError(`the settings could not be saved, so nothing was changed: ${describeCause(e, WHOLE_MESSAGE_CHARS)}`);
      }
      this.alerts = parsed.data;
      this.pipeline.setAlerts(this.alerts);
      for (const t of this.transports) trySend(t, { type: 'alerts', alerts: this.alerts });
    };
    const run = this.alertChanges.then(change, change);
    this.alertChanges = run.catch(() => undefined);
    return run;
  }

  /**
   * An alert fired (inside the ingest loop): logged and sent to every UI at once. A once-only alert
   * is then switched off in the settings, so it does not fire again after a restart.
   */
  private alertFired(a: AlertFired): void {
    this.alertLog.push(a);
    if (this.alertLog.length > ALERT_LOG_SIZE) this.alertLog.shift();
    for (const t of this.transports) trySend(t, a);
    const def = this.alerts.find((d) => d.id === a.id);
    if (def && !def.repeat) {
      void this.changeAlerts((list) => list.map((d) => (d.id === a.id && !d.repeat ? { ...d, enabled: false } : d))).catch(() => undefined);
    }
  }

  private pushFeeds(): void {
    let feeds: FeedConfig[];
    try {
      feeds = this.pipeline.listFeeds();
    } catch {
      return; // the change itself succeeded: its reply must still go out
    }
    for (const t of this.transports) trySend(t, { type: 'feeds', feeds });
  }

  /** Checks that need the file system (a replay file's location); a refusal names the field. */
  private async preflight(cfg: FeedConfig): Promise<void> {
    try {
      await this.pipeline.checkFeed(cfg);
    } catch (e) {
      throw new ConfigError(describeCause(e, WHOLE_MESSAGE_CHARS));
    }
  }

  private freeId(feed: { exchange: string; market: string }): string {
    const base = `${feed.exchange}-${feed.market}`;
    const used = new Set(this.pipeline.listFeeds().map((f) => f.id));
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  /**
   * Saves the feed list a change will produce, then applies the change. A failed save refuses it
   * (nothing runs that the settings do not hold); should applying fail after a good save, the
   * previous list is saved back, so disk and memory still agree.
   */
  private async saveThenApply(next: FeedConfig[], apply: () => Promise<void>): Promise<void> {
    const before = this.pipeline.listFeeds();
    try {
      await this.opts.onFeedsChanged?.(next);
    } catch (e) {
      throw new PersistError(`the settings could not be saved, so nothing was changed: ${describeCause(e, WHOLE_MESSAGE_CHARS)}`);
    }
    try {
      await apply();
    } catch (e) {
      await this.opts.onFeedsChanged?.(before).catch(() => undefined);
      throw e;
    }
  }
}

/** A venue as the feed editor lists it. */
function venueInfo(a: VenueAdapter): VenueInfo {
  return {
    id: a.id,
    name: a.displayName,
    marketTypes: [...a.marketTypes],
    channels: Object.fromEntries(Object.entries(a.channels).map(([k, v]) => [k, [...(v ?? [])]])),
  };
}

/**
 * The replay feed source, listed after the venues. It has no adapter: a replay feed parses its
 * recording with the recorded venue's own adapter, so any market type and channel may appear.
 */
const REPLAY_VENUE_INFO: VenueInfo = {
  id: REPLAY_SOURCE,
  name: 'Replay (recording)',
  marketTypes: [...MARKET_TYPES],
  channels: { spot: [...CHANNELS], perp: [...CHANNELS] },
};

/**
 * A shared ingest node over NATS JetStream (README "A shared ingest node"), listed last: its
 * records keep their upstream venue, so any market type and channel may arrive. Its URL and
 * options.sources come from settings.json or a --config file; the form keeps options when editing.
 */
const NATS_VENUE_INFO: VenueInfo = {
  id: NATS_SOURCE,
  name: 'Shared ingest node (NATS)',
  marketTypes: [...MARKET_TYPES],
  channels: { spot: [...CHANNELS], perp: [...CHANNELS] },
};

/** Sends, reporting failure instead of throwing (a value that cannot be serialised, a closed port). */
function trySend(transport: Transport, msg: ServerMessage): boolean {
  try {
    transport.send(msg);
    return true;
  } catch {
    return false;
  }
}
