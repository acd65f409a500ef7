/** Pipeline health snapshots (1-2 Hz) and the recent feed state changes. */
import { create } from 'zustand';
import type { PipelineHealth, StatusRecord } from '../../../shared/health';

export interface HealthState {
  health: PipelineHealth | null;
  /** Newest last, capped. */
  statuses: StatusRecord[];
  onHealth(h: PipelineHealth): void;
  onStatuses(s: StatusRecord[]): void;
}

const MAX_STATUSES = 100;

export const useHealth = create<HealthState>()((set, get) => ({
  health: null,
  statuses: [],
  onHealth: (health) => set({ health }),
  onStatuses: (s) => set({ statuses: [...get().statuses, ...s].slice(-MAX_STATUSES) }),
}));
