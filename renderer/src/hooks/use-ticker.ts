/** Re-renders the caller every `ms` and returns the current time (for ages and countdowns). */
import { useEffect, useState } from 'react';

export function useTicker(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
