import { describe, expect, it } from 'vitest';
import { frequentItemsets } from '../../../src/core/mining/fpgrowth';
import { mineRules } from '../../../src/core/mining/rules';
import { transactionsFromArrays } from '../../../src/core/mining/transactions';

// Regression: the itemset writer grew its counts buffer from its own length (256 → 512) while the
// offsets grew from 257 to 514, so the 513th itemset's count was written past the end and read
// back as 0 (then confidence = count / 0 = Infinity in the rules). Found mining the demo
// order_lines at min support 0.005 (2,620 itemsets, 11 of them with count 0).
describe('frequentItemsets past 512 itemsets', () => {
  it('keeps every count when the buffers grow', () => {
    const baskets = Array.from({ length: 5 }, () => Array.from({ length: 12 }, (_, i) => i));
    const r = frequentItemsets(transactionsFromArrays(baskets), { minCount: 1 });
    expect(r.counts.length).toBe(4095);
    expect(Array.from(r.counts).filter((c) => c !== 5)).toEqual([]);
  });

  it('gives finite confidence and lift for every rule', () => {
    const baskets = Array.from({ length: 8 }, (_, t) => Array.from({ length: 12 }, (_, i) => i).filter((i) => (t + i) % 4 !== 0));
    const { rules } = mineRules(transactionsFromArrays(baskets), { minCount: 1, minConfidence: 0 });
    expect(rules.counts.length).toBeGreaterThan(1000);
    expect(Array.from(rules.confidence).every(Number.isFinite)).toBe(true);
    expect(Array.from(rules.lift).every(Number.isFinite)).toBe(true);
  });
});
