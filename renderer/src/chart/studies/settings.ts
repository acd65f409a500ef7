/** Which studies a chart shows; kept per chart in the layout store (ChartSpec.studies). */

export interface StudySettings {
  /** Cumulative volume delta pane under the candles. */
  cvd: boolean;
  /** Session (UTC day) VWAP line. */
  vwap: boolean;
  /** 1 and 2 sigma bands around the session VWAP. */
  vwapBands: boolean;
  /** A VWAP from `anchorStart` (a bar picked with a click on the chart). */
  anchoredVwap: boolean;
  anchorStart: number | null;
  /** Volume profile of the visible range at the price axis side. */
  profile: boolean;
  /** Profile bucket height in price units; null = chosen from the visible range. */
  profileStep: number | null;
}

export const NO_STUDIES: StudySettings = {
  cvd: false,
  vwap: false,
  vwapBands: false,
  anchoredVwap: false,
  anchorStart: null,
  profile: false,
  profileStep: null,
};

/** Fills in what an older layout (or a hand-edited one) lacks, and drops what is not valid. */
export function normalizeStudies(s: Partial<StudySettings> | undefined): StudySettings {
  const v = { ...NO_STUDIES, ...(s ?? {}) };
  const step = typeof v.profileStep === 'number' && Number.isFinite(v.profileStep) && v.profileStep > 0 ? v.profileStep : null;
  const anchor = typeof v.anchorStart === 'number' && Number.isFinite(v.anchorStart) ? v.anchorStart : null;
  return {
    cvd: v.cvd === true,
    vwap: v.vwap === true,
    vwapBands: v.vwapBands === true,
    anchoredVwap: v.anchoredVwap === true,
    anchorStart: anchor,
    profile: v.profile === true,
    profileStep: step,
  };
}
