/**
 * Alerts: what a trader asks to be told about, and what the core says when it happens. The same
 * schema validates a headless --config file's `"alerts"`, settings.json and the app's commands,
 * so every front end refuses the same mistakes with the same words (`alerts[0].price: ...`).
 *
 * Kinds and the fields each one needs:
 * - `price-cross`   `price`: fires on the first trade at or beyond the level after a trade on the
 *                   other side (either direction); value = that trade's price.
 * - `large-trade`   `minNotional`: a trade with price x size >= minNotional; value = its notional.
 * - `large-liquidation` `minNotional`: the same for a liquidation.
 * - `cvd-change`    `minDelta` + `seconds`: cumulative volume delta (taker buy - sell size, base
 *                   units) changed by at least minDelta, up or down, within the last `seconds`
 *                   of exchange time; value = the signed change.
 * - `oi-change`     `seconds` + `minDelta` (base units) and/or `minPercent`, perp markets only:
 *                   open interest (a composite: the sum of each venue's latest) changed by at
 *                   least either, up or down, within the last `seconds` of exchange time, looked
 *                   at when a funding record carrying it arrives; value = the signed change.
 * - `feed-stale`    `seconds` (+ `feedId`, else every feed carrying the market): the feed has not
 *                   been live for that long (stale, reconnecting, failed); value = seconds down.
 * - `book-invalid`  `seconds`: the market's order book has not been valid for that long; value =
 *                   seconds invalid.
 * `market` is `exchange:market:SYMBOL`; exchange `*` is the composite (any venue of that symbol
 * and market type). `repeat` re-arms after `cooldownSeconds` (default 60); without it an alert
 * fires once per run.
 */
import { z } from 'zod';
import { parseMarketKey } from './markets';
import { normaliseSymbol } from './symbols';

export const ALERT_KINDS = ['price-cross', 'large-trade', 'large-liquidation', 'cvd-change', 'oi-change', 'feed-stale', 'book-invalid'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Alerts per settings file or config (each is looked at on every trade of its market). */
export const MAX_ALERTS = 200;
export const DEFAULT_COOLDOWN_SECONDS = 60;

export const ALERT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const marketSchema = z
  .string()
  .max(140)
  .transform((s, ctx) => {
    const ref = parseMarketKey(s);
    const symbol = ref ? normaliseSymbol(ref.symbol) : null;
    if (!ref || !symbol) {
      ctx.addIssue({ code: 'custom', message: `"${s.slice(0, 80)}" is not a market (exchange:spot|perp:BASE-QUOTE, e.g. binance:spot:BTC-USDT or *:perp:ETH-USDT)` });
      return z.NEVER;
    }
    return `${ref.exchange}:${ref.market}:${symbol}`;
  });

const positive = (what: string) => z.number({ message: `must be a number (${what})` }).finite().positive(`must be greater than 0 (${what})`);

export const alertDefSchema = z
  .object({
    id: z.string().regex(ALERT_ID_PATTERN, 'must be 1-64 letters, digits, _ or -'),
    market: marketSchema,
    kind: z.enum(ALERT_KINDS, { message: `must be one of ${ALERT_KINDS.join(', ')}` }),
    price: positive('the level').optional(),
    minNotional: positive('quote currency').optional(),
    /** cvd-change, oi-change: the change of CVD or open interest, in base units (BTC for BTC-USDT), up or down. */
    minDelta: positive('base units').optional(),
    /** oi-change: the change of open interest in percent of where it started, up or down. */
    minPercent: positive('percent').max(1000, 'must be at most 1000 (percent)').optional(),
    seconds: positive('seconds').max(86_400, 'must be at most 86400 (a day)').optional(),
    /** Same rule as feed ids (shared/config.ts FEED_ID_PATTERN). */
    feedId: z.string().regex(ALERT_ID_PATTERN, 'must be a feed id (1-64 letters, digits, _ or -)').optional(),
    repeat: z.boolean().optional(),
    cooldownSeconds: z.number().finite().nonnegative('must be 0 or more').max(86_400, 'must be at most 86400 (a day)').optional(),
    enabled: z.boolean().optional(),
    /** The trader's own words, shown in the toast and the log. */
    note: z.string().max(200).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const need = (field: 'price' | 'minNotional' | 'minDelta' | 'seconds') => {
      if (a[field] === undefined) ctx.addIssue({ code: 'custom', message: `required for ${a.kind} alerts`, path: [field] });
    };
    if (a.kind === 'price-cross') need('price');
    if (a.kind === 'large-trade' || a.kind === 'large-liquidation') need('minNotional');
    if (a.kind === 'cvd-change') {
      need('minDelta');
      need('seconds');
    }
    if (a.kind === 'oi-change') {
      if (a.minDelta === undefined && a.minPercent === undefined) ctx.addIssue({ code: 'custom', message: 'oi-change alerts need minDelta or minPercent (or both)', path: ['minDelta'] });
      need('seconds');
      if (!a.market.includes(':perp:')) ctx.addIssue({ code: 'custom', message: 'oi-change alerts watch a perp market (open interest)', path: ['market'] });
    }
    if (a.minPercent !== undefined && a.kind !== 'oi-change') ctx.addIssue({ code: 'custom', message: 'only oi-change alerts take minPercent', path: ['minPercent'] });
    if (a.kind === 'feed-stale' || a.kind === 'book-invalid') need('seconds');
    if (a.feedId !== undefined && a.kind !== 'feed-stale') ctx.addIssue({ code: 'custom', message: 'only feed-stale alerts name a feed', path: ['feedId'] });
  });

export type AlertDefInput = z.input<typeof alertDefSchema>;
export type AlertDef = z.output<typeof alertDefSchema>;

/** A list of alerts: at most MAX_ALERTS, ids unique. */
export const alertListSchema = z
  .array(alertDefSchema)
  .max(MAX_ALERTS, `at most ${MAX_ALERTS} alerts`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', message: `duplicate alert id "${a.id}"`, path: [i, 'id'] });
      seen.add(a.id);
    });
  });

/** An alert that fired: the headless `alert` record, the UI's toast and log entry. */
export interface AlertFired {
  type: 'alert';
  id: string;
  kind: AlertKind;
  market: string;
  /** Local epoch ms when the core fired it. */
  at: number;
  /** Exchange time of the trade, liquidation or funding record (oi-change) that fired it; `at` for feed-stale and book-invalid. */
  time: number;
  /** The trade's price (price-cross), the notional (large-*), the signed CVD change (cvd-change), the signed open-interest change in base units (oi-change), the seconds down (feed-stale, book-invalid). */
  value: number;
  message: string;
}
