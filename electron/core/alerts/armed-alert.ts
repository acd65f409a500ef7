/**
 * One alert as the engine runs it: its definition, its market, and when it may fire next. An
 * alert without `repeat` fires once (per run of the core); with `repeat` it re-arms after its
 * cool-down (`cooldownSeconds`, default 60) measured on the core's clock.
 */
import { DEFAULT_COOLDOWN_SECONDS, type AlertDef } from '../../../shared/alerts';
import type { MarketRef } from '../../../shared/domain';
import { COMPOSITE, parseMarketKey } from '../../../shared/markets';
import { CvdWindow } from './cvd-window';
import { OiWatch } from './oi-window';
import { PriceCross } from './price-cross';

export class ArmedAlert {
  readonly ref: MarketRef;
  readonly cross: PriceCross | null;
  readonly cvd: CvdWindow | null;
  readonly oi: OiWatch | null;
  private readonly cooldownMs: number;
  private nextAllowedAt = -Infinity;
  private done = false;
  /** Feed-stale and book-invalid: when the watched condition began (null while all is well). */
  badSince: number | null = null;
  /** Feed-stale and book-invalid: this outage already fired (re-armed when it ends). */
  firedThisOutage = false;

  constructor(readonly def: AlertDef) {
    const ref = parseMarketKey(def.market);
    // The schema (shared/alerts.ts) accepted only valid market keys.
    if (!ref) throw new Error(`alert ${def.id}: bad market ${def.market}`);
    this.ref = ref;
    this.cross = def.kind === 'price-cross' && def.price !== undefined ? new PriceCross(def.price) : null;
    this.cvd = def.kind === 'cvd-change' && def.seconds !== undefined ? new CvdWindow(def.seconds * 1000) : null;
    this.oi = def.kind === 'oi-change' && def.seconds !== undefined ? new OiWatch(def.seconds, ref.exchange === COMPOSITE) : null;
    this.cooldownMs = (def.cooldownSeconds ?? DEFAULT_COOLDOWN_SECONDS) * 1000;
  }

  /** Not fired for good, and past its cool-down. */
  canFire(now: number): boolean {
    return !this.done && now >= this.nextAllowedAt;
  }

  fired(now: number): void {
    if (this.def.repeat) this.nextAllowedAt = now + this.cooldownMs;
    else this.done = true;
  }
}
