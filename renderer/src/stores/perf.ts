/** The renderer's frame rate, measured by one requestAnimationFrame loop for the whole page. */
import { RateMeter } from '../lib/rate-meter';

export const frameMeter = new RateMeter(2_000);
let running = false;

export function startFrameMeter(): void {
  if (running || typeof requestAnimationFrame === 'undefined') return;
  running = true;
  const loop = (t: number) => {
    frameMeter.mark(t);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}

/** Frames per second now (rAF timestamps share performance.now()'s clock). */
export function currentFps(): number {
  return frameMeter.rate(performance.now());
}
