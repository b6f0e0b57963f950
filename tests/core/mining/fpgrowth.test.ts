import { describe, expect, it } from 'vitest';
import { frequentItemsets, minSupportCount } from '../../../src/core/mining/fpgrowth';
import type { FrequentItemsets } from '../../../src/core/mining/fpgrowth';
import { associationRules, mineRules } from '../../../src/core/mining/rules';
import { transactionsFromArrays, transactionsFromPairs } from '../../../src/core/mining/transactions';
import type { Transactions } from '../../../src/core/mining/transactions';
import { createRng } from '../../../src/core/random';

/** Seeded random baskets over `items` items with uneven popularity, some empty, some with repeats. */
function randomBaskets(count: number, items: number, seed: number): number[][] {
  const rng = createRng(seed);
  const popularity = Array.from({ length: items }, () => 0.05 + 0.5 * rng.next());
  return Array.from({ length: count }, (_, t) => {
    if (t % 37 === 0) return [];
    const basket = popularity.flatMap((p, id) => (rng.next() < p ? [id] : []));
    if (basket.length > 0 && rng.next() < 0.2) basket.push(basket[0]); // a repeated line
    return rng.shuffle(basket);
  });
}

/** Count of every non-empty itemset, by bitmask, over all baskets. */
function bruteCounts(baskets: number[][], items: number): Int32Array {
  const counts = new Int32Array(1 << items);
  for (const basket of baskets) {
    const mask = basket.reduce((m, id) => m | (1 << id), 0);
    for (let s = mask; s > 0; s = (s - 1) & mask) counts[s]++;
  }
  return counts;
}

function masks(found: FrequentItemsets): Map<number, number> {
  const out = new Map<number, number>();
  for (let s = 0; s < found.counts.length; s++) {
    let mask = 0;
    for (let p = found.offsets[s]; p < found.offsets[s + 1]; p++) mask |= 1 << found.items[p];
    expect(out.has(mask), 'each itemset once').toBe(false);
    out.set(mask, found.counts[s]);
  }
  return out;
}

const popcount = (m: number): number => (m.toString(2).match(/1/g) ?? []).length;

describe('frequentItemsets (FP-Growth) against brute-force counting', () => {
  for (const [seed, items, count, minSupport, maxLength] of [
    [1, 8, 120, 0.1, undefined],
    [2, 12, 300, 0.07, undefined],
    [3, 12, 300, 0.15, 3],
    [4, 14, 500, 0.2, undefined],
  ] as const) {
    it(`seed ${seed}: ${items} items, ${count} baskets, min support ${minSupport}, max length ${maxLength ?? '∞'}`, () => {
      const baskets = randomBaskets(count, items, seed);
      const found = frequentItemsets(transactionsFromArrays(baskets), { minSupport, maxLength });
      const brute = bruteCounts(baskets, items);
      const expected = new Map<number, number>();
      // count / N ≥ minSupport with N = every basket, empty ones included.
      brute.forEach((c, mask) => {
        if (mask > 0 && c / count >= minSupport && popcount(mask) <= (maxLength ?? Infinity)) expected.set(mask, c);
      });
      expect(masks(found)).toEqual(expected);
      expect(found.transactions).toBe(count);
      for (let s = 0; s < found.counts.length; s++) {
        const set = Array.from(found.items.subarray(found.offsets[s], found.offsets[s + 1]));
        expect(set).toEqual([...set].sort((a, b) => a - b));
      }
    });
  }

  it('takes the support ceiling exactly and accepts an absolute count', () => {
    expect(minSupportCount(100, { minSupport: 0.07 })).toBe(7); // 0.07 × 100 = 7.000000000000001
    expect(minSupportCount(1000, { minSupport: 0.0261 })).toBe(27);
    expect(minSupportCount(1000, { minSupport: 0.026 })).toBe(26);
    expect(minSupportCount(3, { minSupport: 1 / 3 })).toBe(1);
    expect(minSupportCount(1000, { minSupport: 0.5, minCount: 12 })).toBe(12);
    const baskets = randomBaskets(200, 10, 9);
    const byFraction = frequentItemsets(transactionsFromArrays(baskets), { minSupport: 0.1 });
    const byCount = frequentItemsets(transactionsFromArrays(baskets), { minCount: 20 });
    expect(masks(byCount)).toEqual(masks(byFraction));
    expect(() => minSupportCount(10, { minSupport: 0 })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => minSupportCount(10, { minCount: 1.5 })).toThrow(/whole number/);
  });

  it('reads order lines in any order, and handles no frequent items and no baskets', () => {
    const lines = transactionsFromPairs(Int32Array.from([2, 0, 2, 0, 1]), Int32Array.from([5, 1, 1, 5, 1]), 4);
    expect(Array.from(lines.offsets)).toEqual([0, 2, 3, 5, 5]);
    const found = frequentItemsets(lines, { minCount: 2 });
    expect(masks(found)).toEqual(new Map([[1 << 1, 3], [1 << 5, 2], [(1 << 1) | (1 << 5), 2]]));
    expect(frequentItemsets(lines, { minCount: 4 }).counts.length).toBe(0);
    expect(frequentItemsets(transactionsFromArrays([]), { minSupport: 0.5 }).counts.length).toBe(0);
    expect(() => frequentItemsets({ offsets: Int32Array.from([0, 2]), items: Int32Array.from([1, -3]) }, { minCount: 1 })).toThrow(
      /item id -3/,
    );
  });

  it('gives up with code "too-large" and a hint to raise the support past the itemset cap', () => {
    const dense = transactionsFromArrays(Array.from({ length: 50 }, () => Array.from({ length: 16 }, (_, i) => i)));
    expect(() => frequentItemsets(dense, { minSupport: 0.5, maxItemsets: 10_000 })).toThrow(
      expect.objectContaining({ code: 'too-large', message: expect.stringMatching(/raise the minimum support/) }),
    );
    expect(frequentItemsets(dense, { minSupport: 0.5, maxLength: 2 }).counts.length).toBe(16 + 120);
  });

  it('stops with code "aborted" when the signal fires, and reports progress', () => {
    const tx = transactionsFromArrays(randomBaskets(300, 12, 2));
    const controller = new AbortController();
    controller.abort();
    expect(() => frequentItemsets(tx, { minSupport: 0.05 }, controller.signal)).toThrow(expect.objectContaining({ code: 'aborted' }));
    expect(() => mineRules(tx, { minSupport: 0.05 }, controller.signal)).toThrow(expect.objectContaining({ code: 'aborted' }));
    const fractions: number[] = [];
    mineRules(tx, { minSupport: 0.05, minConfidence: 0.3 }, undefined, (p) => fractions.push(p.fraction ?? -1));
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
  });
});

describe('associationRules against brute-force enumeration', () => {
  it('finds every rule over the confidence and lift floors, with the textbook metrics', () => {
    const count = 400;
    const items = 10;
    const baskets = randomBaskets(count, items, 11);
    const brute = bruteCounts(baskets, items);
    const tx: Transactions = transactionsFromArrays(baskets);
    const { rules } = mineRules(tx, { minSupport: 0.05, minConfidence: 0.4, minLift: 1.05 });
    const expected = new Set<string>();
    brute.forEach((c, mask) => {
      if (c / count < 0.05 || popcount(mask) < 2) return;
      for (let a = (mask - 1) & mask; a > 0; a = (a - 1) & mask) {
        const conf = c / brute[a];
        const lift = conf / (brute[mask & ~a] / count);
        if (conf >= 0.4 && lift >= 1.05) expected.add(`${a}>${mask & ~a}`);
      }
    });
    const got = new Set<string>();
    for (let r = 0; r < rules.counts.length; r++) {
      const a = rules.antecedentItems.subarray(rules.antecedentOffsets[r], rules.antecedentOffsets[r + 1]).reduce((m, id) => m | (1 << id), 0);
      const cq = rules.consequentItems.subarray(rules.consequentOffsets[r], rules.consequentOffsets[r + 1]).reduce((m, id) => m | (1 << id), 0);
      got.add(`${a}>${cq}`);
      const sA = brute[a] / count;
      const sC = brute[cq] / count;
      const sI = brute[a | cq] / count;
      expect(rules.counts[r]).toBe(brute[a | cq]);
      expect(rules.support[r]).toBeCloseTo(sI, 15);
      expect(rules.confidence[r]).toBeCloseTo(sI / sA, 15);
      expect(rules.lift[r]).toBeCloseTo(sI / sA / sC, 12);
      expect(rules.leverage[r]).toBeCloseTo(sI - sA * sC, 15);
      const conviction = sI === sA ? Infinity : (1 - sC) / (1 - sI / sA);
      if (conviction === Infinity) expect(rules.conviction[r]).toBe(Infinity);
      else expect(rules.conviction[r]).toBeCloseTo(conviction, 10);
      if (r > 0) expect(rules.confidence[r]).toBeLessThanOrEqual(rules.confidence[r - 1]);
    }
    expect(got).toEqual(expected);
    expect(expected.size).toBeGreaterThan(20);
  });

  it('gives up with code "too-large" past the rule cap', () => {
    const itemsets = frequentItemsets(transactionsFromArrays(randomBaskets(300, 12, 2)), { minSupport: 0.05 });
    expect(() => associationRules(itemsets, { minConfidence: 0, maxRules: 50 })).toThrow(expect.objectContaining({ code: 'too-large' }));
  });
});
