/**
 * The two messages that hand a window its MessagePort (Electron only). The page posts
 * PORT_REQUEST to itself; the preload relays it to main over IPC; main answers on PORT_MESSAGE
 * with the port, which the preload posts back to the page (a port cannot cross contextBridge).
 * Used by electron/main, electron/preload (bundled into its single CommonJS file, so the sandboxed
 * preload requires nothing at run time) and renderer/src/transport/electron.ts.
 */
export const PORT_REQUEST = 'tickscope:request-port';
export const PORT_MESSAGE = 'tickscope:port';
/**
 * Electron only: the user clicked an alert's desktop notification. Main sends it to the window
 * with the alert's market key; the preload posts `{type: ALERT_FOCUS, market}` to the page, which
 * shows that market on the active chart (renderer/src/lib/alert-delivery.ts).
 */
export const ALERT_FOCUS = 'tickscope:alert-focus';
