/** Number and time formatting for dense trading tables. */

/** Decimals formatPrice gives a price of this magnitude. */
export function priceDigits(p: number): number {
  const abs = Math.abs(p);
  return abs >= 1000 ? 2 : abs >= 1 ? 4 : abs >= 0.01 ? 5 : 8;
}

/** Price with precision that suits its magnitude (64012.35, 3.4012, 0.15234). */
export function formatPrice(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return p.toFixed(priceDigits(p));
}

/** hh:mm in local time ("since 14:02"). */
export function formatHourMinute(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Sizes and volumes with k/M suffixes beyond 10 000. */
export function formatAmount(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${(v / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  if (abs >= 100) return v.toFixed(1);
  if (abs >= 1) return v.toFixed(3);
  return v.toPrecision(3);
}

export function formatPercent(f: number | null | undefined, digits = 2): string {
  if (f === null || f === undefined || !Number.isFinite(f)) return '—';
  const s = (f * 100).toFixed(digits);
  return f > 0 ? `+${s}%` : `${s}%`;
}

export function formatRate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v >= 10_000) return `${(v / 1000).toFixed(0)} s`;
  if (v >= 1_000) return `${(v / 1000).toFixed(1)} s`;
  return `${Math.round(v)} ms`;
}

export function formatBytes(v: number): string {
  if (v >= 1 << 30) return `${(v / (1 << 30)).toFixed(2)} GiB`;
  if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(1)} MiB`;
  return `${(v / 1024).toFixed(0)} KiB`;
}

/** hh:mm:ss.mmm in local time, for the tape. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
