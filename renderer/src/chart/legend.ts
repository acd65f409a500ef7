/** Writes the OHLCV/VWAP legend straight into its DOM nodes (no React render per tick). */
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

export function writeLegend(n: LegendNodes, b: Bar | undefined, hovering: boolean): void {
  n.root.dataset.hover = hovering ? 'true' : 'false';
  n.open.textContent = formatPrice(b?.open);
  n.high.textContent = formatPrice(b?.high);
  n.low.textContent = formatPrice(b?.low);
  n.close.textContent = formatPrice(b?.close);
  n.volume.textContent = b ? `${formatAmount(b.volume)} (buy ${formatAmount(b.buyVolume)} / sell ${formatAmount(b.sellVolume)})` : '—';
  n.vwap.textContent = formatPrice(b?.vwap);
  n.flag.textContent = b?.incomplete
    ? 'incomplete (feed gap)'
    : b?.source === 'candles'
      ? b.buyVolume + b.sellVolume > 0 ? 'from venue candles' : 'from venue candles (no buy/sell split)'
      : '';
}

export function writeLastPrice(el: HTMLElement, b: Bar | undefined): void {
  const text = formatPrice(b?.close);
  if (el.textContent !== text) el.textContent = text;
  el.dataset.direction = b ? (b.close >= b.open ? 'up' : 'down') : '';
}
