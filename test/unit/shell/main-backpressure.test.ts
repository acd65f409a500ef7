/**
 * MessagePort backpressure in the Electron main process (electron mocked, the real core with its
 * default simulator feed): a renderer that does not ack its batches is conflated after a few,
 * like a slow browser on the web host, while a prompt renderer beside it is unaffected; acks
 * bring the slow one back with one merged batch. Acks are checked by schema: a malformed ack or
 * one for a batch never sent is rejected with a reply and changes nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ReplyMessage, StreamBatch } from '../../../shared/protocol';
import { DEFAULT_MAX_UNACKED } from '../../../electron/main/ack-window';
import { fake, FakeWindow, frame, type FakePort } from './fake-electron';
import { waitFor } from '../../helpers/wait-for';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

fake.userData = mkdtempSync(join(tmpdir(), 'tickscope-main-bp-'));

const batches = (p: FakePort) => p.sent.filter((m): m is StreamBatch => (m as { type: string }).type === 'batch');
const replies = (p: FakePort) => p.sent.filter((m): m is ReplyMessage => (m as { type: string }).type === 'reply');

describe('Electron main: MessagePort backpressure', async () => {
  await import('../../../electron/main/index');
  fake.ready();
  const win = await waitFor(() => FakeWindow.all[0], 'the window');
  const request = fake.ipcHandlers.get('tickscope:request-port')!;

  function openPort(): FakePort {
    const page = frame('app://tickscope/index.html');
    request({ sender: { id: win.webContents.id, mainFrame: page }, senderFrame: page });
    expect(page.posted).toHaveLength(1);
    return fake.ports.at(-1)!;
  }

  it('conflates a renderer that does not ack, leaves a prompt one alone, and resumes on ack', async () => {
    const slow = openPort();
    const prompt = openPort();
    // The prompt renderer acks each batch as soon as the event loop lets it, like the page does.
    prompt.onPost = (m) => {
      if ((m as { type: string }).type === 'batch') setImmediate(() => prompt.fromPage({ type: 'ack', seq: (m as StreamBatch).seq }));
    };

    await waitFor(() => batches(slow).length >= DEFAULT_MAX_UNACKED, 'the slow renderer to have its window full');
    expect(slow.sent[0]).toMatchObject({ type: 'hello' });
    const stalledAt = batches(prompt).length;
    const lastSeen = batches(slow).at(-1)!.seq;

    // Acks that are malformed, or that claim a batch never sent, are rejected and unlock nothing.
    slow.fromPage({ type: 'ack', seq: 'all' });
    slow.fromPage({ type: 'ack', seq: lastSeen + 1_000_000 });
    await waitFor(() => replies(slow).length >= 2, 'the two rejections');
    expect(replies(slow)).toEqual([
      expect.objectContaining({ id: -1, ok: false, error: expect.stringContaining('malformed message') }),
      expect.objectContaining({ id: -1, ok: false, error: expect.stringContaining('malformed message') }),
    ]);

    // Several flushes go by (the prompt renderer sees them); the slow one gets none of them.
    await waitFor(() => batches(prompt).length >= stalledAt + 5, 'five more flushes');
    expect(batches(slow)).toHaveLength(DEFAULT_MAX_UNACKED);

    // The slow renderer catches up: one merged batch carrying what it missed.
    slow.fromPage({ type: 'ack', seq: lastSeen });
    const resumed = await waitFor(() => batches(slow)[DEFAULT_MAX_UNACKED], 'the slow renderer to resume');
    expect(resumed.conflated).toBeGreaterThanOrEqual(1);
    expect(resumed.seq).toBeGreaterThan(lastSeen + 1);
    // A valid ack is consumed by main: it is never answered like a command.
    expect(replies(slow)).toHaveLength(2);

    // The prompt renderer never fell behind: nothing was merged for it, no seq was skipped.
    const promptSeqs = batches(prompt).map((b) => b.seq);
    expect(batches(prompt).every((b) => b.conflated === 0)).toBe(true);
    expect(promptSeqs.every((s, i) => i === 0 || s === promptSeqs[i - 1]! + 1)).toBe(true);
    expect(replies(prompt)).toHaveLength(0);
  });

  it('still answers commands on a port whose batches are unacknowledged', async () => {
    const port = openPort();
    await waitFor(() => batches(port).length >= DEFAULT_MAX_UNACKED, 'a full window');
    port.fromPage({ type: 'command', id: 9, name: 'listFeeds' });
    const reply = await waitFor(() => replies(port).find((r) => r.id === 9), 'the reply');
    expect(reply).toMatchObject({ ok: true, result: [expect.objectContaining({ id: 'simulator-spot' })] });
  });
});
