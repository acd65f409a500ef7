/**
 * The chart toolbar's "Studies" menu: CVD pane (per UTC day or from the first bar in view), session
 * VWAP (and its sigma bands), anchored VWAP (the next click on a bar anchors it), volume profile
 * (bars in view or their UTC day) and its bucket size.
 * Choices are kept per chart in the layout store, so they survive a reload.
 */
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { normalizeStudies, type StudySettings } from '../../chart/studies/settings';
import { useDismiss } from '../../hooks/use-dismiss';
import { useLayout, type ChartSpec } from '../../stores/layout-store';
import './studies-menu.css';

export function StudiesMenu({ spec, n }: { spec: ChartSpec; n: number }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, root, close);
  const s = normalizeStudies(spec.studies);
  const set = (patch: Partial<StudySettings>) => useLayout.getState().setChartStudies(spec.id, patch);
  const count = [s.cvd, s.vwap, s.anchoredVwap, s.oi, s.profile].filter(Boolean).length;
  const check = (label: string, on: boolean, patch: (v: boolean) => Partial<StudySettings>, disabled = false, hint?: ReactNode) => (
    <label className={disabled ? 'disabled' : undefined}>
      <input type="checkbox" checked={on} disabled={disabled} onChange={(e) => set(patch(e.target.checked))} />
      {label}
      {hint}
    </label>
  );
  return (
    <span className="studies-menu" ref={root}>
      <button type="button" aria-expanded={open} aria-label={`Studies for chart ${n}`} title="CVD, VWAP, open interest, volume profile" onClick={() => setOpen(!open)}>
        Studies{count > 0 ? ` (${count})` : ''}
      </button>
      {open && (
        <div className="studies-panel" role="group" aria-label={`Studies for chart ${n}`}>
          {check('CVD (cumulative volume delta)', s.cvd, (v) => ({ cvd: v }))}
          <label className={s.cvd ? 'sub' : 'sub disabled'}>
            CVD starts
            <select aria-label="CVD starts" disabled={!s.cvd} value={s.cvdReset} onChange={(e) => set({ cvdReset: e.target.value === 'visible' ? 'visible' : 'day' })}>
              <option value="day">each UTC day</option>
              <option value="visible">at the first bar in view</option>
            </select>
          </label>
          {check('VWAP (UTC day)', s.vwap, (v) => ({ vwap: v }))}
          {check('VWAP 1σ / 2σ bands', s.vwapBands, (v) => ({ vwapBands: v }), !s.vwap)}
          {check('Anchored VWAP', s.anchoredVwap, (v) => ({ anchoredVwap: v, anchorStart: null }), false,
            s.anchoredVwap && s.anchorStart === null ? <span className="hint"> — click a bar to anchor</span> : null)}
          {s.anchoredVwap && s.anchorStart !== null && (
            <button type="button" className="link" onClick={() => set({ anchorStart: null })}>
              Anchor at another bar
            </button>
          )}
          {check('Open interest (perps, funding channel)', s.oi, (v) => ({ oi: v }))}
          {check('Volume profile', s.profile, (v) => ({ profile: v }))}
          <label className={s.profile ? 'sub' : 'sub disabled'}>
            Profile of
            <select aria-label="Profile of" disabled={!s.profile} value={s.profileRange} onChange={(e) => set({ profileRange: e.target.value === 'session' ? 'session' : 'visible' })}>
              <option value="visible">the bars in view</option>
              <option value="session">the UTC day in view</option>
            </select>
          </label>
          <label className={s.profile ? 'sub' : 'sub disabled'}>
            Profile bucket
            <input
              type="number"
              min="0"
              step="any"
              placeholder="auto"
              disabled={!s.profile}
              aria-label="Profile bucket size (empty for automatic)"
              value={s.profileStep ?? ''}
              onChange={(e) => {
                const v = e.target.valueAsNumber;
                set({ profileStep: Number.isFinite(v) && v > 0 ? v : null });
              }}
            />
          </label>
        </div>
      )}
    </span>
  );
}
