/**
 * The feed form in a modal dialog (the page's top layer: not squeezed into the bottom pane, never
 * clipped by it). Escape, the × button and Cancel close it; focus returns to what opened it.
 */
import { useEffect, useRef } from 'react';
import type { FeedConfig } from '../../../../shared/config';
import { FeedForm } from './FeedForm';
import './feed-form.css';

export function FeedDialog({ initial, onDone }: { initial: FeedConfig | null; onDone: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="feed-dialog"
      aria-labelledby="feed-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        onDone();
      }}
    >
      <FeedForm initial={initial} onDone={onDone} titleId="feed-dialog-title" />
    </dialog>
  );
}
