import { logGamma } from '../models/student-t';

/**
 * The chi-square distribution and Pearson's test of independence on a contingency table. The
 * regularized incomplete gamma function is evaluated by its series for x < a + 1 and by Lentz's
 * continued fraction otherwise (Press et al., Numerical Recipes, 3rd ed., §6.2), as
 * scipy.special.gammainc/gammaincc do for these ranges; accurate to about 1e-13.
 */

const EPS = 1e-15;
const TINY = 1e-300;

function gammaSeries(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  for (let n = 1; n < 10_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), for a > 0 and x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed without cancellation. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** Chi-square CDF: P(X ≤ x) for `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number): number {
  return x <= 0 ? 0 : regularizedGammaP(df / 2, x / 2);
}

/** Chi-square survival function P(X > x): the p-value of a statistic x (scipy.stats.chi2.sf). */
export function chiSquareSf(x: number, df: number): number {
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}

/** Pearson's chi-square test of independence on a contingency table. */
export interface ChiSquareTest {
  statistic: number;
  /** (rows − 1) × (columns − 1), counting only rows and columns with a non-zero total. */
  df: number;
  pValue: number;
  /** Expected counts under independence (row total × column total / n). */
  expected: number[][];
  /** Total count. */
  n: number;
  /** Cells (among non-empty rows and columns) whose expected count is below 5. */
  smallExpected: number;
}

/**
 * Pearson's chi-square test of independence on `observed[row][column]` counts, without Yates'
 * continuity correction (scipy.stats.chi2_contingency(…, correction=False); scipy applies the
 * correction only when df = 1, so that case is compared with correction=False). Rows or columns
 * whose total is zero are left out of the statistic and the degrees of freedom.
 */
export function chiSquareIndependence(observed: readonly (readonly number[])[]): ChiSquareTest {
  const rowTotals = observed.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = Math.max(0, ...observed.map((r) => r.length));
  const colTotals = Array.from({ length: cols }, (_, j) => observed.reduce((a, r) => a + (r[j] ?? 0), 0));
  const n = rowTotals.reduce((a, b) => a + b, 0);
  const expected = observed.map((_, i) => colTotals.map((c) => (n > 0 ? (rowTotals[i] * c) / n : 0)));
  let statistic = 0;
  let smallExpected = 0;
  observed.forEach((r, i) => {
    if (rowTotals[i] === 0) return;
    for (let j = 0; j < cols; j++) {
      if (colTotals[j] === 0) continue;
      const e = expected[i][j];
      const d = (r[j] ?? 0) - e;
      statistic += (d * d) / e;
      if (e < 5) smallExpected++;
    }
  });
  const df = (rowTotals.filter((t) => t > 0).length - 1) * (colTotals.filter((t) => t > 0).length - 1);
  return { statistic, df, pValue: df > 0 ? chiSquareSf(statistic, df) : NaN, expected, n, smallExpected };
}
