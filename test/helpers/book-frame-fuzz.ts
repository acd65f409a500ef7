/**
 * Seeded random book frames for the depth fast paths' differential tests
 * (test/unit/adapters/{binance,bybit}-depth-fastpath.test.ts): levels mostly as the venues write
 * them, some odd (what the scanners must decline or read exactly as Number() does), and damage
 * (whitespace, truncation, garbage) applied to whole frames.
 */
import { rng } from '../../bench/replay/frames';

export interface BookFuzz {
  random: () => number;
  pick<T>(xs: readonly T[]): T;
  digits(n: number, first?: boolean): string;
  /** A level `["price","size"]`; `clean` says whether it is one the venues send (plain decimals, price > 0). */
  level(): { text: string; clean: boolean };
  /** A JSON number as venues write ids and times, or (rarely) an odd one. */
  jsonNum(): string;
  /** The frame with whitespace, a truncation or garbage inserted (null when left alone). */
  damage(frame: string): string | null;
}

const GARBAGE = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '0', '9', '.', '-', 'e', 'x', '\u0000', '\u00e9', '\ud83d'];
const ODD_DECIMALS = ['', '0', '0.0', '.5', '5.', '.', '1e3', '-1', '-0', ' 1', '1 ', '00012.5', '1..2', 'NaN', 'Infinity', '0x1A', '9'.repeat(400), `0.${'0'.repeat(30)}1`];

export function bookFuzz(seed: number): BookFuzz {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const digits = (n: number, first = true): string =>
    Array.from({ length: n }, (_, i) => (i === 0 && first ? 1 + Math.floor(random() * 9) : Math.floor(random() * 10))).join('');
  const plain = (): string => `${random() < 0.2 ? '0' : digits(1 + Math.floor(random() * 7))}${random() < 0.8 ? `.${digits(Math.floor(random() * 11), false)}` : ''}`;
  return {
    random,
    pick,
    digits,
    level() {
      const odd = random() < 0.03;
      const price = odd ? pick(ODD_DECIMALS) : `${digits(1 + Math.floor(random() * 6))}.${digits(Math.floor(random() * 9), false)}`;
      const size = random() < 0.1 ? pick(['0', '0.00000000']) : random() < 0.03 ? pick(ODD_DECIMALS) : plain();
      const shape = random();
      if (shape < 0.01) return { text: `[${price},"${size}"]`, clean: false };
      if (shape < 0.02) return { text: `["${price}","${size}","1"]`, clean: false };
      return { text: `["${price}","${size}"]`, clean: !odd && /^\d+(\.\d*)?$/.test(size) && size.length < 30 };
    },
    jsonNum: () => pick([String(Math.floor(random() * 1e6)), digits(13), `${digits(13)}.${digits(3, false)}`, digits(19), '0', '-0', '-5', '1.5', '2e3', '1E-2', '1e400', '01', '-', '1.', '.1', '1e', '"5"', 'null']),
    damage(frame) {
      const d = random();
      if (d < 0.04) {
        const at = Math.floor(random() * (frame.length + 1));
        return frame.slice(0, at) + pick([' ', '\n', '\t', '\r\n ']) + frame.slice(at);
      }
      if (d < 0.08) return frame.slice(0, Math.floor(random() * frame.length));
      if (d < 0.12) {
        const at = Math.floor(random() * frame.length);
        return frame.slice(0, at) + pick(GARBAGE) + frame.slice(at + (random() < 0.5 ? 1 : 0));
      }
      return null;
    },
  };
}

/** `n` fuzzed levels as a JSON array's text, and whether all of them were clean. */
export function levelsText(f: BookFuzz, n: number): { text: string; clean: boolean } {
  const ls = Array.from({ length: n }, () => f.level());
  return { text: `[${ls.map((l) => l.text).join(',')}]`, clean: ls.every((l) => l.clean) };
}
