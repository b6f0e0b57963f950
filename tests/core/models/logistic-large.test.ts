import { describe, expect, it } from 'vitest';
import { fitLogisticRegression } from '../../../src/core/models/logistic';
import { createRng } from '../../../src/core/random';

// From 100,000 rows the Newton solver starts from the solution on every 8th row and reuses that
// Hessian while it pays (logistic-newton.ts). Whatever the route, the answer must be the optimum:
// checked here by the first-order condition, computed independently of the solver, and by
// agreement with the L-BFGS solver on the same data.
describe('logistic regression on many rows (warm-started Newton)', () => {
  const n = 160_000;
  const d = 6;
  const rng = createRng(5);
  const data = new Float64Array(n * d);
  const codes = new Int32Array(n);
  const w = [0.8, -1.2, 0.3, 0, 2, -0.5];
  for (let i = 0; i < n; i++) {
    let z = 0.3;
    for (let j = 0; j < d; j++) {
      // A mix of scales and a skewed column, as customer features are.
      const v = j === 4 ? Math.exp(rng.normal()) / 3 : rng.normal() * (1 + j);
      data[i * d + j] = v;
      z += (w[j] * v) / (1 + j);
    }
    codes[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const x = { data, n, d };
  const C = 0.5;
  const newton = fitLogisticRegression(x, codes, { C, solver: 'newton' });

  it('meets the optimality condition C·Σ(p − y)x + w = 0 to 1e-6 relative', () => {
    const g = new Float64Array(d + 1);
    for (let i = 0; i < n; i++) {
      let z = newton.intercepts[0];
      for (let j = 0; j < d; j++) z += data[i * d + j] * newton.coefficients[j];
      const r = 1 / (1 + Math.exp(-z)) - codes[i];
      for (let j = 0; j < d; j++) g[j] += C * r * data[i * d + j];
      g[d] += C * r;
    }
    for (let j = 0; j < d; j++) g[j] += newton.coefficients[j];
    // Scale: the size of one row's contribution summed over n rows.
    for (const v of g) expect(Math.abs(v) / (C * n)).toBeLessThan(1e-9);
    expect(newton.converged).toBe(true);
  });

  it('agrees with L-BFGS on the same objective', () => {
    const lbfgs = fitLogisticRegression(x, codes, { C, solver: 'lbfgs' });
    for (let j = 0; j < d; j++) expect(newton.coefficients[j]).toBeCloseTo(lbfgs.coefficients[j], 5);
    expect(newton.intercepts[0]).toBeCloseTo(lbfgs.intercepts[0], 5);
  });
});
