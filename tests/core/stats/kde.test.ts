import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binnedKde, gridPoints, scottBandwidth, type CountBin } from '../../../src/core/stats/kde';

const PENGUINS = '/work/shared/datasets/penguins.csv';

// scipy 1.10.1 (/usr/bin/python3): k = scipy.stats.gaussian_kde(flipper_length_mm.dropna());
// k.factor * std(ddof=1) and k([180, 190, 200, 215, 230]) on penguins.csv.
const SCIPY_BANDWIDTH = 4.37756929495629;
const SCIPY_DENSITY: [number, number][] = [
  [180, 0.01145867059958756],
  [190, 0.030381004826152015],
  [200, 0.018975838470975784],
  [215, 0.01916451711342293],
  [230, 0.005547351702674392],
];

function binsOf(values: number[], count: number): CountBin[] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const w = (hi - lo) / count;
  const bins = Array.from({ length: count }, (_, k) => ({ x0: lo + k * w, x1: lo + (k + 1) * w, count: 0 }));
  for (const v of values) bins[Math.min(count - 1, Math.floor((v - lo) / w))].count++;
  return bins;
}

describe.skipIf(!existsSync(PENGUINS))('binned Gaussian KDE on penguins flipper length', () => {
  const values = readFileSync(PENGUINS, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[4]).filter((v) => v !== '').map(Number);
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));

  it("Scott's bandwidth equals scipy.stats.gaussian_kde's", () => {
    expect(n).toBe(342);
    expect(scottBandwidth(std, n)).toBeCloseTo(SCIPY_BANDWIDTH, 10);
  });

  it('matches scipy.stats.gaussian_kde within 0.5 % on 512 bins', () => {
    const density = binnedKde(binsOf(values, 512), scottBandwidth(std, n), SCIPY_DENSITY.map(([x]) => x));
    density.forEach((d, i) => expect(Math.abs(d - SCIPY_DENSITY[i][1]) / SCIPY_DENSITY[i][1]).toBeLessThan(0.005));
  });

  it('integrates to 1', () => {
    const h = scottBandwidth(std, n);
    const xs = gridPoints(150, 260, 2201);
    const d = binnedKde(binsOf(values, 256), h, xs);
    const area = d.reduce((a, v) => a + v, 0) * (xs[1] - xs[0]);
    expect(area).toBeCloseTo(1, 3);
  });
});

describe('binnedKde edge cases', () => {
  it('gives NaN without rows or bandwidth', () => {
    expect(binnedKde([], 1, [0])).toEqual([NaN]);
    expect(binnedKde([{ x0: 0, x1: 1, count: 3 }], 0, [0])).toEqual([NaN]);
  });
});
