/**
 * Paint time of the heatmap, for the bench: every draw of every heatmap (the blit, hatching and
 * bubbles inside the chart's frame) is timed with performance.now() and kept as
 * [performance.now() at the draw, ms] in a bounded list; so is every texture write (the new
 * columns, or a full rebuild, in the chart's paint slot). The bench (or a console) reads them in
 * the page: `window.__heatmapPerf.take()` returns the draws since the last take and clears them,
 * `window.__heatmapPerf.takeWrites()` the writes; `count` / `writeCount` are totals.
 */
const MAX_SAMPLES = 20_000;

interface HeatmapPerf {
  samples: [number, number][];
  writes: [number, number][];
  count: number;
  writeCount: number;
  take(): [number, number][];
  takeWrites(): [number, number][];
}

const perf: HeatmapPerf = {
  samples: [],
  writes: [],
  count: 0,
  writeCount: 0,
  take() {
    const out = perf.samples;
    perf.samples = [];
    return out;
  },
  takeWrites() {
    const out = perf.writes;
    perf.writes = [];
    return out;
  },
};

if (typeof window !== 'undefined') (window as unknown as { __heatmapPerf: HeatmapPerf }).__heatmapPerf = perf;

function push(list: [number, number][], at: number, ms: number): void {
  list.push([at, ms]);
  if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
}

export function recordHeatmapPaint(at: number, ms: number): void {
  perf.count++;
  push(perf.samples, at, ms);
}

export function recordHeatmapWrite(at: number, ms: number): void {
  perf.writeCount++;
  push(perf.writes, at, ms);
}
