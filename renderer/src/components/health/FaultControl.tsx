/** "Simulate fault" for built-in simulator feeds (command simulatorFault): for demos and tests. */
import { useState } from 'react';
import { useSession } from '../../stores/session-store';

type Mode = 'drop' | 'stall' | 'malformed' | 'drop-diff';
/** stall: ms without data; malformed: frames; drop: the connection is closed (no argument); drop-diff: book diffs not sent. */
const DEFAULT_ARG: Record<Mode, number | undefined> = { drop: undefined, stall: 8_000, malformed: 20, 'drop-diff': 1 };

export function FaultControl({ feedId }: { feedId: string }) {
  const client = useSession((s) => s.client);
  const [mode, setMode] = useState<Mode>('stall');
  const [result, setResult] = useState<string>('');
  const run = async () => {
    if (!client) return;
    setResult('…');
    try {
      const arg = DEFAULT_ARG[mode];
      await client.request('simulatorFault', arg === undefined ? { feedId, mode } : { feedId, mode, arg });
      setResult(`${mode} sent`);
    } catch (e) {
      setResult(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <span className="fault-control">
      <select aria-label={`Fault mode for ${feedId}`} value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
        <option value="stall">stall 8 s</option>
        <option value="drop">drop connection</option>
        <option value="malformed">20 malformed frames</option>
        <option value="drop-diff">drop a book diff</option>
      </select>
      <button type="button" aria-label={`Simulate fault on ${feedId}`} onClick={run}>
        Simulate fault
      </button>
      <span className="muted" role="status" aria-label={`Fault result for ${feedId}`}>
        {result}
      </span>
    </span>
  );
}
