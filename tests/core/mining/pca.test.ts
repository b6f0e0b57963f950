import { describe, expect, it } from 'vitest';
import { fitPca, projectPca } from '../../../src/core/mining/pca';
import { readMatrix } from './load-fixtures';

describe('fitPca', () => {
  it("matches scikit-learn's PCA on iris (explained variance ratios 0.92461872, 0.05306648)", () => {
    const iris = readMatrix('iris.csv', [0, 1, 2, 3]);
    const model = fitPca(iris.data, iris.n, iris.d, 2);
    expect(model.explainedVarianceRatio[0]).toBeCloseTo(0.92461872, 7);
    expect(model.explainedVarianceRatio[1]).toBeCloseTo(0.05306648, 7);
    // sklearn: explained_variance_ = [4.22824171, 0.24267075]; components_[0] = ±[0.36138659, -0.08452251, 0.85667061, 0.3582892]
    expect(model.explainedVariance[0]).toBeCloseTo(4.22824171, 6);
    expect(model.explainedVariance[1]).toBeCloseTo(0.24267075, 6);
    const sign = Math.sign(model.components[2]);
    expect(Array.from(model.components.slice(0, 4), (x) => x * sign)).toEqual([0.36138659, -0.08452251, 0.85667061, 0.3582892].map((x) => expect.closeTo(x, 6)));
  });

  it('projects rows onto uncorrelated coordinates whose variances are the eigenvalues', () => {
    const iris = readMatrix('iris.csv', [0, 1, 2, 3]);
    const model = fitPca(iris.data, iris.n, iris.d, 2);
    const xy = projectPca(model, iris.data, iris.d, Array.from({ length: iris.n }, (_, i) => i));
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < iris.n; i++) {
      sxx += xy[2 * i] ** 2;
      sxy += xy[2 * i] * xy[2 * i + 1];
    }
    expect(sxx / (iris.n - 1)).toBeCloseTo(model.explainedVariance[0], 8);
    expect(Math.abs(sxy)).toBeLessThan(1e-8);
  });
});
