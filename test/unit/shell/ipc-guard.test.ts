import { describe, expect, it, vi } from 'vitest';
import { isAllowedNavigation, isTrustedSender } from '../../../electron/main/ipc-guard';

// The guard must not need Electron; if anything reaches for it, fail loudly.
vi.mock('electron', () => {
  throw new Error('electron must not be imported by the IPC guard');
});

const ours = new Set([7]);

describe('IPC sender checks (main process)', () => {
  it('accepts the main frame of our window showing our app page', () => {
    expect(isTrustedSender({ webContentsId: 7, frameUrl: 'app://tickscope/index.html', isMainFrame: true }, ours)).toEqual({ ok: true });
  });

  it.each([
    [{ webContentsId: 8, frameUrl: 'app://tickscope/index.html', isMainFrame: true }, 'not a Tickscope window'],
    [{ webContentsId: 7, frameUrl: 'app://tickscope/index.html', isMainFrame: false }, 'sub-frames'],
    [{ webContentsId: 7, frameUrl: 'https://evil.example/', isMainFrame: true }, 'is not app://tickscope'],
    [{ webContentsId: 7, frameUrl: 'file:///etc/passwd', isMainFrame: true }, 'is not app://tickscope'],
    [{ webContentsId: 7, frameUrl: '', isMainFrame: true }, 'unparseable'],
  ])('refuses %j', (sender, why) => {
    const v = isTrustedSender(sender, ours);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.why).toContain(why);
  });

  it('blocks navigation away from the app', () => {
    expect(isAllowedNavigation('app://tickscope/index.html')).toBe(true);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('app://other/')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
  });
});
