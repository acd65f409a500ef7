/**
 * The renderer section's depth scenario (`--only renderer-depth`, issue 11's number: frame p95
 * <= 16.7 ms with a 4-chart layout, one heatmap and one ladder at full update rate for 60 s,
 * heatmap paint time flat over that minute). What it adds to the plain renderer run: the
 * simulator's book channel on every market (a diff per market every 100 ms, the core's views at
 * 10 Hz: the full rate the UI gets), chart 1's heatmap on and the ladder open; and the heatmap's
 * own timings (renderer/src/chart/heatmap/heatmap-perf.ts: every draw inside the chart's frame
 * and every texture write) cut into windows, whose p95 must stay flat from the first to the last.
 */
import { distribution, round, type Distribution } from '../stats';

/** Full run: 60 s in 10 s windows; --quick: 20 s in 5 s windows. */
export function depthTiming(quick: boolean): { seconds: number; windowS: number } {
  return quick ? { seconds: 20, windowS: 5 } : { seconds: 60, windowS: 10 };
}

export interface HeatmapWindow {
  /** Seconds from the start of the measured stretch. */
  fromS: number;
  draws: Distribution;
  writes: Distribution;
}

export interface DepthScenarioResult {
  windowS: number;
  windows: HeatmapWindow[];
  /** The last window's draw and write p95 within noise of the first's (see FLAT_*). */
  drawFlat: boolean;
  writeFlat: boolean;
  /** Columns the heatmap held at the end, rows the ladder showed, book views the page got. */
  heatmapColumns: number;
  ladderRows: number;
  /** The heatmap drew the deep grouped view (watchBookDepth): its bucket, 0 if it never came. */
  deepGroup: number;
  /** Load average (1 min) of the machine at the start and end: the machine is shared. */
  loadStart: number;
  loadEnd: number;
}

/**
 * "Within noise": sub-millisecond timings on a shared 2-core machine jitter by tens of percent
 * from one window to the next, so the last window may be up to 1.5x the first plus 0.5 ms (a
 * heatmap whose paint grows with its history goes past that within the minute: a full-texture
 * rebuild is ~10x a column write).
 */
const FLAT_FACTOR = 1.5;
const FLAT_SLACK_MS = 0.5;

export function isFlat(first: number, last: number): boolean {
  if (!Number.isFinite(first) || !Number.isFinite(last)) return false;
  return last <= first * FLAT_FACTOR + FLAT_SLACK_MS;
}

/** Samples [performance.now(), ms] from `start` cut into `windowS` windows over `seconds`. */
export function heatmapWindows(draws: [number, number][], writes: [number, number][], start: number, seconds: number, windowS: number): HeatmapWindow[] {
  const out: HeatmapWindow[] = [];
  for (let from = 0; from < seconds; from += windowS) {
    const lo = start + from * 1000;
    const hi = lo + windowS * 1000;
    const inside = (list: [number, number][]) => list.filter((e) => e[0] >= lo && e[0] < hi).map((e) => e[1]);
    out.push({ fromS: from, draws: distribution(inside(draws)), writes: distribution(inside(writes)) });
  }
  return out;
}

export function depthVerdict(windows: HeatmapWindow[]): { drawFlat: boolean; writeFlat: boolean } {
  const first = windows[0];
  const last = windows.at(-1);
  return {
    drawFlat: !!first && !!last && isFlat(first.draws.p95, last.draws.p95),
    writeFlat: !!first && !!last && isFlat(first.writes.p95, last.writes.p95),
  };
}

/** Report lines (markdown table rows) for the heatmap windows. */
export function depthRows(d: DepthScenarioResult): string[] {
  const ms = (x: number) => (Number.isFinite(x) ? `${round(x, 2)} ms` : '-');
  const list = (f: (w: HeatmapWindow) => number) => d.windows.map((w) => ms(f(w))).join(', ');
  return [
    `| renderer-depth: heatmap draw p95 per ${d.windowS} s window | ${list((w) => w.draws.p95)} | flat (last <= ${FLAT_FACTOR}x first + ${FLAT_SLACK_MS} ms): **${d.drawFlat ? 'yes' : 'NO'}**; ${d.windows.reduce((s, w) => s + w.draws.n, 0)} draws |`,
    `| renderer-depth: heatmap texture write p95 per ${d.windowS} s window | ${list((w) => w.writes.p95)} | flat: **${d.writeFlat ? 'yes' : 'NO'}**; ${d.windows.reduce((s, w) => s + w.writes.n, 0)} writes |`,
    `| renderer-depth: what was on screen | heatmap ${d.heatmapColumns} columns (deep view bucket ${d.deepGroup || 'none: top-20 views only'}), ladder ${d.ladderRows} rows | load average ${d.loadStart.toFixed(1)} -> ${d.loadEnd.toFixed(1)} (2 cores shared: a loaded machine raises every frame number) |`,
  ];
}
