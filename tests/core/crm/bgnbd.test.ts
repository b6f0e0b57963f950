import { describe, expect, it } from 'vitest';
import {
  bgnbdCustomerLogLikelihood,
  bgnbdExpectedTransactions,
  bgnbdExpectedTransactionsNew,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  fitBgNbd,
} from '../../../src/core/crm/bgnbd';
import { calibrationHoldout } from '../../../src/core/crm/holdout';
import { hyp2f1 } from '../../../src/core/crm/special';
import { simulateSummary } from './simulate';

const TRUE = { r: 0.75, alpha: 10, a: 0.8, b: 2.5 };
const GG = { p: 6, q: 4, gamma: 30 };

/**
 * FHL 2005 eq. (6) written with products instead of log-gamma: for whole x,
 * Γ(r+x)/Γ(r) = Π_{k<x} (r+k), B(a, b+x)/B(a, b) = Π_{k<x} (b+k)/(a+b+k) and
 * B(a+1, b+x−1)/B(a, b) = a · Π_{k<x−1} (b+k) / Π_{k<x} (a+b+k).
 */
function paperLikelihood(p: typeof TRUE, x: number, tx: number, T: number): number {
  let gammaRatio = 1;
  let betaRatio = 1;
  let dropRatio = p.a;
  for (let k = 0; k < x; k++) {
    gammaRatio *= p.r + k;
    betaRatio *= (p.b + k) / (p.a + p.b + k);
    dropRatio /= p.a + p.b + k;
    if (k < x - 1) dropRatio *= p.b + k;
  }
  const alive = betaRatio * gammaRatio * Math.pow(p.alpha, p.r) / Math.pow(p.alpha + T, p.r + x);
  const died = x > 0 ? dropRatio * gammaRatio * Math.pow(p.alpha, p.r) / Math.pow(p.alpha + tx, p.r + x) : 0;
  return alive + died;
}

describe('BG/NBD likelihood', () => {
  it.each([
    [0, 0, 38.86],
    [1, 1.71, 38.86],
    [2, 30.43, 38.86],
    [7, 29.43, 38.86],
    [12, 34.43, 38.57],
  ])('agrees with the paper’s eq. (6) evaluated by hand at x=%d, t_x=%d, T=%d', (x, tx, T) => {
    for (const p of [TRUE, { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }]) {
      expect(Math.exp(bgnbdCustomerLogLikelihood(p, x, tx, T))).toBeCloseTo(paperLikelihood(p, x, tx, T), 12);
      expect(bgnbdCustomerLogLikelihood(p, x, tx, T)).toBeCloseTo(Math.log(paperLikelihood(p, x, tx, T)), 10);
    }
  });

  it('sums the per-customer terms (grouped by x) into the total', () => {
    const data = { x: [0, 1, 1, 4, 0], tx: [0, 3, 10, 20, 0], T: [30, 30, 25, 40, 12] };
    const byHand = data.x.reduce((s, x, i) => s + Math.log(paperLikelihood(TRUE, x, data.tx[i], data.T[i])), 0);
    expect(bgnbdLogLikelihood(TRUE, data)).toBeCloseTo(byHand, 10);
  });

  it('refuses impossible summaries with the row named', () => {
    expect(() => fitBgNbd({ x: [1, 0], tx: [5, 3], T: [10, 10] })).toThrow(/row 2/);
    expect(() => fitBgNbd({ x: [], tx: [], T: [] })).toThrow(/no customers/);
  });
});

describe('BG/NBD fit recovers the parameters it was simulated from', () => {
  // 20,000 customers, T uniform in 26–104 weeks. Tolerances are about three standard errors
  // at this size (r and α are well determined; a and b, the drop-out Beta, much less so).
  const data = simulateSummary(20_000, 7, TRUE, GG);
  const fit = fitBgNbd(data);

  it('within 10% for r and α, 25% for a and b, 5% for the mean drop-out a/(a+b)', () => {
    const { r, alpha, a, b } = fit.params;
    console.log(`BG/NBD true ${JSON.stringify(TRUE)} fitted ${JSON.stringify({ r, alpha, a, b })}, ${fit.iterations} iterations`);
    expect(fit.converged).toBe(true);
    expect(Math.abs(r / TRUE.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(alpha / TRUE.alpha - 1)).toBeLessThan(0.1);
    expect(Math.abs(a / TRUE.a - 1)).toBeLessThan(0.25);
    expect(Math.abs(b / TRUE.b - 1)).toBeLessThan(0.25);
    expect(Math.abs(a / (a + b) / (TRUE.a / (TRUE.a + TRUE.b)) - 1)).toBeLessThan(0.05);
  });

  it('beats the true parameters’ likelihood (it is a maximum)', () => {
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgnbdLogLikelihood(TRUE, data) - 1e-6);
  });

  it('stops with an AbortError when cancelled, and reports progress', () => {
    const controller = new AbortController();
    let reports = 0;
    expect(() =>
      fitBgNbd(data, {
        signal: controller.signal,
        onProgress: () => {
          reports++;
          controller.abort();
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'aborted' }));
    expect(reports).toBe(1);
  });
});

describe('BG/NBD predictions', () => {
  it('₂F₁ matches closed forms: ₂F₁(1,1;2;z) = −ln(1−z)/z, ₂F₁(a,b;b;z) = (1−z)^−a', () => {
    for (const z of [0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
      expect(hyp2f1(0.7, 2.3, 2.3, z)).toBeCloseTo(Math.pow(1 - z, -0.7), 9);
    }
  });

  it('E[X(t)] of a new customer is the simulated mean count of repeat purchases', () => {
    const sim = simulateSummary(20_000, 11, TRUE, GG, 52, 52);
    const mean = sim.x.reduce((s, v) => s + v, 0) / sim.x.length;
    // Standard error of the mean is about 0.03 here.
    expect(bgnbdExpectedTransactionsNew(TRUE, 52)).toBeCloseTo(mean, 1);
  });

  it('E[Y(t)|x,t_x,T] averaged over simulated histories equals E[X(T+t)] − E[X(T)]', () => {
    // The law of total expectation: over the population, the conditional forecast for the next
    // 20 weeks must add up to the unconditional growth from week 40 to week 60.
    const sim = simulateSummary(20_000, 13, TRUE, GG, 40, 40);
    const future = sim.x.reduce((s, x, i) => s + bgnbdExpectedTransactions(TRUE, 20, x, sim.tx[i], sim.T[i]), 0) / sim.x.length;
    expect(future).toBeCloseTo(bgnbdExpectedTransactionsNew(TRUE, 60) - bgnbdExpectedTransactionsNew(TRUE, 40), 1);
  });

  it('P(alive) is 1 without repeat purchases and falls as the last purchase ages', () => {
    expect(bgnbdProbabilityAlive(TRUE, 0, 0, 30)).toBe(1);
    const recent = bgnbdProbabilityAlive(TRUE, 4, 29, 30);
    const old = bgnbdProbabilityAlive(TRUE, 4, 5, 30);
    expect(recent).toBeGreaterThan(old);
    // 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) by hand for x=4, t_x=5, T=30.
    expect(old).toBeCloseTo(1 / (1 + (0.8 / 5.5) * Math.pow(40 / 15, 4.75)), 12);
  });
});

describe('calibration vs holdout', () => {
  it('groups customers by calibration repeat purchases (capped at maxX+) and averages both sides', () => {
    const data = { x: [0, 0, 1, 3, 5], tx: [0, 0, 4, 10, 20], T: [30, 30, 30, 30, 30], xHoldout: [0, 2, 1, 2, 4] };
    const got = calibrationHoldout(TRUE, data, 10, 3);
    expect(got.rows.map((r) => [r.label, r.customers, r.actual])).toEqual([
      ['0', 2, 1],
      ['1', 1, 1],
      ['3+', 2, 3],
    ]);
    const e = (i: number) => bgnbdExpectedTransactions(TRUE, 10, data.x[i], data.tx[i], data.T[i]);
    expect(got.rows[2].expected).toBeCloseTo((e(3) + e(4)) / 2, 12);
    expect(got.totalActual).toBe(9);
    expect(got.totalExpected).toBeCloseTo([0, 1, 2, 3, 4].reduce((s, i) => s + e(i), 0), 12);
  });
});

describe('BG/NBD at a = 1, where the forecast formula is 0/0', () => {
  it('stays continuous in a', () => {
    const near = (a: number) => bgnbdExpectedTransactions({ ...TRUE, a }, 26, 3, 20, 40);
    expect(near(1)).toBeCloseTo((near(0.999) + near(1.001)) / 2, 4);
    expect(Number.isFinite(bgnbdExpectedTransactionsNew({ ...TRUE, a: 1 }, 26))).toBe(true);
  });
});
