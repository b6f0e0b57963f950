// The table-driven e^x of the logistic kernels (fast-exp.ts) against the platform's Math.exp.
import { describe, expect, it } from 'vitest';
import { expNonPositive } from '../../../src/core/models/fast-exp';

/** The spacing of doubles at |v| (one unit in the last place). */
function ulp(v: number): number {
  const b = new Float64Array([Math.abs(v)]);
  const i = new BigInt64Array(b.buffer);
  i[0] += 1n;
  return b[0] - Math.abs(v);
}

describe('e^x for x ≤ 0', () => {
  it('is within 1 ulp of Math.exp from −1e-12 to −708 (the normal range)', () => {
    let worst = 0;
    for (let s = 0; s <= 400_000; s++) {
      const x = -Math.pow(10, -12 + (s / 400_000) * 14.85);
      const exact = Math.exp(x);
      worst = Math.max(worst, Math.abs(expNonPositive(x) - exact) / ulp(exact));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('is exact at 0 and at multiples of ln 2 / 64, and keeps NaN and the far tail', () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-Math.LN2)).toBe(0.5);
    expect(expNonPositive(-10 * Math.LN2)).toBe(Math.exp(-10 * Math.LN2));
    expect(expNonPositive(-745.2)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
    // Subnormal results: within a few of the least subnormal's units.
    expect(Math.abs(expNonPositive(-720) - Math.exp(-720))).toBeLessThan(4 * Number.MIN_VALUE);
  });
});
