import { describe, expect, it } from 'vitest';
import { customerLifetimeValue, lifetimeValues } from '../../../src/core/crm/clv';
import { bgnbdExpectedTransactions } from '../../../src/core/crm/bgnbd';
import {
  fitGammaGamma,
  gammaGammaCustomerLogLikelihood,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
} from '../../../src/core/crm/gamma-gamma';
import { simulateSummary } from './simulate';

const BG = { r: 0.75, alpha: 10, a: 0.8, b: 2.5 };
const TRUE = { p: 6, q: 4, gamma: 30 };

describe('Gamma-Gamma likelihood', () => {
  it('x = 1 reduces to the marginal of one transaction: a Gamma(p, ν) mixed over ν ~ Gamma(q, γ)', () => {
    // f(z) = Γ(p+q)/(Γ(p)Γ(q)) · γ^q z^(p−1) / (γ+z)^(p+q); with p = 2, q = 3 the gamma
    // functions are 4!/(1!·2!) = 12, so f(z) = 12 γ³ z / (γ+z)^5.
    const p = { p: 2, q: 3, gamma: 10 };
    for (const z of [1, 7.5, 40]) {
      expect(Math.exp(gammaGammaCustomerLogLikelihood(p, 1, z))).toBeCloseTo((12 * 1000 * z) / Math.pow(10 + z, 5), 14);
    }
  });

  it('integrates to 1 over the mean spend for x = 3 (it is the density of z̄)', () => {
    const p = { p: 2.5, q: 3.5, gamma: 20 };
    let total = 0;
    const h = 0.01;
    for (let m = h / 2; m < 3000; m += h) total += Math.exp(gammaGammaCustomerLogLikelihood(p, 3, m)) * h;
    expect(total).toBeCloseTo(1, 4);
  });
});

describe('Gamma-Gamma fit recovers the parameters it was simulated from', () => {
  // Repeat customers of 20,000 simulated (about 15,000); tolerance ≈ three standard errors
  // (p ≈ 3%, q and γ ≈ 5% each at this size, judged from repeated 200,000-customer fits).
  const sim = simulateSummary(20_000, 21, BG, TRUE);
  const keep = Array.from(sim.x.keys()).filter((i) => sim.x[i] > 0);
  const data = { x: keep.map((i) => sim.x[i]), m: keep.map((i) => sim.m[i]) };
  const fit = fitGammaGamma(data);

  it('within 10% for p, 15% for q and γ (which trade off), and 2% for the mean spend p·γ/(q−1)', () => {
    const { p, q, gamma } = fit.params;
    console.log(`Gamma-Gamma true ${JSON.stringify(TRUE)} fitted ${JSON.stringify(fit.params)} on ${keep.length} repeat customers`);
    expect(fit.converged).toBe(true);
    expect(Math.abs(p / TRUE.p - 1)).toBeLessThan(0.1);
    expect(Math.abs(q / TRUE.q - 1)).toBeLessThan(0.15);
    expect(Math.abs(gamma / TRUE.gamma - 1)).toBeLessThan(0.15);
    expect(Math.abs((p * gamma) / (q - 1) / 60 - 1)).toBeLessThan(0.02);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(TRUE, data) - 1e-6);
  });

  it('refuses customers without repeat purchases or with non-positive spend', () => {
    expect(() => fitGammaGamma({ x: [2, 0], m: [10, 0] })).toThrow(/row 2/);
  });
});

describe('expected spend and CLV', () => {
  it('expected spend shrinks a customer’s mean towards the population mean', () => {
    // (γ + m x) p / (p x + q − 1) = (30 + 100·2)·6 / (12 + 3) = 92.
    expect(gammaGammaExpectedSpend(TRUE, 2, 100)).toBeCloseTo(92, 12);
    expect(gammaGammaExpectedSpend(TRUE, 0, 0)).toBeCloseTo(60, 12);
  });

  it('undiscounted CLV is expected transactions × expected spend; discounting lowers it', () => {
    const c = { x: 3, tx: 20, T: 40, m: 80 };
    const plain = customerLifetimeValue(BG, TRUE, c, { horizon: 52 });
    expect(plain).toBeCloseTo(bgnbdExpectedTransactions(BG, 52, 3, 20, 40) * gammaGammaExpectedSpend(TRUE, 3, 80), 10);
    const discounted = customerLifetimeValue(BG, TRUE, c, { horizon: 52, monthlyDiscount: 0.01 });
    expect(discounted).toBeLessThan(plain);
    // Twelve-odd months at 1%: the discount factor averages between 1/1.01 and 1/1.01^12.
    expect(discounted).toBeGreaterThan(plain / Math.pow(1.01, 12));
    expect(lifetimeValues(BG, TRUE, { x: [3], tx: [20], T: [40], m: [80] }, { horizon: 52 })[0]).toBeCloseTo(plain, 12);
  });
});
