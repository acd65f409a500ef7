/** The one-line texts of fired alerts (headless `message`, toast, notification, log). */
import type { Liquidation, Trade } from '../../../shared/domain';
import type { ArmedAlert } from './armed-alert';
import type { OiChange } from './oi-window';
import type { CrossDirection } from './price-cross';

function where(a: ArmedAlert, r?: { exchange: string }): string {
  const venue = r && a.ref.exchange === '*' ? ` (${r.exchange})` : '';
  return `${a.def.market}${venue}`;
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(10)));
}

export function crossMessage(a: ArmedAlert, dir: CrossDirection, t: Trade): string {
  return `${where(a, t)} crossed ${dir === 'up' ? 'up through' : 'down through'} ${num(a.cross!.level)}: trade at ${num(t.price)}`;
}

export function largeMessage(a: ArmedAlert, r: Trade | Liquidation, notional: number): string {
  const what = r.type === 'trade' ? `${r.side} trade` : `${r.side} liquidation`;
  return `${where(a, r)} ${what} of ${num(r.size)} at ${num(r.price)} = ${Math.round(notional).toLocaleString('en-US')} notional (at least ${num(a.def.minNotional ?? 0)})`;
}

export function cvdMessage(a: ArmedAlert, delta: number, t: Trade): string {
  return `${where(a, t)} CVD ${delta >= 0 ? '+' : ''}${num(delta)} within ${num(a.def.seconds ?? 0)} s (at least ${num(a.def.minDelta ?? 0)} either way)`;
}

/** The composite's figure is a sum over venues, so no venue is named. */
export function oiMessage(a: ArmedAlert, c: OiChange): string {
  const sign = c.change >= 0 ? '+' : '';
  const at = [a.def.minDelta !== undefined ? num(a.def.minDelta) : null, a.def.minPercent !== undefined ? `${num(a.def.minPercent)} %` : null].filter((x) => x !== null);
  return (
    `${a.def.market} open interest ${sign}${num(c.change)} (${sign}${c.percent.toFixed(2)} %) within ${num(a.def.seconds ?? 0)} s: ` +
    `${num(c.from)} -> ${num(c.to)} (at least ${at.join(' or ')} either way)`
  );
}

export function feedStaleMessage(a: ArmedAlert, seconds: number, feeds: string[]): string {
  const names = feeds.map((f) => `"${f}"`).join(', ') || 'feed';
  return `${names} for ${a.def.market} not live for ${num(seconds)} s (limit ${num(a.def.seconds ?? 0)} s)`;
}

export function bookInvalidMessage(a: ArmedAlert, seconds: number): string {
  return `order book of ${a.def.market} not valid for ${num(seconds)} s (limit ${num(a.def.seconds ?? 0)} s)`;
}
