/** Per queue: depth against capacity, high-water mark, dropped count. */
import type { QueueHealth } from '../../../../shared/health';

export function QueueTable({ queues }: { queues: QueueHealth[] }) {
  return (
    <table className="grid-table" aria-label="Queues">
      <thead>
        <tr>
          <th>Queue</th>
          <th>Policy</th>
          <th className="num">Depth</th>
          <th className="num">High water</th>
          <th className="num">Dropped</th>
        </tr>
      </thead>
      <tbody>
        {queues.map((q) => (
          <tr key={q.name} data-queue={q.name} className={q.dropped > 0 ? 'row-warn' : undefined}>
            <td>{q.name}</td>
            <td className="muted">{q.policy}</td>
            <td className="num">
              {q.depth} / {q.capacity}
            </td>
            <td className="num">{q.highWater}</td>
            <td className="num">{q.dropped}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
