// Injected into the real UI before it loads (page.addInitScript), so its requestAnimationFrame
// callback is registered first and runs first in every frame.
// - frame interval: rAF timestamp deltas (frame time);
// - frame work: from our rAF callback to a message posted from it, which runs as a task after
//   the frame's rendering step: the charts' rAF callbacks (lightweight-charts draws there) plus
//   style, layout and paint on the main thread;
// - long tasks: PerformanceObserver 'longtask' (over 50 ms).
// Each entry is [performance.now() at the frame, value].
(function () {
  const r = { intervals: [], work: [], longTasks: [] };
  window.__rprobe = r;
  let last = 0;
  let t0 = 0;
  const ch = new MessageChannel();
  ch.port1.onmessage = () => r.work.push([t0, performance.now() - t0]);
  const loop = (t) => {
    if (last) r.intervals.push([t, t - last]);
    last = t;
    t0 = performance.now();
    ch.port2.postMessage(0);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) r.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    r.longTasksUnsupported = true;
  }
})();
