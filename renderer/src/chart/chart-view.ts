/**
 * Where a chart looks (its visible logical range, in bar indexes): the first view of a freshly
 * loaded chart, keyboard pan and zoom, "is the latest bar on screen", and the view a chart keeps
 * when its pane is re-mounted (another chart added, a layout preset applied). Pure, so it is
 * tested without a canvas.
 */

export interface LogicalRange {
  from: number;
  to: number;
}

/** Bars shown on first load when there are more (TradingView shows ~150 too). */
export const DEFAULT_VISIBLE_BARS = 150;
/** Empty bar slots kept right of the latest bar, so the live candle is not glued to the axis. */
export const RIGHT_OFFSET_BARS = 4;
/** Zoom limits, in visible bars. */
export const MIN_VISIBLE_BARS = 8;
export const MAX_VISIBLE_BARS = 5_000;

/** Widest bar spacing of a first view (px): a handful of bars are wide candles, not slabs. */
export const FIT_MAX_BAR_SPACING = 40;

/**
 * The first view: the newest min(count, 150) bars across the width. With only a few bars (a fresh
 * 1m chart) they start at the left edge at most FIT_MAX_BAR_SPACING apart, the rest of the width
 * left free for the bars to come, instead of a cluster squeezed against the price axis.
 */
export function initialRange(barCount: number, widthPx = 0, rightOffset = RIGHT_OFFSET_BARS): LogicalRange | null {
  if (barCount <= 0) return null;
  const visible = Math.max(1, Math.min(barCount, DEFAULT_VISIBLE_BARS));
  const last = barCount - 1;
  const from = last - visible + 0.5;
  const slots = Math.max(visible - 0.5 + rightOffset, widthPx / FIT_MAX_BAR_SPACING);
  return { from, to: from + slots };
}

/**
 * True when the latest bar is off-screen: scrolled back (`scrollPosition` is the distance from the
 * right edge to the latest bar, in bars, negative past it) or scrolled into the future.
 */
export function latestOffscreen(range: LogicalRange, scrollPosition: number): boolean {
  const width = range.to - range.from;
  return scrollPosition < -0.5 || scrollPosition > width - 0.5;
}

/**
 * Zooms by `factor` (> 1 zooms in). The latest bar (`lastIndex`), when on screen, keeps its place
 * on screen (the live bar stays pinned); otherwise the right edge stays where it is.
 */
export function zoomRange(range: LogicalRange, factor: number, lastIndex: number | null = null): LogicalRange {
  const width = range.to - range.from;
  const next = Math.min(MAX_VISIBLE_BARS, Math.max(MIN_VISIBLE_BARS, width / factor));
  if (lastIndex !== null && lastIndex >= range.from && lastIndex <= range.to && width > 0) {
    const at = (lastIndex - range.from) / width;
    const from = lastIndex - at * next;
    return { from, to: from + next };
  }
  return { from: range.to - next, to: range.to };
}

/** Pans by 15% of the view (at least one bar); direction -1 is back in time. */
export function panRange(range: LogicalRange, direction: -1 | 1): LogicalRange {
  const step = Math.max(1, Math.round((range.to - range.from) * 0.15)) * direction;
  return { from: range.from + step, to: range.to + step };
}

/** A chart's view, kept while its pane is re-mounted. */
export interface SavedView {
  /** Market and timeframe it belongs to: another market or timeframe starts fresh. */
  key: string;
  width: number;
  /** Following the live bar: restored at the same distance from it. */
  atLive: boolean;
  scrollPosition: number;
  /** Scrolled back: the start of the bar at the right edge, and how far past it the edge was. */
  rightStart: number | null;
  rightFraction: number;
}

export function saveView(
  key: string,
  range: LogicalRange,
  scrollPosition: number,
  startAt: (index: number) => number | undefined,
  barCount: number,
): SavedView {
  const atLive = !latestOffscreen(range, scrollPosition);
  const rightIndex = Math.max(0, Math.min(barCount - 1, Math.floor(range.to)));
  return {
    key,
    width: range.to - range.from,
    atLive,
    scrollPosition,
    rightStart: atLive ? null : (startAt(rightIndex) ?? null),
    rightFraction: range.to - rightIndex,
  };
}

/** The range that shows `saved` again over `barCount` bars; `indexAtOrBefore` finds a bar by start. */
export function restoreRange(saved: SavedView, barCount: number, indexAtOrBefore: (start: number) => number): LogicalRange | null {
  if (barCount <= 0) return null;
  let to: number;
  if (saved.atLive || saved.rightStart === null) to = barCount - 1 + saved.scrollPosition;
  else {
    const i = indexAtOrBefore(saved.rightStart);
    if (i < 0) return initialRange(barCount);
    to = i + saved.rightFraction;
  }
  return { from: to - saved.width, to };
}

/** Views of charts whose pane is being re-mounted, by chart id (bounded: at most one per chart id). */
const views = new Map<string, SavedView>();

export function rememberView(chartId: string, view: SavedView): void {
  views.set(chartId, view);
}

export function recallView(chartId: string, key: string): SavedView | null {
  const v = views.get(chartId);
  return v && v.key === key ? v : null;
}
