/**
 * The latest health snapshot and the feed state log. The log is kept in localStorage (the newest
 * MAX_STATUSES records), so a reload does not wipe the story of what just went wrong; records the
 * core sends again are not listed twice.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
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

export const useHealth = create<HealthState>()(
  persist(
    (set, get) => ({
      health: null,
      statuses: [],
      onHealth: (health) => set({ health }),
      onStatuses: (s) => set({ statuses: mergeStatuses(get().statuses, s) }),
    }),
    {
      name: 'tickscope.statusLog',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ statuses: s.statuses }),
      merge: (persisted, current) => {
        const stored = (persisted as { statuses?: unknown } | undefined)?.statuses;
        const statuses = Array.isArray(stored) ? stored.filter(validStatus).slice(-MAX_STATUSES) : [];
        return { ...current, statuses: mergeStatuses(statuses, current.statuses) };
      },
    },
  ),
);
