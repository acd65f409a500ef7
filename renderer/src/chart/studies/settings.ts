/** Which studies a chart shows; kept per chart in the layout store (ChartSpec.studies). */

export interface StudySettings {
  /** Cumulative volume delta pane under the candles. */
  cvd: boolean;
  /** CVD restarts every UTC day, or runs from the first bar in view. */
  cvdReset: 'day' | 'visible';
  /** Session (UTC day) VWAP line. */
  vwap: boolean;
  /** 1 and 2 sigma bands around the session VWAP. */
  vwapBands: boolean;
  /** A VWAP from `anchorStart` (a bar picked with a click on the chart). */
  anchoredVwap: boolean;
  anchorStart: number | null;
  /** Open interest pane (perp feeds with the funding channel; README lists how each venue gives it). */
  oi: boolean;
  /** Volume profile of the visible range at the price axis side. */
  profile: boolean;
  /** The bars in view, or the UTC day (session) of the newest bar in view. */
  profileRange: 'visible' | 'session';
  /** Profile bucket height in price units; null = chosen from the visible range. */
  profileStep: number | null;
}

export const NO_STUDIES: StudySettings = {
  cvd: false,
  cvdReset: 'day',
  vwap: false,
  vwapBands: false,
  anchoredVwap: false,
  anchorStart: null,
  oi: false,
  profile: false,
  profileRange: 'visible',
  profileStep: null,
};

/** Fills in what an older layout (or a hand-edited one) lacks, and drops what is not valid. */
export function normalizeStudies(s: Partial<StudySettings> | undefined): StudySettings {
  const v = { ...NO_STUDIES, ...(s ?? {}) };
  const step = typeof v.profileStep === 'number' && Number.isFinite(v.profileStep) && v.profileStep > 0 ? v.profileStep : null;
  const anchor = typeof v.anchorStart === 'number' && Number.isFinite(v.anchorStart) ? v.anchorStart : null;
  return {
    cvd: v.cvd === true,
    cvdReset: v.cvdReset === 'visible' ? 'visible' : 'day',
    vwap: v.vwap === true,
    vwapBands: v.vwapBands === true,
    anchoredVwap: v.anchoredVwap === true,
    anchorStart: anchor,
    oi: v.oi === true,
    profile: v.profile === true,
    profileRange: v.profileRange === 'session' ? 'session' : 'visible',
    profileStep: step,
  };
}
