/** The ladder's price grouping: the venue's levels, or buckets of 0.1 / 1 / 10 / 100. */
import { BOOK_GROUPS, isBookGroup, type BookGroup } from '../../lib/book-ladder';

export function BookGroupSelect({ group, onChange }: { group: BookGroup; onChange: (g: BookGroup) => void }) {
  return (
    <label className="inline-field" title="Bids round down and asks round up to the group; sizes in a group are summed">
      <span>Group</span>
      <select
        aria-label="Price grouping"
        value={String(group)}
        onChange={(e) => {
          const g = Number(e.target.value);
          if (isBookGroup(g)) onChange(g);
        }}
      >
        {BOOK_GROUPS.map((g) => (
          <option key={g} value={String(g)}>
            {g === 0 ? 'none' : String(g)}
          </option>
        ))}
      </select>
    </label>
  );
}
