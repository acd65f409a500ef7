/**
 * Writes the OHLCV/VWAP legend straight into its DOM nodes (no React render per tick). Only text
 * that changed is written: each write re-shapes the text and dirties layout, and with four charts
 * most fields (open, the flag, often high or low) stay the same from one paint to the next.
 */
import type { Bar } from '../../../shared/domain';
import { formatAmount, formatPrice } from '../lib/format';

export interface LegendNodes {
  root: HTMLElement;
  open: HTMLElement;
  high: HTMLElement;
  low: HTMLElement;
  close: HTMLElement;
  volume: HTMLElement;
  vwap: HTMLElement;
  flag: HTMLElement;
  last: HTMLElement;
}

/** Sets a node's text only when it differs (reading textContent does not force layout). */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets `data-<key>` (camelCase key, as in dataset) only when it differs. */
export function setDataAttr(el: HTMLElement, key: string, value: string): void {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

function flagText(b: Bar | undefined): string {
  if (b?.incomplete) return 'incomplete (feed gap)';
  if (b?.source !== 'candles') return '';
  return b.buyVolume + b.sellVolume > 0 ? 'from venue candles' : 'from venue candles (no buy/sell split)';
}

export function writeLegend(n: LegendNodes, b: Bar | undefined, hovering: boolean): void {
  setDataAttr(n.root, 'hover', hovering ? 'true' : 'false');
  setText(n.open, formatPrice(b?.open));
  setText(n.high, formatPrice(b?.high));
  setText(n.low, formatPrice(b?.low));
  setText(n.close, formatPrice(b?.close));
  setText(n.volume, b ? `${formatAmount(b.volume)} (buy ${formatAmount(b.buyVolume)} / sell ${formatAmount(b.sellVolume)})` : '—');
  setText(n.vwap, formatPrice(b?.vwap));
  setText(n.flag, flagText(b));
}

export function writeLastPrice(el: HTMLElement, b: Bar | undefined): void {
  setText(el, formatPrice(b?.close));
  setDataAttr(el, 'direction', b ? (b.close >= b.open ? 'up' : 'down') : '');
}
