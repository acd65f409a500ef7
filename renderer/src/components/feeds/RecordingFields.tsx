/** The feed form's recording part: record raw frames (and a disk budget), or, for a replay feed, its file and speed. */
export interface RecordingValues {
  record: boolean;
  budgetMB: string;
  file: string;
  speed: string;
}

export function recordingValues(initial: { record?: boolean; recordBudgetMB?: number; options?: Record<string, unknown> } | null): RecordingValues {
  return {
    record: initial?.record ?? false,
    budgetMB: String(initial?.recordBudgetMB ?? ''),
    file: typeof initial?.options?.['file'] === 'string' ? (initial.options['file'] as string) : '',
    speed: String(initial?.options?.['speed'] ?? '1'),
  };
}

export function RecordingFields({ rec, isReplay, set }: { rec: RecordingValues; isReplay: boolean; set: (patch: Partial<RecordingValues>) => void }) {
  if (isReplay) {
    return (
      <>
        <label>
          <span>Recording file or folder</span>
          <input aria-label="Recording file" value={rec.file} onChange={(e) => set({ file: e.target.value })} />
          <span className="field-hint">A folder under the data folder's recordings, for example recordings/binance-spot</span>
        </label>
        <label>
          <span>Replay speed</span>
          <select aria-label="Replay speed" value={rec.speed} onChange={(e) => set({ speed: e.target.value })}>
            <option value="1">1x</option>
            <option value="10">10x</option>
            <option value="max">as fast as possible</option>
          </select>
        </label>
      </>
    );
  }
  return (
    <>
      <label className="check">
        <input type="checkbox" aria-label="Record raw frames" checked={rec.record} onChange={(e) => set({ record: e.target.checked })} />
        Record raw frames (for replay and trade CSV export)
      </label>
      {rec.record && (
        <label>
          <span>Recording disk budget (MiB)</span>
          <input aria-label="Recording budget" inputMode="numeric" value={rec.budgetMB} onChange={(e) => set({ budgetMB: e.target.value })} />
          <span className="field-hint">Empty: 1024 MiB; the oldest files go first beyond it</span>
        </label>
      )}
    </>
  );
}

/** Adds the recording fields (or, for a replay feed, its file and speed options) to a payload. */
export function withRecording(payload: Record<string, unknown>, rec: RecordingValues, isReplay: boolean): Record<string, unknown> {
  const out = { ...payload };
  delete out.record;
  delete out.recordBudgetMB;
  if (isReplay) {
    const options = { ...((out.options as Record<string, unknown> | undefined) ?? {}) };
    options.file = rec.file.trim();
    options.speed = rec.speed === 'max' ? 'max' : Number(rec.speed);
    out.options = options;
    return out;
  }
  if (rec.record) {
    out.record = true;
    // An unparseable budget goes to the core as typed, so its error names the field.
    if (rec.budgetMB.trim()) out.recordBudgetMB = Number.isFinite(Number(rec.budgetMB)) ? Number(rec.budgetMB) : rec.budgetMB;
  }
  return out;
}
