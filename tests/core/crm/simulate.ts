import { createRng } from '../../../src/core/random';
import { simulateCustomer, type BgNbdParams, type GammaGammaParams } from '../../../src/core/generate/purchase-process';

/**
 * Customers drawn straight from BG/NBD + Gamma-Gamma (purchase-process.ts's simulateCustomer),
 * each observed for T weeks, T uniform in [minT, maxT]. Returns the calibration summary and the
 * mean of the repeat transactions' values, as the summary SQL computes them.
 */
export function simulateSummary(n: number, seed: number, bg: BgNbdParams, gg: GammaGammaParams, minT = 26, maxT = 104) {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = minT + (maxT - minT) * rng.next();
    const h = simulateCustomer(rng, T[i], bg, gg);
    x[i] = h.times.length - 1;
    tx[i] = h.times[h.times.length - 1];
    m[i] = x[i] > 0 ? h.amounts.slice(1).reduce((s, v) => s + v, 0) / x[i] : 0;
  }
  return { x, tx, T, m };
}
