/**
 * The latest health snapshot and the feed state log. The log is kept in localStorage (the newest
 * MAX_STATUSES records), so a reload does not wipe the story of what just went wrong; records the
 * core sends again are not listed twice.
 */
import { create } from 'zustand';
import type { PipelineHealth, StatusRecord } from '../../../shared/health';

export interface HealthState {
  health: PipelineHealth | null;
  /** Newest last, capped. */
  statuses: StatusRecord[];
  onHealth(h: PipelineHealth): void;
  onStatuses(s: StatusRecord[]): void;
}

export const MAX_STATUSES = 100;

function statusKey(s: StatusRecord): string {
  return `${s.at}|${s.feedId}|${s.state}`;
}

/** Appends `incoming` to `log` without duplicates, in time order, keeping the newest `max`. */
export function mergeStatuses(log: readonly StatusRecord[], incoming: readonly StatusRecord[], max = MAX_STATUSES): StatusRecord[] {
  const seen = new Set(log.map(statusKey));
  const added = incoming.filter((s) => {
    const k = statusKey(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (added.length === 0) return log as StatusRecord[];
  return [...log, ...added].sort((a, b) => a.at - b.at).slice(-max);
}

/** Only well-formed records survive a reload (the stored JSON may be old or hand-edited). */
function validStatus(s: unknown): s is StatusRecord {
  const r = s as StatusRecord | null;
  return !!r && typeof r === 'object' && typeof r.at === 'number' && typeof r.feedId === 'string' && typeof r.state === 'string';
}

const STORAGE_KEY = 'tickscope.statusLog';

/** The log kept by the last page load (empty when there is none, or it is unreadable). */
export function loadStatusLog(storage: Pick<Storage, 'getItem'> | undefined): StatusRecord[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(validStatus).sort((a, b) => a.at - b.at).slice(-MAX_STATUSES) : [];
  } catch {
    return [];
  }
}

function saveStatusLog(statuses: StatusRecord[]): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(statuses));
  } catch {
    // Storage full or disabled: the log still works for this page load.
  }
}

// Written only when the log changes (rare), not with every 2 Hz health snapshot.
export const useHealth = create<HealthState>()((set, get) => ({
  health: null,
  statuses: loadStatusLog(globalThis.localStorage),
  onHealth: (health) => set({ health }),
  onStatuses: (s) => {
    const statuses = mergeStatuses(get().statuses, s);
    if (statuses === get().statuses) return;
    set({ statuses });
    saveStatusLog(statuses);
  },
}));
