/**
 * Paint time of the heatmap, for the bench: every draw of every heatmap is timed with
 * performance.now() and kept as [performance.now() at the draw, ms] in a bounded list. The bench
 * (or a console) reads it in the page: `window.__heatmapPerf.take()` returns the samples since
 * the last take and clears them; `window.__heatmapPerf.count` is the number taken in total.
 */
const MAX_SAMPLES = 20_000;

interface HeatmapPerf {
  samples: [number, number][];
  count: number;
  take(): [number, number][];
}

const perf: HeatmapPerf = {
  samples: [],
  count: 0,
  take() {
    const out = perf.samples;
    perf.samples = [];
    return out;
  },
};

if (typeof window !== 'undefined') (window as unknown as { __heatmapPerf: HeatmapPerf }).__heatmapPerf = perf;

export function recordHeatmapPaint(at: number, ms: number): void {
  perf.count++;
  perf.samples.push([at, ms]);
  if (perf.samples.length > MAX_SAMPLES) perf.samples.splice(0, perf.samples.length - MAX_SAMPLES);
}
