/** A coloured dot with the state in words (colour is never the only signal). */
export function StateDot({ state }: { state: string }) {
  return (
    <span className={`state-dot state-${state}`} data-state={state} aria-label={`state ${state}`} title={state}>
      ●
    </span>
  );
}
