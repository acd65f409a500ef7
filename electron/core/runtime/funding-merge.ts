/**
 * One market's Funding from two sources: the stream (Binance `markPrice@1s`: rate, mark, index,
 * next settlement) and a REST poll (Binance `/fapi/v1/openInterest`: open interest only). Every
 * record that leaves the feed carries the latest of both, as the OKX parser does for its three
 * channels, because the publisher keeps only the latest Funding per market in a batch
 * (pipeline/publisher.ts): a bare open-interest record would hide the rate that came just before,
 * and the next mark-price record would hide the open interest until the next poll.
 * Only feeds whose venue polls (VenueRest.polls) use it.
 */
import type { Funding } from '../../../shared/domain';

type FundingFields = Omit<Funding, 'type' | 'exchange' | 'market' | 'symbol' | 'time' | 'receivedAt'>;
const IDENTITY = new Set(['type', 'exchange', 'market', 'symbol', 'time', 'receivedAt']);

/** The data fields a record carries (rate, markPrice, openInterest...), without who and when. */
function fieldsOf(f: Funding): FundingFields {
  return Object.fromEntries(Object.entries(f).filter(([k, v]) => !IDENTITY.has(k) && v !== undefined)) as FundingFields;
}

export class FundingMerge {
  private readonly streamed = new Map<string, Funding>();
  private readonly polled = new Map<string, FundingFields>();

  /** A stream record, with the latest polled fields it does not carry itself. */
  fromStream(f: Funding): Funding {
    this.streamed.set(f.symbol, f);
    const extra = this.polled.get(f.symbol);
    if (!extra) return f;
    return { ...extra, ...f };
  }

  /** A polled record, on top of the market's latest stream record; its time is the poll's. */
  fromPoll(f: Funding): Funding {
    const fields = fieldsOf(f);
    this.polled.set(f.symbol, { ...this.polled.get(f.symbol), ...fields });
    const base = this.streamed.get(f.symbol);
    return base ? { ...base, ...fields, time: f.time, receivedAt: f.receivedAt } : f;
  }
}
