/**
 * The UI -> core contract: for each command, the schema of its arguments and the type of its
 * result. Both ends are typed from this one file: the core's handlers take what the schema
 * outputs and must return the result type (`CommandHandlers`, checked with `satisfies` in
 * electron/core/api/core-api.ts); the renderer's `CoreClient.request(name, args)` takes what the
 * schema accepts and resolves to the result type, so neither end casts.
 *
 * Arguments are checked on arrival in the core (Electron main and web host alike) so a bad payload
 * gets a clear reply and changes nothing. Before any of these schemas runs, the whole message has
 * passed COMMAND_LIMITS (shared/json-limits.ts): depth, keys, array and string lengths, total
 * size, so no schema ever walks a hostile shape.
 */
import { z } from 'zod';
import { alertDefSchema, ALERT_ID_PATTERN, type AlertDef, type AlertFired } from './alerts';
import { feedConfigSchema, feedIdSchema, type FeedConfig } from './config';
import { MARKET_TYPES, type Bar } from './domain';
import type { PipelineHealth } from './health';
import type { InstrumentSearchResult, MarketStats24h } from './market-stats';
import { isTimeframe } from './timeframes';

const feedId = feedIdSchema;

export const commandSchemas = {
  listFeeds: z.object({}).strict().optional(),
  addFeed: feedConfigSchema,
  updateFeed: feedConfigSchema.and(z.object({ id: feedId })),
  removeFeed: z.object({ id: feedId }).strict(),
  setFeedEnabled: z.object({ id: feedId, enabled: z.boolean() }).strict(),
  searchMarkets: z
    .object({
      exchange: z.string().max(64),
      market: z.enum(MARKET_TYPES),
      query: z.string().max(40),
      /** The REST URL override typed in the feed form (a testnet, a proxy): its list is searched. */
      restUrl: z.string().max(2048).regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL').optional(),
    })
    .strict(),
  getBars: z
    .object({
      exchange: z.string().max(64),
      market: z.enum(MARKET_TYPES),
      symbol: z.string().max(64),
      tf: z.string().max(16).refine(isTimeframe, 'invalid timeframe'),
      limit: z.number().int().positive().max(50_000).optional(),
      /** Only bars starting before this time (epoch ms): scrolling left loads older bars. */
      before: z.number().int().nonnegative().optional(),
    })
    .strict(),
  /** CSV of bars (tf required) or trades of one market over [from, to) epoch ms. */
  exportCsv: z
    .object({
      kind: z.enum(['bars', 'trades']),
      exchange: z.string().max(64),
      market: z.enum(MARKET_TYPES),
      symbol: z.string().max(64),
      tf: z.string().max(16).refine(isTimeframe, 'invalid timeframe').optional(),
      from: z.number().int().nonnegative(),
      to: z.number().int().positive(),
    })
    .strict()
    .refine((a) => a.kind === 'trades' || a.tf !== undefined, { message: 'tf is required for bars', path: ['tf'] })
    .refine((a) => a.to > a.from, { message: 'must be after from', path: ['to'] }),
  getHealth: z.object({}).strict().optional(),
  /** Each market's last 24 h (change, volume, turnover) from the core's bars: the watchlist. */
  marketStats: z
    .object({
      markets: z
        .array(z.object({ exchange: z.string().max(64), market: z.enum(MARKET_TYPES), symbol: z.string().max(64) }).strict())
        .max(500),
    })
    .strict(),
  /** The alerts and the core's log of the latest ones fired (newest last). */
  listAlerts: z.object({}).strict().optional(),
  /** Adds an alert, or replaces the one with the same id; saved to settings before it runs. */
  saveAlert: alertDefSchema,
  removeAlert: z.object({ id: z.string().regex(ALERT_ID_PATTERN, 'must be an alert id') }).strict(),
  /** Simulator fault injection, for demos and tests: drop, stall (ms), malformed (count), drop-diff (count of book diffs). */
  simulatorFault: z
    .object({ feedId, mode: z.enum(['drop', 'stall', 'malformed', 'drop-diff']), arg: z.number().nonnegative().max(86_400_000).optional() })
    .strict(),
  /**
   * The UI shows the composite book of `symbol` (all venues of `market`), summed per price bucket
   * `group` (0: the members' coarsest tick). A lease: views are sent while it is renewed (the
   * ladder asks again every few seconds), then stop (electron/core/books/composite-books.ts).
   */
  watchCompositeBook: z
    .object({ market: z.enum(MARKET_TYPES), symbol: z.string().max(64), group: z.number().nonnegative().max(1_000_000) })
    .strict(),
  /**
   * A chart's depth heatmap shows a venue book deeper than the ladder's top 20: grouped in price
   * buckets of `group`, `levels` (<= 200) buckets a side, views tagged `deep`. A lease like
   * watchCompositeBook (electron/core/books/depth-watches.ts).
   */
  watchBookDepth: z
    .object({
      exchange: z.string().max(64),
      market: z.enum(MARKET_TYPES),
      symbol: z.string().max(64),
      group: z.number().positive().max(1_000_000),
      levels: z.number().int().min(1).max(200),
    })
    .strict(),
} as const;

export type CommandName = keyof typeof commandSchemas;
/** What a caller may send: the schema's input (defaults still missing, symbols as typed...). */
export type CommandArgs<N extends CommandName> = z.input<(typeof commandSchemas)[N]>;
/** What a handler receives: the schema's output (defaults applied, symbols canonical...). */
export type CommandParsedArgs<N extends CommandName> = z.output<(typeof commandSchemas)[N]>;

/** What each command's reply carries when it succeeds (`ReplyMessage.result`). */
export interface CommandResults {
  listFeeds: FeedConfig[];
  /** The feed as saved: its id assigned, defaults applied. */
  addFeed: FeedConfig;
  updateFeed: FeedConfig;
  removeFeed: { id: string };
  setFeedEnabled: { id: string; enabled: boolean };
  /**
   * Canonical symbols the venue lists that contain the query, sorted, at most 50; says so when
   * the venue's list is unavailable (offline, no cached copy).
   */
  searchMarkets: InstrumentSearchResult;
  /** Oldest first. */
  getBars: Bar[];
  /** The CSV text, header line first. */
  exportCsv: string;
  getHealth: PipelineHealth;
  /** One entry per market asked for, in the same order. */
  marketStats: MarketStats24h[];
  simulatorFault: { ok: true };
  listAlerts: { alerts: AlertDef[]; log: AlertFired[] };
  /** The alert as saved (market canonical). */
  saveAlert: AlertDef;
  removeAlert: { id: string };
  watchCompositeBook: { ok: true };
  watchBookDepth: { ok: true };
}
export type CommandResult<N extends CommandName> = CommandResults[N];

/** Every command has a result type and every result type a command: either missing fails to compile. */
const resultsMatchCommands: [CommandName] extends [keyof CommandResults]
  ? [keyof CommandResults] extends [CommandName]
    ? true
    : false
  : false = true;
void resultsMatchCommands;

/** The core's side of the contract: one handler per command, from parsed arguments to its result. */
export type CommandHandlers = {
  [N in CommandName]: (args: CommandParsedArgs<N>) => CommandResult<N> | Promise<CommandResult<N>>;
};

/**
 * The schemas seen per command name, so that parsing a generic `N` yields `CommandParsedArgs<N>`
 * (indexing `commandSchemas` itself by a generic name gives a union the compiler cannot narrow).
 * Plain assignment: the compiler checks that each schema produces exactly its own types.
 */
const schemaByName: { [N in CommandName]: z.ZodType<CommandParsedArgs<N>, CommandArgs<N>> } = commandSchemas;

/** Checks a command's arguments against its schema. */
export function parseCommandArgs<N extends CommandName>(name: N, args: unknown): z.ZodSafeParseResult<CommandParsedArgs<N>> {
  return schemaByName[name].safeParse(args);
}

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commandSchemas, name);
}
