/**
 * The feed form's pure parts: turning the fields into an addFeed/updateFeed payload and placing
 * the core's validation errors (`symbols[1]: "X" is not a canonical symbol`) next to their field.
 */
import type { FeedConfig } from '../../../shared/config';

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

/** The command payload; `base` (when editing) keeps fields the form does not show (options). */
export function feedPayload(v: FeedFormValues, base: FeedConfig | null): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(base ?? {}) };
  if (base) out.id = base.id;
  else if (v.id.trim()) out.id = v.id.trim();
  // Options belong to one venue (each has a strict schema): a venue change must not carry them over.
  if (base && base.exchange !== v.exchange) delete out.options;
  out.exchange = v.exchange;
  out.market = v.market;
  out.symbols = splitSymbols(v.symbols);
  out.channels = v.channels;
  out.enabled = v.enabled;
  if (v.url.trim()) out.url = v.url.trim();
  else delete out.url;
  if (v.restUrl.trim()) out.restUrl = v.restUrl.trim();
  else delete out.restUrl;
  return out;
}

/** Splits the core's error text (`path: message` lines) by the form field each one names. */
export function errorsByField(error: string): Partial<Record<FormField, string>> {
  const out: Partial<Record<FormField, string>> = {};
  for (const line of error.split('\n').filter((l) => l.trim())) {
    const m = /^([A-Za-z]+)(?:\[\d+\])?(?:\.[^:]*)?:\s*(.*)$/.exec(line.trim());
    const name = m?.[1];
    const field: FormField = name && ['id', 'exchange', 'market', 'symbols', 'channels', 'url', 'restUrl'].includes(name) ? (name as FormField) : 'form';
    const text = line.trim();
    out[field] = out[field] ? `${out[field]}\n${text}` : text;
  }
  return out;
}
