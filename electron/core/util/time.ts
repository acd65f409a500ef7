/** Time parsing shared by adapters (Coinbase, Kraken and others send ISO-8601 with µs or ns). */

/** ISO-8601 (UTC or offset) with up to 9 fraction digits -> epoch ms keeping the sub-ms part; NaN if bad. */
export function isoToEpochMs(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return NaN;
  let ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const zone = m[8]!;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (+zone.slice(1, 3) * 60 + +zone.slice(4, 6)) * 60_000;
  }
  // Fraction as integer nanoseconds, then one division: Date.parse would drop the µs.
  const frac = m[7] ? +m[7].padEnd(9, '0') / 1e6 : 0;
  return ms + frac;
}

