/**
 * The feed form's pure parts: default channels for a venue and market type, the checks made before
 * anything is sent (in plain words), turning the fields into an addFeed/updateFeed payload, and
 * placing the core's validation errors (`symbols[1]: "X" is not a canonical symbol`) next to their
 * field, reworded for people rather than schemas.
 */
import type { FeedConfig } from '../../../shared/config';
import { normaliseTyped, parseSymbolList } from './symbol-input';

export interface FeedFormValues {
  id: string;
  exchange: string;
  market: 'spot' | 'perp';
  /** As typed: comma, space or newline separated. */
  symbols: string;
  channels: string[];
  url: string;
  restUrl: string;
  enabled: boolean;
}

export type FormField = 'id' | 'exchange' | 'market' | 'symbols' | 'channels' | 'url' | 'restUrl' | 'form';
type Errors = Partial<Record<FormField, string>>;

/**
 * What a new feed subscribes to: a spot feed its trades and quotes; a perp feed everything the
 * venue offers for perps (liquidations and funding are what a perp is watched for).
 */
export function defaultChannels(available: readonly string[], market: 'spot' | 'perp'): string[] {
  return market === 'perp' ? [...available] : available.filter((c) => c === 'trades' || c === 'quotes');
}

export function valuesFromFeed(f: FeedConfig | null, defaults: { exchange: string; market: 'spot' | 'perp'; channels: string[] }): FeedFormValues {
  if (!f) return { id: '', exchange: defaults.exchange, market: defaults.market, symbols: '', channels: defaults.channels, url: '', restUrl: '', enabled: true };
  return {
    id: f.id,
    exchange: f.exchange,
    market: f.market,
    symbols: f.symbols.join(', '),
    channels: [...f.channels],
    url: f.url ?? '',
    restUrl: f.restUrl ?? '',
    enabled: f.enabled,
  };
}

export function splitSymbols(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A typed token made canonical, or left as typed when it cannot be read (the check names it). */
function canonicalOrTyped(token: string): string {
  const r = normaliseTyped(token);
  return 'symbol' in r ? r.symbol : token;
}

/** The symbols field rewritten canonically and without repeats (on blur). */
export function tidySymbols(text: string): string {
  return [...new Set(splitSymbols(text).map(canonicalOrTyped))].join(', ');
}

/** Checks made before sending, in plain words; the core checks again (and names what it refuses). */
export function checkForm(v: FeedFormValues, isReplay: boolean): Errors {
  const out: Errors = {};
  const { symbols, errors } = parseSymbolList(v.symbols);
  if (errors.length > 0) out.symbols = errors.join('\n');
  else if (symbols.length === 0) out.symbols = 'Add at least one symbol, for example BTC-USDT.';
  if (!isReplay && v.channels.length === 0) out.channels = 'Tick at least one channel.';
  if (v.url.trim() && !/^wss?:\/\/\S+$/.test(v.url.trim())) out.url = "Use a ws:// or wss:// address, or leave it empty for the venue's own.";
  if (v.restUrl.trim() && !/^https?:\/\/\S+$/.test(v.restUrl.trim())) out.restUrl = "Use an http:// or https:// address, or leave it empty for the venue's own.";
  if (v.id.trim() && !/^[A-Za-z0-9_-]{1,64}$/.test(v.id.trim())) out.id = 'Use up to 64 letters, digits, _ or - (no spaces, dots or slashes), or leave it empty.';
  return out;
}

/** The command payload; `base` (when editing) keeps fields the form does not show (options). */
export function feedPayload(v: FeedFormValues, base: FeedConfig | null): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(base ?? {}) };
  if (base) out.id = base.id;
  else if (v.id.trim()) out.id = v.id.trim();
  // Options belong to one venue (each has a strict schema): a venue change must not carry them over.
  if (base && base.exchange !== v.exchange) delete out.options;
  out.exchange = v.exchange;
  out.market = v.market;
  // Canonical where readable; anything else as typed, so the core's refusal names it.
  out.symbols = [...new Set(splitSymbols(v.symbols).map(canonicalOrTyped))];
  out.channels = v.channels;
  out.enabled = v.enabled;
  if (v.url.trim()) out.url = v.url.trim();
  else delete out.url;
  if (v.restUrl.trim()) out.restUrl = v.restUrl.trim();
  else delete out.restUrl;
  return out;
}

const FIELDS: readonly FormField[] = ['id', 'exchange', 'market', 'symbols', 'channels', 'url', 'restUrl'];

/** One schema message in plain words (`Too small: expected array to have >=1 items` is not for people). */
export function plainMessage(field: FormField, index: number | null, message: string): string {
  const m = message.trim();
  const bad = /^"(.*)" is not a canonical symbol/.exec(m);
  if (bad) return `“${bad[1]}” is not a symbol the app can read: write it as BASE-QUOTE, for example BTC-USDT.`;
  if (/too small|at least one|>=\s*1 items/i.test(m)) {
    if (field === 'symbols') return 'Add at least one symbol, for example BTC-USDT.';
    if (field === 'channels') return 'Tick at least one channel.';
  }
  if (/ws:\/\/ or wss:\/\//.test(m)) return "Use a ws:// or wss:// address, or leave it empty for the venue's own.";
  if (/http:\/\/ or https:\/\//.test(m)) return "Use an http:// or https:// address, or leave it empty for the venue's own.";
  if (field === 'id' && /already exists/.test(m)) return `${m.replace(/^a feed/, 'A feed')}: pick another id, or leave it empty.`;
  if (field === 'id' && /letters, digits/.test(m)) return 'Use up to 64 letters, digits, _ or - (no spaces, dots or slashes), or leave it empty.';
  if (/^invalid (option|input)/i.test(m)) return field === 'form' ? 'Something in the form is not valid.' : 'This value is not valid.';
  const which = field === 'symbols' && index !== null ? `Symbol ${index + 1}: ` : '';
  return `${which}${m.charAt(0).toUpperCase()}${m.slice(1)}`;
}

/**
 * Splits the core's error text (`path: message` lines) by the form field each names, reworded
 * by plainMessage. Lines naming no form field (options, a save failure) go to `form` as they are.
 */
export function errorsByField(error: string): Errors {
  const out: Errors = {};
  for (const line of error.split('\n').filter((l) => l.trim())) {
    const m = /^([A-Za-z]+)(?:\[(\d+)\])?(?:\.[^:]*)?:\s*(.*)$/.exec(line.trim());
    const name = m?.[1];
    const field: FormField = name && (FIELDS as readonly string[]).includes(name) ? (name as FormField) : 'form';
    const text = field === 'form' ? line.trim() : plainMessage(field, m?.[2] !== undefined ? Number(m[2]) : null, m![3]!);
    out[field] = out[field] ? `${out[field]}\n${text}` : text;
  }
  return out;
}
