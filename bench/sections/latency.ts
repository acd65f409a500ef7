/**
 * Latency at fixed input rates (1k, 10k, 100k messages/s), Binance aggTrade frames stamped with
 * their send time as the exchange time T, over several rounds (a fresh pipeline, web host and page
 * each; one Chromium). A row gives the p99 over every trade of every round, and each round's p99,
 * so that one code state has one number and its spread, not a best round:
 *
 * - to publisher flush: for EVERY trade, the time of the first flush after the pipeline
 *   processed it, minus T (a publisher subscriber takes the clock at flush);
 * - to the renderer: the real web host (electron/web-host) serves a probe page to Chromium over
 *   its /ws protocol; the page records receipt time minus T for every trade in each batch. A batch
 *   carries the newest 500 trades (publisher maxTradesPerBatch); at 100k/s the older ones of a
 *   flush are counted in tradesOmitted, so the page sees the newest ~15 %: its p99 is taken over
 *   those, and `transport` (receipt minus batch time) is given for every batch.
 */
import { fileURLToPath } from 'node:url';
import { CoreApi } from '../../electron/core/api/core-api';
import { DEFAULT_TIMEFRAME_LIST } from '../../electron/core/pipeline/defaults';
import { startWebHost, type WebHost } from '../../electron/web-host/server';
import type { Browser, Page } from '@playwright/test';
import { chromiumMissing, launchChromium } from '../browser';
import { runPipeline } from '../clients/pipeline';
import type { ReplayProcess } from '../replay/replay-process';
import { epochNow, rateFrames, type Phase, type Scenario } from '../replay/scenario';
import { distribution, sleep, type Distribution } from '../stats';

const PAGE_DIR = fileURLToPath(new URL('../latency-page', import.meta.url));

export interface LatencyStep {
  ratePerSec: number;
  /** Trades per round. */
  trades: number;
  /** Over every trade of every round. */
  flush: Distribution;
  /** Each round's p99, in round order: one code state, one spread. */
  flushRoundP99: number[];
  renderer: Distribution | null;
  rendererRoundP99: number[];
  rendererTrades: number;
  transport: Distribution | null;
}

export interface LatencyResult {
  rounds: number;
  steps: LatencyStep[];
  rendererSkipped?: string;
}

/**
 * Samples per step, in typed arrays: they live in the process being measured, and millions of
 * boxed numbers in growing JS arrays would make its GC (and so its latency tail) worse than the
 * app's own; a Float64Array's contents cost the GC nothing.
 */
interface RoundSamples {
  flush: Float64Array[];
  renderer: Float64Array[] | null;
  transport: Float64Array[] | null;
}

/** Appends to a Float64Array, doubling it when full (rarely: capacities are the expected counts). */
class SampleBuffer {
  private values: Float64Array;
  n = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = x;
  }
  clear(): void {
    this.n = 0;
  }
  at(i: number): number {
    return this.values[i]!;
  }
  /** The samples, as a copy of exactly their length. */
  taken(): Float64Array {
    return this.values.slice(0, this.n);
  }
}

export async function latencySection(replay: ReplayProcess, quick: boolean, rounds = 1): Promise<LatencyResult> {
  const rates = [1_000, 10_000, 100_000];
  const ms = quick ? 1_500 : 5_000;
  const missing = chromiumMissing();
  let rendererSkipped: string | undefined = missing ?? undefined;
  let browser: Browser | null = null;
  const done: RoundSamples[] = [];
  try {
    if (!missing) {
      try {
        browser = await launchChromium();
      } catch (e) {
        rendererSkipped = `Chromium did not start: ${(e as Error).message.split('\n')[0]}`;
      }
    }
    for (let r = 0; r < rounds; r++) {
      // The previous round's garbage (a pipeline, a web host, the page's samples through
      // Playwright) is the bench's, not the app's: collected now, not in the middle of this
      // round's 100k/s step (a full GC of the ~100 MB heap was a 40-60 ms pause). Needs
      // --expose-gc, which section-main.ts runs with.
      (globalThis as { gc?: () => void }).gc?.();
      const round = await latencyRound(replay, rates, ms, rendererSkipped ? null : browser);
      if (round.skipped) rendererSkipped ??= round.skipped;
      done.push(round.samples);
      const p99 = (xs: Float64Array) => distribution(xs).p99.toFixed(1);
      process.stdout.write(
        `  latency round ${r + 1}: p99 to flush ${rates.map((rate, i) => `${rate / 1000}k/s ${p99(round.samples.flush[i]!)} ms`).join(', ')}` +
          `${round.samples.renderer ? `; to Chromium ${rates.map((rate, i) => `${rate / 1000}k/s ${p99(round.samples.renderer![i]!)} ms`).join(', ')}` : ''}\n`,
      );
    }
  } finally {
    await (browser as Browser | null)?.close().catch(() => {});
  }
  const pooled = (pick: (x: RoundSamples) => Float64Array[] | null, i: number) => {
    const parts = done.map((x) => pick(x)?.[i]).filter((x): x is Float64Array => x !== undefined);
    return parts.length === done.length && parts.length > 0 ? parts : null;
  };
  const concat = (parts: Float64Array[]) => {
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  return {
    rounds,
    steps: rates.map((rate, i) => {
      const flush = pooled((x) => x.flush, i) ?? [];
      const renderer = pooled((x) => x.renderer, i);
      const transport = pooled((x) => x.transport, i);
      return {
        ratePerSec: rate,
        trades: rateFrames({ perSecond: rate, ms }),
        flush: distribution(concat(flush)),
        flushRoundP99: flush.map((x) => distribution(x).p99),
        renderer: renderer ? distribution(concat(renderer)) : null,
        rendererRoundP99: renderer ? renderer.map((x) => distribution(x).p99) : [],
        rendererTrades: renderer ? renderer.reduce((n, x) => n + x.length, 0) : 0,
        transport: transport ? distribution(concat(transport)) : null,
      };
    }),
    ...(rendererSkipped ? { rendererSkipped } : {}),
  };
}

/** One pass over the three rates; the browser (when given) opens a fresh page on a fresh host. */
async function latencyRound(
  replay: ReplayProcess,
  rates: number[],
  ms: number,
  browser: Browser | null,
): Promise<{ samples: RoundSamples; skipped?: string }> {
  const phases: Phase[] = [{ kind: 'gate' }];
  for (const r of rates) phases.push({ kind: 'rate', perSecond: r, ms }, { kind: 'pause', ms: 300 });
  const scenario: Scenario = { venue: 'binance', native: 'BTCUSDT', tradesPerFrame: 1, phases };

  // Trade id ranges per step (ids are sequential from 1 in phase order).
  const bounds: { first: number; last: number }[] = [];
  let next = 1;
  for (const r of rates) {
    const n = rateFrames({ perSecond: r, ms });
    bounds.push({ first: next, last: next + n - 1 });
    next += n;
  }
  const stepOf = (id: number) => {
    for (let i = 0; i < bounds.length; i++) if (id >= bounds[i]!.first && id <= bounds[i]!.last) return i;
    return -1;
  };

  // Flush latency: times of trades processed since the last flush, resolved at the next flush.
  const pendingTime = new SampleBuffer(1 << 16);
  const pendingId = new SampleBuffer(1 << 16);
  const flushing = bounds.map((b) => new SampleBuffer(b.last - b.first + 1));
  const probe = {
    send: () => {
      const now = epochNow();
      for (let i = 0; i < pendingTime.n; i++) flushing[stepOf(pendingId.at(i))]?.push(now - pendingTime.at(i));
      pendingTime.clear();
      pendingId.clear();
    },
  };

  let page: Page | null = null;
  let host: WebHost | null = null;
  let skipped: string | undefined;
  try {
    await runPipeline(replay, {
      scenario,
      subscribers: [probe],
      onTrade: (time, id) => {
        pendingTime.push(time);
        pendingId.push(Number(id));
      },
      onStarted: async (p) => {
        try {
          if (!browser) return;
          host = await startWebHost({ api: new CoreApi(p, { timeframes: DEFAULT_TIMEFRAME_LIST }), rendererDir: PAGE_DIR });
          page = await browser.newPage();
          await page.goto(host.url);
          await page.waitForFunction(() => (window as unknown as { __probe?: { connected: boolean } }).__probe?.connected === true, null, { timeout: 30_000 });
          // Let Chromium finish starting up (its GPU and utility processes take both cores for a
          // moment): without this, the first second of the 1k/s step showed 100-400 ms stalls
          // that were Chromium's start, not the pipeline. Steady state is what is measured.
          await sleep(1_500);
        } catch (e) {
          skipped = `renderer probe failed: ${(e as Error).message.split('\n')[0]}`;
        } finally {
          replay.go();
        }
      },
    });
    await sleep(300); // the last flushes reach the page
    const fromPage =
      page && !skipped
        ? await (page as Page).evaluate(() => {
            const p = (window as unknown as { __probe: { ids: number[]; latency: number[]; transport: number[]; transportIds: number[] } }).__probe;
            return { ids: p.ids, latency: p.latency, transport: p.transport, transportIds: p.transportIds };
          })
        : null;
    const flush = flushing.map((b) => b.taken());
    if (!fromPage) return { samples: { flush, renderer: null, transport: null }, ...(skipped ? { skipped } : {}) };
    const renderer = rates.map(() => new SampleBuffer(1024));
    const transport = rates.map(() => new SampleBuffer(1024));
    fromPage.ids.forEach((id, i) => renderer[stepOf(id)]?.push(fromPage.latency[i]!));
    fromPage.transportIds.forEach((id, i) => transport[stepOf(id)]?.push(fromPage.transport[i]!));
    return { samples: { flush, renderer: renderer.map((b) => b.taken()), transport: transport.map((b) => b.taken()) } };
  } finally {
    await (page as Page | null)?.close().catch(() => {});
    await (host as WebHost | null)?.close().catch(() => {});
  }
}
