/**
 * Checks who asks for the core's port. Pure (no electron import) so it is unit-tested without
 * Electron: only the main frame of one of our windows, showing our own app:// page, gets a port.
 */
export const APP_ORIGIN = 'app://tickscope';

export interface SenderInfo {
  /** webContents id of the sender. */
  webContentsId: number;
  /** URL of the frame that sent the message. */
  frameUrl: string;
  /** True when the sending frame is the top-level frame. */
  isMainFrame: boolean;
}

export function isTrustedSender(sender: SenderInfo, ourWindows: ReadonlySet<number>): { ok: true } | { ok: false; why: string } {
  if (!ourWindows.has(sender.webContentsId)) return { ok: false, why: `webContents ${sender.webContentsId} is not a Tickscope window` };
  if (!sender.isMainFrame) return { ok: false, why: 'sub-frames may not talk to the core' };
  let url: URL;
  try {
    url = new URL(sender.frameUrl);
  } catch {
    return { ok: false, why: `unparseable frame URL "${sender.frameUrl}"` };
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return { ok: false, why: `frame origin ${url.protocol}//${url.host} is not ${APP_ORIGIN}` };
  return { ok: true };
}

/** Only our own pages may be navigated to; everything else is blocked. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}
