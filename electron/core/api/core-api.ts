/**
 * The transport-agnostic core API: one implementation of the protocol in shared/protocol.ts,
 * attached to any transport that can send a JSON-safe object (Electron MessagePort, WebSocket).
 * Every incoming message is checked against shared/commands.ts before it touches the pipeline;
 * a bad payload gets a reply naming the bad field and changes nothing.
 */
import { formatIssues, parseFeedConfig, type FeedConfig } from '../../../shared/config';
import { commandSchemas, isCommandName, type CommandName } from '../../../shared/commands';
import type { HelloMessage, ReplyMessage, ServerMessage, VenueInfo } from '../../../shared/protocol';
import { listAdapters } from '../adapters/index';
import type { Pipeline } from '../pipeline/pipeline';
import { exportCsv, type ExportRequest } from '../store/export';

export interface Transport {
  send(msg: ServerMessage): void;
  /** False while the transport still has a backlog: the publisher conflates instead of queueing. */
  ready(): boolean;
}

export interface CoreApiOptions {
  timeframes: string[];
  /** Called after every change of the feed list, to persist it. */
  onFeedsChanged?: (feeds: FeedConfig[]) => Promise<void>;
  /** Shown to every UI that connects (e.g. "settings file was corrupt: defaults in use"). */
  notices?: string[];
}

export interface ApiSession {
  receive(raw: unknown): Promise<void>;
  close(): void;
}

type Handler = (args: unknown) => Promise<unknown> | unknown;

export class CoreApi {
  private readonly handlers: Record<CommandName, Handler>;
  rejected = 0;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly opts: CoreApiOptions,
  ) {
    const feeds = pipeline.feeds;
    this.handlers = {
      listFeeds: () => feeds.configs(),
      addFeed: async (args) => {
        const cfg = parseFeedConfig({ ...(args as object), id: (args as { id?: string }).id ?? this.freeId(args) });
        await feeds.add(cfg);
        await this.persist();
        return cfg;
      },
      updateFeed: async (args) => {
        const cfg = parseFeedConfig(args);
        if (!feeds.has(cfg.id)) throw new Error(`id: no feed "${cfg.id}"`);
        await feeds.update(cfg);
        await this.persist();
        return cfg;
      },
      removeFeed: async (args) => {
        const { id } = args as { id: string };
        if (!feeds.has(id)) throw new Error(`id: no feed "${id}"`);
        await feeds.remove(id);
        await this.persist();
        return { id };
      },
      setFeedEnabled: async (args) => {
        const { id, enabled } = args as { id: string; enabled: boolean };
        const cfg = feeds.configs().find((f) => f.id === id);
        if (!cfg) throw new Error(`id: no feed "${id}"`);
        await feeds.update({ ...cfg, enabled });
        await this.persist();
        return { id, enabled };
      },
      searchMarkets: (args) => feeds.searchMarkets(args as { exchange: string; market: 'spot' | 'perp'; query: string }),
      // Store first (committed history, paged by `before`), merged with the in-memory bars.
      getBars: (args) => {
        const q = args as { exchange: string; market: 'spot' | 'perp'; symbol: string; tf: string; limit?: number; before?: number };
        // Store and memory answer now; a REST top-up (once per series) arrives through the stream.
        if (q.before === undefined && q.exchange !== '*') pipeline.history.chartOpened(q);
        return pipeline.bars(q);
      },
      getHealth: () => pipeline.health(),
      exportCsv: (args) =>
        exportCsv(args as ExportRequest, { bars: (q) => pipeline.bars(q), recordingsDir: feeds.recordingsDir() }),
      simulatorFault: (args) => {
        const a = args as { feedId: string; mode: 'drop' | 'stall' | 'malformed'; arg?: number };
        const sim = feeds.simulatorFor(a.feedId);
        if (!sim) throw new Error(`feedId: "${a.feedId}" is not a running built-in simulator feed`);
        sim.fault(a.mode, a.arg);
        return { ok: true };
      },
    };
  }

  hello(): HelloMessage {
    return {
      type: 'hello',
      protocol: 1,
      feeds: this.pipeline.feeds.configs(),
      timeframes: this.opts.timeframes,
      venues: listAdapters().map(
        (a): VenueInfo => ({
          id: a.id,
          name: a.displayName,
          marketTypes: [...a.marketTypes],
          channels: Object.fromEntries(Object.entries(a.channels).map(([k, v]) => [k, [...(v ?? [])]])),
        }),
      ),
      notices: [...(this.opts.notices ?? []), ...this.pipeline.notices()],
    };
  }

  /** Attaches a transport: it gets the hello, then every publisher batch, and may send commands. */
  connect(transport: Transport): ApiSession {
    transport.send(this.hello());
    const unsubscribe = this.pipeline.publisher.subscribe({
      send: (batch) => transport.send(batch),
      ready: () => transport.ready(),
    });
    return {
      receive: (raw) => this.receive(raw, transport),
      close: unsubscribe,
    };
  }

  private async receive(raw: unknown, transport: Transport): Promise<void> {
    const msg = raw as { type?: unknown; id?: unknown; name?: unknown; args?: unknown } | null;
    const id = typeof msg?.id === 'number' && Number.isInteger(msg.id) ? msg.id : -1;
    const reply = (r: Omit<ReplyMessage, 'type' | 'id'>) => transport.send({ type: 'reply', id, ...r });
    if (!msg || typeof msg !== 'object' || msg.type !== 'command' || id < 0 || typeof msg.name !== 'string') {
      this.rejected++;
      return reply({ ok: false, error: 'malformed message: expected {type:"command", id:<integer>, name, args}' });
    }
    if (!isCommandName(msg.name)) {
      this.rejected++;
      return reply({ ok: false, error: `unknown command "${msg.name}"` });
    }
    const parsed = commandSchemas[msg.name].safeParse(msg.args);
    if (!parsed.success) {
      this.rejected++;
      return reply({ ok: false, error: formatIssues(parsed.error) });
    }
    try {
      const result = await this.handlers[msg.name](parsed.data);
      reply({ ok: true, result });
    } catch (e) {
      reply({ ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }

  private freeId(args: unknown): string {
    const a = args as { exchange?: string; market?: string };
    const base = `${a.exchange ?? 'feed'}-${a.market ?? 'spot'}`;
    const used = new Set(this.pipeline.feeds.configs().map((f) => f.id));
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  private async persist(): Promise<void> {
    await this.opts.onFeedsChanged?.(this.pipeline.feeds.configs());
  }
}
