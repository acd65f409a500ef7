/**
 * Feed and settings schemas (zod). Errors name the bad field, e.g.
 * `feeds[0].symbols[1]: "BTCUSDT" is not a canonical symbol (BASE-QUOTE, e.g. BTC-USDT)`.
 */
import { z } from 'zod';
import { alertListSchema, type AlertDef } from './alerts';
import { CHANNELS, MARKET_TYPES } from './domain';
import { normaliseSymbol } from './symbols';
import { isTimeframe } from './timeframes';
import { venueOptionsSchema } from './venue-options';
import { FEED_SOURCE_KINDS } from './venues';

const symbolSchema = z.string().transform((s, ctx) => {
  const n = normaliseSymbol(s);
  if (!n) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a canonical symbol (BASE-QUOTE, e.g. BTC-USDT)` });
    return z.NEVER;
  }
  return n;
});

/** A venue's WebSocket URL; a `nats` feed's is nats:// or tls:// instead (checked in feedConfigSchema). */
const WS_URL = /^wss?:\/\/[^\s]+$/;
const NATS_URL = /^(nats|tls):\/\/[^\s]+$/;
const wsUrl = z
  .string()
  .refine((u) => WS_URL.test(u) || NATS_URL.test(u), { message: 'must be a ws:// or wss:// URL' });
const httpUrl = z
  .string()
  .refine((u) => /^https?:\/\/[^\s]+$/.test(u), { message: 'must be an http:// or https:// URL' });

/**
 * Feed ids name a folder under <data dir>/recordings, so `.`, `..` and `/` must never appear.
 * Ids with a dot that version-1 settings allowed are renamed by the settings store's migration,
 * with a notice; anywhere else (commands, --config files) they are refused naming the field.
 */
export const FEED_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const feedIdSchema = z
  .string()
  .regex(FEED_ID_PATTERN, 'must be 1-64 letters, digits, _ or - (it names a folder, so no dots or slashes)');

/** The fields every feed has; `options` is checked against its venue's schema below. */
const feedFieldsSchema = z
  .object({
    id: feedIdSchema.optional(),
    exchange: z.enum(FEED_SOURCE_KINDS, { message: `must be one of ${FEED_SOURCE_KINDS.join(', ')}` }),
    market: z.enum(MARKET_TYPES, { message: 'must be spot or perp' }).default('spot'),
    symbols: z.array(symbolSchema).min(1, 'at least one symbol is required').max(1000),
    channels: z.array(z.enum(CHANNELS)).min(1).default(['trades', 'quotes']),
    url: wsUrl.optional(),
    restUrl: httpUrl.optional(),
    enabled: z.boolean().default(true),
    /** Venue-specific options (the simulator's rate, seed, fault mode...): see shared/venue-options.ts. */
    options: z.record(z.string(), z.unknown()).optional(),
    /** Record every raw frame of this feed (with its receive time) under the data dir. */
    record: z.boolean().optional(),
    /** Disk budget for this feed's recordings, MiB (oldest compressed files deleted beyond). Default 1024. */
    recordBudgetMB: z.number().positive('must be a positive number of MiB').max(10_000_000).optional(),
    /** Size at which the active recording file is rotated and compressed, MiB. Default 64. */
    recordFileMB: z.number().positive('must be a positive number of MiB').max(100_000).optional(),
  })
  .strict();

/** A feed: its fields, then `options` checked by its venue's strict schema (errors say `options.rate: ...`). */
export const feedConfigSchema = feedFieldsSchema.transform((feed, ctx) => {
  const schema = venueOptionsSchema(feed.exchange);
  if (!schema) return feed; // unreachable: `exchange` is an enum of the same ids
  if (feed.exchange === 'nats' ? !feed.url || !NATS_URL.test(feed.url) : feed.url !== undefined && !WS_URL.test(feed.url)) {
    ctx.addIssue({ code: 'custom', message: feed.exchange === 'nats' ? 'a nats feed needs a nats:// or tls:// URL' : 'must be a ws:// or wss:// URL', path: ['url'] });
    return z.NEVER;
  }
  const r = schema.safeParse(feed.options ?? {});
  if (!r.success) {
    for (const issue of r.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          ctx.addIssue({ code: 'custom', message: `not an option of ${feed.exchange} feeds`, path: ['options', ...issue.path, key] });
        }
      } else {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['options', ...issue.path] });
      }
    }
    return z.NEVER;
  }
  return feed.options === undefined ? feed : { ...feed, options: r.data };
});

export type FeedConfigInput = z.input<typeof feedConfigSchema>;
/** A validated feed; `id` is always set after `normaliseFeeds`. */
export type FeedConfig = z.output<typeof feedConfigSchema> & { id: string };

/** 2: feed ids are path-safe (FEED_ID_PATTERN); the settings store renames older ids. */
export const SETTINGS_VERSION = 2;

export const settingsSchema = z
  .object({
    version: z.number().int().positive().default(SETTINGS_VERSION),
    feeds: z.array(feedConfigSchema).default([]),
    timeframes: z
      .array(z.string().refine(isTimeframe, { message: 'invalid timeframe (e.g. 1s, 5m, 1h)' }))
      .min(1)
      .optional(),
    /** Alerts (shared/alerts.ts): evaluated in the core on every trade; the app edits them in its Alerts panel. */
    alerts: alertListSchema.optional(),
  });

export interface Settings {
  version: number;
  feeds: FeedConfig[];
  timeframes?: string[];
  alerts?: AlertDef[];
}

/** Most issues listed in one error (a hostile payload can produce hundreds). */
const MAX_ISSUES_SHOWN = 10;

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, n) => {
      if (typeof p === 'number') return `[${p}]`;
      const key = String(p).length > 64 ? `${String(p).slice(0, 64)}…` : String(p);
      return n === 0 ? key : `.${key}`;
    })
    .join('');
}

/**
 * Renders zod issues as `path: message` lines, naming the bad field. An unknown key is named
 * itself (`options.colour: unknown field`), not just the object that holds it.
 */
export function formatIssues(error: z.ZodError): string {
  const lines = error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => `${pathText([...i.path, k])}: unknown field`)
      : [`${pathText(i.path) || '(root)'}: ${i.message}`],
  );
  const more = lines.length - MAX_ISSUES_SHOWN;
  return more > 0 ? [...lines.slice(0, MAX_ISSUES_SHOWN), `(and ${more} more)`].join('\n') : lines.join('\n');
}

export class ConfigError extends Error {
  readonly kind = 'config' as const;
}

/** Gives every feed a stable, unique id (`binance-spot`, `binance-spot-2`, ...). */
function assignIds(feeds: z.output<typeof feedConfigSchema>[]): FeedConfig[] {
  const used = new Set(feeds.map((f) => f.id).filter((x): x is string => !!x));
  return feeds.map((f) => {
    if (f.id) return f as FeedConfig;
    const base = `${f.exchange}-${f.market}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return { ...f, id };
  });
}

export function parseFeedConfig(input: unknown): FeedConfig {
  const r = feedConfigSchema.safeParse(input);
  if (!r.success) throw new ConfigError(formatIssues(r.error));
  return assignIds([r.data])[0]!;
}

export function parseSettings(input: unknown): Settings {
  const r = settingsSchema.safeParse(input);
  if (!r.success) throw new ConfigError(formatIssues(r.error));
  const feeds = assignIds(r.data.feeds);
  const dup = feeds.map((f) => f.id).find((id, i, all) => all.indexOf(id) !== i);
  if (dup) throw new ConfigError(`feeds: duplicate feed id "${dup}"`);
  return {
    version: r.data.version,
    feeds,
    ...(r.data.timeframes ? { timeframes: r.data.timeframes } : {}),
    ...(r.data.alerts ? { alerts: r.data.alerts } : {}),
  };
}
