/**
 * The real UI in Chromium through the web host (`npm run serve`'s entry, as the e2e tests start
 * it), fed by the built-in simulator at 50k trades/s (4 markets x 12.5k, no bursts): 4 charts,
 * the tape and the health pane updating. Measured in the page (renderer-probe.js): frame time,
 * long tasks, and frame work (the charts' draws + style/layout/paint) in the first seconds of the
 * window against the last seconds, which must not grow.
 *
 * `depth` (renderer-depth.ts, `--only renderer-depth`): the same 4 charts with the book channel on
 * every market, chart 1's depth heatmap on and the ladder open, and the heatmap's draw and write
 * times per window.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost, type RunningHost } from '../../test/e2e/web-host';
import { chromiumMissing, launchChromium } from '../browser';
import { distribution, round, sleep, type Distribution } from '../stats';
import { depthTiming, depthVerdict, heatmapWindows, type DepthScenarioResult } from './renderer-depth';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = readFileSync(fileURLToPath(new URL('../renderer-probe.js', import.meta.url)), 'utf8');
const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT'];
const TRADES_PER_SEC = 50_000;
/**
 * BENCH_STUDIES=1: every chart also shows CVD, VWAP with bands and the volume profile (issue 12's
 * budget: frame p95 <= 16.7 ms with these on 4 charts at 50k trades/s).
 */
const STUDIES = process.env.BENCH_STUDIES === '1' ? { studies: { cvd: true, vwap: true, vwapBands: true, profile: true } } : {};
/** Seconds at the start and at the end of the window whose frame work is compared. */
const EDGE_S = 3;

export interface RendererResult {
  seconds: number;
  charts: number;
  frames: number;
  frameMs: Distribution;
  longTasks: number;
  longTaskMs: number;
  workStartMs: Distribution;
  workEndMs: Distribution;
  buildNote: string;
  /** The depth scenario's heatmap windows (renderer-depth). */
  depth?: DepthScenarioResult;
}

/** Newest mtime of any file under a folder, to tell a stale renderer build. */
function newestSource(dir: string): number {
  let newest = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else newest = Math.max(newest, st.mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

export function rendererMissing(): string | null {
  return chromiumMissing() ?? (existsSync(join(ROOT, 'out/renderer/index.html')) ? null : 'the renderer is not built: run `npm run build` first');
}

export async function rendererSection(quick: boolean, depth = false): Promise<RendererResult> {
  const timing = depthTiming(quick);
  const seconds = depth ? timing.seconds : quick ? 10 : 60;
  const loadStart = loadavg()[0]!;
  const built = statSync(join(ROOT, 'out/renderer/index.html')).mtimeMs;
  const stale = newestSource(join(ROOT, 'renderer/src')) > built;
  const buildNote = `out/renderer built ${new Date(built).toISOString()}${stale ? ' (OLDER than renderer/src: run `npm run build` to measure the current UI)' : ''}`;

  const dir = mkdtempSync(join(tmpdir(), 'tickscope-bench-'));
  const config = join(dir, 'bench-feeds.json');
  writeFileSync(config, JSON.stringify({
    feeds: [{
      id: 'sim', exchange: 'simulator', market: 'spot', symbols: SYMBOLS, channels: depth ? ['trades', 'quotes', 'book'] : ['trades', 'quotes'],
      // Depth: books 1000 levels a side (Binance's snapshot depth), so the heatmap has liquidity to draw over the chart's range.
      options: { rate: TRADES_PER_SEC / SYMBOLS.length, bursts: false, seed: 7, ...(depth ? { bookDepth: 1000 } : {}) },
    }],
  }));
  const layout = {
    state: {
      charts: SYMBOLS.map((symbol, i) => ({ id: `chart-${i + 1}`, market: { exchange: 'simulator', market: 'spot', symbol }, tf: '1s', ...STUDIES, ...(depth && i === 0 ? { heatmap: true } : {}) })),
      activeChartId: 'chart-1', tapeMinQuote: 10_000, tapeScope: 'all', watchSort: { key: 'market', dir: 'asc' }, bottomTab: 'health',
      // The ladder shows the active chart's market (chart 1's, the one with the heatmap).
      ...(depth ? { bookOpen: true } : {}),
    },
    version: 1,
  };
  let host: RunningHost | null = null;
  const browser = await launchChromium();
  try {
    host = await startHost({ dataDir: dir, config });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript(
      ([key, value]) => {
        if (!localStorage.getItem(key!)) localStorage.setItem(key!, value!);
      },
      ['tickscope.layout', JSON.stringify(layout)],
    );
    await page.addInitScript(PROBE);
    await page.goto(host.url);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="chart-"] canvas').length > 0, null, { timeout: 30_000 });
    if (depth) {
      await page.waitForFunction(() => document.querySelector('[data-heatmap="on"]') !== null && document.querySelectorAll('.book-row').length > 0, null, { timeout: 30_000 });
    }
    await sleep(1_000);
    // The heatmap's samples so far (its start-up) are not the measured minute's.
    const start = (await page.evaluate('(window.__heatmapPerf?.take(), window.__heatmapPerf?.takeWrites(), performance.now())')) as number;
    await sleep(seconds * 1000);
    // A string, not a function: tsx's name-keeping helper (__name) does not exist in the page.
    const r = (await page.evaluate(`(() => {
      const p = window.__rprobe;
      const from = ${start};
      return {
        intervals: p.intervals.filter((e) => e[0] >= from),
        work: p.work.filter((e) => e[0] >= from),
        longTasks: p.longTasks.filter((e) => e[0] >= from),
        charts: new Set([...document.querySelectorAll('[data-testid^="chart-"]')].map((e) => e.getAttribute('data-testid'))).size,
        draws: window.__heatmapPerf ? window.__heatmapPerf.take() : [],
        writes: window.__heatmapPerf ? window.__heatmapPerf.takeWrites() : [],
        heatmapColumns: Number(document.querySelector('[data-heatmap="on"]')?.getAttribute('data-heatmap-columns') ?? 0),
        deepGroup: Number(document.querySelector('[data-heatmap="on"]')?.getAttribute('data-heatmap-deep') || 0),
        ladderRows: document.querySelectorAll('.book-row').length,
        end: performance.now(),
      };
    })()`)) as {
      intervals: [number, number][]; work: [number, number][]; longTasks: [number, number][]; charts: number; end: number;
      draws: [number, number][]; writes: [number, number][]; heatmapColumns: number; deepGroup: number; ladderRows: number;
    };
    const end = r.end;
    return {
      seconds,
      charts: r.charts,
      frames: r.intervals.length,
      frameMs: distribution(r.intervals.map((e) => e[1])),
      longTasks: r.longTasks.length,
      longTaskMs: round(r.longTasks.reduce((s, e) => s + e[1], 0), 1),
      workStartMs: distribution(r.work.filter((e) => e[0] < start + EDGE_S * 1000).map((e) => e[1])),
      workEndMs: distribution(r.work.filter((e) => e[0] >= end - EDGE_S * 1000).map((e) => e[1])),
      buildNote,
      ...(depth ? { depth: depthResult(r, start, seconds, timing.windowS, loadStart) } : {}),
    };
  } finally {
    await browser.close().catch(() => {});
    await (host as RunningHost | null)?.stop();
  }
}

function depthResult(
  r: { draws: [number, number][]; writes: [number, number][]; heatmapColumns: number; deepGroup: number; ladderRows: number },
  start: number,
  seconds: number,
  windowS: number,
  loadStart: number,
): DepthScenarioResult {
  const windows = heatmapWindows(r.draws, r.writes, start, seconds, windowS);
  return { windowS, windows, ...depthVerdict(windows), heatmapColumns: r.heatmapColumns, ladderRows: r.ladderRows, deepGroup: r.deepGroup, loadStart, loadEnd: loadavg()[0]! };
}
