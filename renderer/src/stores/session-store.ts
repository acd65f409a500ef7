/** Connection-level state: the client, the hello (venues, timeframes), the feed list, notices. */
import { create } from 'zustand';
import type { FeedConfig } from '../../../shared/config';
import { DEFAULT_TIMEFRAMES } from '../../../shared/domain';
import type { HelloMessage, VenueInfo } from '../../../shared/protocol';
import type { CoreClient } from '../transport/client';

export interface SessionState {
  client: CoreClient | null;
  timeframes: string[];
  venues: VenueInfo[];
  feeds: FeedConfig[];
  notices: string[];
  helloReceived: boolean;
  connected: boolean;
  closeReason: string | null;
  setClient(client: CoreClient): void;
  onHello(h: HelloMessage): void;
  onClosed(reason: string): void;
  /** The core's current feed list (a `feeds` message, pushed after any window changed it). */
  setFeeds(feeds: FeedConfig[]): void;
  /** Re-reads the feed list from the core (the `feeds` push normally makes this unnecessary). */
  refreshFeeds(): Promise<void>;
  dismissNotice(index: number): void;
}

export const useSession = create<SessionState>()((set, get) => ({
  client: null,
  timeframes: [...DEFAULT_TIMEFRAMES],
  venues: [],
  feeds: [],
  notices: [],
  helloReceived: false,
  connected: true,
  closeReason: null,
  setClient: (client) => set({ client }),
  onHello: (h) =>
    set({
      timeframes: h.timeframes.length > 0 ? h.timeframes : [...DEFAULT_TIMEFRAMES],
      venues: h.venues,
      feeds: h.feeds,
      notices: h.notices,
      helloReceived: true,
    }),
  onClosed: (reason) => set({ connected: false, closeReason: reason }),
  setFeeds: (feeds) => set({ feeds }),
  refreshFeeds: async () => {
    const client = get().client;
    if (!client) return;
    const feeds = await client.request('listFeeds', {});
    set({ feeds });
  },
  dismissNotice: (index) => set({ notices: get().notices.filter((_, i) => i !== index) }),
}));
