/** The app's mark, inline (same drawing as build/icon.svg and the favicon). */
export function AppIcon({ size = 16 }: { size?: number }) {
  return (
    <svg className="app-icon" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true">
      <rect width="64" height="64" rx="14" fill="#131a26" />
      <path d="M10 44 L22 32 L31 38 L44 20 L54 26" fill="none" stroke="#4f8cff" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round" />
      <rect x="14" y="48" width="6" height="8" rx="1" fill="#26a69a" />
      <rect x="29" y="46" width="6" height="10" rx="1" fill="#ef5350" />
      <rect x="44" y="44" width="6" height="12" rx="1" fill="#26a69a" />
    </svg>
  );
}
