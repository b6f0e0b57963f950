import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareIndependence, chiSquareSf, regularizedGammaP, regularizedGammaQ } from '../../../src/core/stats/chi-square';

// Reference figures from scipy 1.10.1 (/usr/bin/python3):
//   scipy.stats.chi2.cdf(x, df), scipy.stats.chi2.sf(x, df),
//   scipy.special.gammainc(a, x), scipy.special.gammaincc(a, x),
//   scipy.stats.chi2_contingency(table, correction=False) on pandas.crosstab of the data sets.
const SCIPY_CHI2: [x: number, df: number, cdf: number, sf: number][] = [
  [3.841458820694124, 1, 0.9500000000000001, 0.04999999999999989],
  [10, 4, 0.9595723180054873, 0.04042768199451279],
  [0.5, 3, 0.08110858834532418, 0.9188914116546758],
  [50, 30, 0.9875979392810995, 0.01240206071890054],
  [200, 150, 0.9960268140291784, 0.003973185970821635],
  [1e-3, 2, 0.0004998750208307296, 0.9995001249791693],
  [30, 5, 0.9999852514189616, 1.4748581038443073e-5],
  [0.1, 0.5, 0.5165553208304657, 0.48344467916953426],
  [120, 100, 0.9155933189063082, 0.08440668109369177],
  [7.5, 7, 0.6212630939517865, 0.37873690604821353],
];

const relClose = (actual: number, expected: number, tol: number) => expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tol);

describe('regularized incomplete gamma', () => {
  it('matches scipy.special.gammainc / gammaincc', () => {
    relClose(regularizedGammaP(2.5, 1.2), 0.20852587940567532, 1e-12);
    relClose(regularizedGammaQ(2.5, 1.2), 0.7914741205943246, 1e-12);
    relClose(regularizedGammaP(0.3, 4.0), 0.9979774893543891, 1e-12);
    relClose(regularizedGammaQ(30, 45), 0.007337199297796568, 1e-11);
  });

  it('is 0 and 1 at the ends and NaN outside its domain', () => {
    expect(regularizedGammaP(3, 0)).toBe(0);
    expect(regularizedGammaQ(3, Infinity)).toBe(0);
    expect(regularizedGammaP(-1, 2)).toBeNaN();
  });
});

describe('chi-square distribution', () => {
  it.each(SCIPY_CHI2)('cdf and sf at x=%s, df=%s match scipy.stats.chi2', (x, df, cdf, sf) => {
    relClose(chiSquareCdf(x, df), cdf, 1e-11);
    relClose(chiSquareSf(x, df), sf, 1e-10);
  });
});

describe('chi-square test of independence', () => {
  it('penguins species × island: statistic, df and p-value of scipy.stats.chi2_contingency', () => {
    const t = chiSquareIndependence([[44, 56, 52], [0, 68, 0], [124, 0, 0]]);
    relClose(t.statistic, 299.55032743148195, 1e-12);
    expect(t.df).toBe(4);
    relClose(t.pValue, 1.3545738297192517e-63, 1e-9);
    expect(t.n).toBe(344);
    expect(t.expected[1][1]).toBeCloseTo((68 * 124) / 344, 12);
  });

  it('penguins species × sex: independent (p ≈ 0.976)', () => {
    const t = chiSquareIndependence([[73, 73], [34, 34], [58, 61]]);
    relClose(t.statistic, 0.04860717014078318, 1e-12);
    expect(t.df).toBe(2);
    relClose(t.pValue, 0.9759893689765846, 1e-12);
  });

  it('leaves empty rows and columns out of the degrees of freedom', () => {
    const t = chiSquareIndependence([[44, 56, 0, 52], [0, 0, 0, 0], [0, 68, 0, 0], [124, 0, 0, 0]]);
    expect(t.df).toBe(4);
    relClose(t.statistic, 299.55032743148195, 1e-12);
  });

  it('has no p-value for a single row', () => {
    const t = chiSquareIndependence([[3, 4, 5]]);
    expect(t.df).toBe(0);
    expect(t.pValue).toBeNaN();
  });
});
