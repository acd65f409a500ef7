/**
 * Re-renders the caller every `ms` and returns the current time (for ages and countdowns).
 *
 * Every ticker in the page shares one clock of TICK_MS steps, so the tape (4 Hz), the watchlist,
 * the health pane and the charts' status overlays (2 Hz) all update in the same timer task: React
 * batches them into one render and the browser does one style/layout pass for all of them. With a
 * timer per component, the panes re-rendered at different moments and each paid a full layout
 * of the page, ~16 times a second.
 */
import { useEffect, useState } from 'react';

const TICK_MS = 250;

interface Subscriber {
  everyTicks: number;
  fn: (now: number) => void;
}

const subscribers = new Set<Subscriber>();
let timer: ReturnType<typeof setInterval> | null = null;
let ticks = 0;

function onTick(): void {
  ticks++;
  const now = Date.now();
  for (const s of subscribers) if (ticks % s.everyTicks === 0) s.fn(now);
}

function subscribe(ms: number, fn: (now: number) => void): () => void {
  const s: Subscriber = { everyTicks: Math.max(1, Math.round(ms / TICK_MS)), fn };
  subscribers.add(s);
  if (timer === null) timer = setInterval(onTick, TICK_MS);
  return () => {
    subscribers.delete(s);
    if (subscribers.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export function useTicker(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => subscribe(ms, setNow), [ms]);
  return now;
}
