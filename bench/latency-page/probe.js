// Served by the real web host (electron/web-host) in place of the renderer: the same /ws protocol,
// the same JSON batches. For every trade in a batch it records receipt time minus the trade's
// exchange time (the replay stamps T with its send time), both as epoch ms with sub-ms resolution
// (performance.timeOrigin + performance.now()). Read back by the benchmark with page.evaluate.
(function () {
  const probe = { connected: false, batches: 0, ids: [], latency: [], transport: [], transportIds: [] };
  window.__probe = probe;
  // The host redirects to /#token=...; the token is offered as a subprotocol (electron/web-host/auth.ts).
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const ws = new WebSocket(`ws://${location.host}/ws`, ['tickscope.v1', `tickscope.token.${token}`]);
  ws.onopen = () => (probe.connected = true);
  ws.onmessage = (e) => {
    const now = performance.timeOrigin + performance.now();
    const msg = JSON.parse(e.data);
    if (msg.type !== 'batch') return;
    probe.batches++;
    if (msg.trades.length > 0) {
      probe.transport.push(now - msg.at);
      probe.transportIds.push(Number(msg.trades[msg.trades.length - 1].id));
    }
    for (const t of msg.trades) {
      probe.ids.push(Number(t.id));
      probe.latency.push(now - t.time);
    }
  };
})();
