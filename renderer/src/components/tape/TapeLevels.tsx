/**
 * The tape's highlight levels (three, in dollars of notional) and the chart's liquidation marker
 * threshold, behind one button that shows the current levels. Escape or a click outside closes it.
 */
import { useEffect, useRef, useState } from 'react';
import { formatUsd } from '../../lib/usd';
import { useLayout } from '../../stores/layout-store';

const LEVEL_NAMES = ['Level 1', 'Level 2', 'Level 3'];

function DollarInput({ label, value, onChange }: { label: string; value: number; onChange: (v: number) => void }) {
  return (
    <label className="inline-field">
      <span>{label} $</span>
      <input type="number" min={0} step={1000} aria-label={label} value={value} onChange={(e) => onChange(e.target.value === '' ? 0 : Number(e.target.value))} />
    </label>
  );
}

export function TapeLevels({ levels }: { levels: readonly number[] }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  const liqMin = useLayout((s) => s.liqMarkerMin);
  const { setTapeLevel, setLiqMarkerMin } = useLayout.getState();
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const summary = levels.filter((l) => l > 0).map((l) => formatUsd(l)).join(' · ') || 'off';
  return (
    <span className="tape-levels" ref={root}>
      <button
        type="button"
        aria-expanded={open}
        aria-label={`Highlight levels: ${summary}`}
        title="Shade trades at or above these dollar notionals; set the chart's liquidation marker threshold"
        onClick={() => setOpen(!open)}
      >
        ≥ {summary}
      </button>
      {open && (
        <div className="tape-levels-panel" role="group" aria-label="Highlight levels">
          {LEVEL_NAMES.map((name, i) => (
            <DollarInput key={name} label={name} value={levels[i] ?? 0} onChange={(v) => setTapeLevel(i, v)} />
          ))}
          <p className="muted">0 turns a level off. Trades in other quote currencies count at that currency's dollar price when a watched market gives one.</p>
          <DollarInput label="Liquidation markers from" value={liqMin} onChange={setLiqMarkerMin} />
        </div>
      )}
    </span>
  );
}
