/**
 * The trade tape: newest first, virtualised; side in words and colour, notional in dollars,
 * shaded by three dollar levels; liquidations stand out. Re-reads the ring buffer four times a
 * second, not per trade. Scrolled away from the top it freezes (rows stop moving under the
 * reader) and a pill counts what came in since; the pill, or scrolling back up, resumes.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_TAPE_LEVELS, highlightLevel, type TapeEntry } from '../../lib/tape';
import { toUsd, type UsdPriceOf } from '../../lib/usd';
import { COMPOSITE, marketKey } from '../../../../shared/markets';
import { shortMarketLabel } from '../../lib/venue-label';
import { statsBook, tape } from '../../stores/live-books';
import { activeChart, useLayout } from '../../stores/layout-store';
import { useTicker } from '../../hooks/use-ticker';
import { TapeLevels } from './TapeLevels';
import { TapeRow, type MarketColumn } from './TapeRow';
import './tape.css';

const ROW_HEIGHT = 20;
const MAX_ROWS = 2000;

interface Frozen {
  rows: TapeEntry[];
  /** Entry number of the newest row when the tape froze: anything newer is "new". */
  topN: number;
}

/** Trades of the list at each highlight level (`data-levels`, for tests and tools; once per tick). */
function levelCounts(rows: readonly TapeEntry[], levels: readonly number[], usdPrice: UsdPriceOf): string {
  const counts = levels.map(() => 0);
  for (const e of rows) {
    if (e.kind !== 'trade') continue;
    const level = highlightLevel(toUsd(e.price * e.size, e.symbol, usdPrice), levels);
    if (level > 0) counts[level - 1]!++;
  }
  return counts.join(',');
}

function validLevels(v: unknown): readonly number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : DEFAULT_TAPE_LEVELS;
}

export function TradeTape() {
  useTicker(250);
  const scrollRef = useRef<HTMLDivElement>(null);
  const levels = validLevels(useLayout((s) => s.tapeLevels));
  const scope = useLayout((s) => s.tapeScope);
  const chart = useLayout(activeChart);
  const { setTapeScope } = useLayout.getState();
  const m = scope === 'chart' ? (chart?.market ?? null) : null;
  const keep = m
    ? (e: TapeEntry) => e.symbol === m.symbol && e.market === m.market && (m.exchange === COMPOSITE || e.exchange === m.exchange)
    : undefined;
  const marketColumn: MarketColumn = !m ? 'full' : m.exchange === COMPOSITE ? 'venue' : 'none';
  const filterKey = m ? marketKey(m) : 'all';

  const [frozen, setFrozen] = useState<Frozen | null>(null);
  // Another market or scope: a different list, so start again at the newest trade.
  useEffect(() => {
    setFrozen(null);
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [filterKey]);
  const rows = frozen ? frozen.rows : tape.newestFirst(keep, MAX_ROWS);
  const fresh = frozen ? tape.countNewer(frozen.topN, keep) : 0;

  const onScroll = () => {
    const top = scrollRef.current?.scrollTop ?? 0;
    if (top > ROW_HEIGHT / 2 && !frozen) setFrozen({ rows, topN: rows[0]?.n ?? 0 });
    else if (top <= 1 && frozen) setFrozen(null);
  };
  const resume = () => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setFrozen(null);
  };

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => rows[i]?.n ?? i,
  });

  return (
    <section className={`pane tape market-col-${marketColumn}`} aria-label="Trade tape">
      <header className="pane-header">
        <h2>Tape</h2>
        <label className="inline-field">
          <span>Show</span>
          <select aria-label="Tape markets" value={scope} onChange={(e) => setTapeScope(e.target.value as 'chart' | 'all')}>
            <option value="chart">active chart</option>
            <option value="all">all markets</option>
          </select>
        </label>
        <TapeLevels levels={levels} />
        {m && m.exchange !== COMPOSITE && (
          <span className="tape-market muted" title="The tape shows the active chart's market">
            {shortMarketLabel(m)}
          </span>
        )}
        {tape.omitted > 0 && (
          <span className="muted" title="Trades the core left out of batches under load">
            +{tape.omitted} omitted
          </span>
        )}
      </header>
      <div className="tape-head" aria-hidden="true">
        <span>Time</span>
        <span>Side</span>
        {marketColumn !== 'none' && <span>{marketColumn === 'venue' ? 'Venue' : 'Market'}</span>}
        <span className="num">Price</span>
        <span className="num t-size">Size</span>
        <span className="num">Value</span>
      </div>
      <div className="tape-body">
        {frozen && (
          <button type="button" className="tape-new-pill" onClick={resume} aria-label={`${fresh} new trades: back to the newest`}>
            {fresh >= tape.capacity ? `${fresh}+` : fresh} new ↑
          </button>
        )}
        <div
          ref={scrollRef}
          className="pane-scroll"
          role="list"
          aria-label="Trades, newest first"
          data-rows={rows.length}
          data-frozen={frozen ? 'true' : 'false'}
          data-levels={levelCounts(rows, levels, statsBook().usdPrice)}
          tabIndex={0}
          onScroll={onScroll}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => (
              <TapeRow
                key={v.key}
                e={rows[v.index]!}
                levels={levels}
                usdPrice={statsBook().usdPrice}
                marketColumn={marketColumn}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
              />
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
