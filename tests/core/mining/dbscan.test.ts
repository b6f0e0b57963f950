import { describe, expect, it } from 'vitest';
import { fitDbscan, kDistances } from '../../../src/core/mining/dbscan';
import { KdTree } from '../../../src/core/mining/kdtree';
import { createRng } from '../../../src/core/random';
import { readJson, readMatrix } from './load-fixtures';

interface SklearnDbscan {
  eps: number;
  minSamples: number;
  labels: number[];
  core: number[];
  kDistances: number[];
  sharedBorder: number;
}
const expected = readJson<{ sklearn: string; sets: Record<string, SklearnDbscan> }>('dbscan-expected.json');

/** Relabels clusters in order of first appearance (noise stays −1), to compare partitions. */
function canonical(labels: ArrayLike<number>): number[] {
  const map = new Map<number, number>();
  return Array.from(labels, (l) => {
    if (l < 0) return -1;
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l) as number;
  });
}

describe('fitDbscan against scikit-learn 1.2 (fixtures from make-dbscan.py)', () => {
  for (const name of ['blobs-2d', 'blobs-3d', 'shared-border']) {
    it(`${name}: same labels, same core rows, same noise`, () => {
      const set = expected.sets[name];
      const m = readMatrix(`dbscan-${name}.csv`);
      const fit = fitDbscan(m.data, m.n, m.d, { eps: set.eps, minSamples: set.minSamples });
      expect(Array.from(fit.coreMask)).toEqual(set.core);
      // Identical numbering, not only the same partition: border rows go where sklearn puts them.
      expect(Array.from(fit.labels)).toEqual(set.labels);
      expect(canonical(fit.labels)).toEqual(canonical(set.labels));
      expect(fit.clusters).toBe(Math.max(...set.labels) + 1);
      expect(fit.noise).toBe(set.labels.filter((l) => l === -1).length);
    });
  }

  it('gives a border row reachable from two clusters to the cluster scikit-learn scans first', () => {
    const m = readMatrix('dbscan-shared-border.csv');
    const fit = fitDbscan(m.data, m.n, m.d, { eps: 0.5, minSamples: 4 });
    expect(fit.coreMask[8]).toBe(0);
    expect(fit.labels[8]).toBe(0);
    expect(fit.labels[0]).toBe(0);
    expect(fit.labels[4]).toBe(1);
    expect(fit.labels[9]).toBe(-1);
    expect(expected.sets['blobs-2d'].sharedBorder).toBeGreaterThan(0);
  });

  it('matches a brute-force DBSCAN on random data with duplicates and many dimensions', () => {
    const rng = createRng(5);
    for (const d of [1, 2, 5, 12]) {
      const n = 400;
      const data = new Float64Array(n * d);
      for (let t = 0; t < data.length; t++) data[t] = Math.round(rng.normal() * 8) / 4;
      const eps = 0.6 * Math.sqrt(d);
      const fit = fitDbscan(data, n, d, { eps, minSamples: 4 });
      expect(Array.from(fit.labels), `d=${d}`).toEqual(bruteDbscan(data, n, d, eps, 4));
    }
  });

  it('stops with code "aborted" when the signal fires', () => {
    const m = readMatrix('dbscan-blobs-2d.csv');
    const controller = new AbortController();
    controller.abort();
    expect(() => fitDbscan(m.data, m.n, m.d, { eps: 0.3 }, controller.signal)).toThrow(
      expect.objectContaining({ code: 'aborted' }),
    );
    expect(() => kDistances(m.data, m.n, m.d, 4, controller.signal)).toThrow(expect.objectContaining({ code: 'aborted' }));
  });

  it('rejects eps ≤ 0 and a fractional minSamples', () => {
    const m = readMatrix('dbscan-shared-border.csv');
    expect(() => fitDbscan(m.data, m.n, m.d, { eps: 0 })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => fitDbscan(m.data, m.n, m.d, { eps: 1, minSamples: 2.5 })).toThrow(/minSamples/);
  });
});

describe('kDistances', () => {
  for (const name of ['blobs-2d', 'blobs-3d']) {
    it(`${name}: equals scikit-learn NearestNeighbors(n_neighbors=minSamples) last column`, () => {
      const set = expected.sets[name];
      const m = readMatrix(`dbscan-${name}.csv`);
      const got = kDistances(m.data, m.n, m.d, set.minSamples);
      got.forEach((v, i) => expect(v).toBeCloseTo(set.kDistances[i], 12));
    });
  }

  it('k = 1 is the row itself (distance 0)', () => {
    const m = readMatrix('dbscan-blobs-2d.csv');
    expect(kDistances(m.data, m.n, m.d, 1).every((v) => v === 0)).toBe(true);
  });
});

describe('KdTree', () => {
  it('finds exactly the rows a linear scan finds, for radius and k-th nearest queries', () => {
    const rng = createRng(17);
    const n = 2000;
    const d = 3;
    const data = Float64Array.from({ length: n * d }, () => rng.normal());
    const tree = new KdTree(data, n, d, 8);
    const best = new Float64Array(10);
    for (let q = 0; q < 50; q++) {
      const dists = Array.from({ length: n }, (_, i) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (data[i * d + j] - data[q * d + j]) ** 2;
        return s;
      });
      const count = tree.radius(data, q * d, 0.25);
      const found = Array.from(tree.result.subarray(0, count)).sort((a, b) => a - b);
      expect(found).toEqual(dists.flatMap((s, i) => (s <= 0.25 ? [i] : [])));
      expect(tree.kthNearest(data, q * d, 10, best)).toBe([...dists].sort((a, b) => a - b)[9]);
    }
  });
});

/** Textbook DBSCAN over a full distance matrix, in scikit-learn's scan order. */
function bruteDbscan(data: Float64Array, n: number, d: number, eps: number, minSamples: number): number[] {
  const nb: number[][] = [];
  for (let i = 0; i < n; i++) {
    nb.push([]);
    for (let q = 0; q < n; q++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[i * d + j] - data[q * d + j]) ** 2;
      if (s <= eps * eps) nb[i].push(q);
    }
  }
  const core = nb.map((list) => list.length >= minSamples);
  const labels = new Array<number>(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || !core[i]) continue;
    const queue = [i];
    labels[i] = next;
    while (queue.length > 0) {
      const p = queue.pop() as number;
      if (!core[p]) continue;
      for (const q of nb[p]) {
        if (labels[q] !== -1) continue;
        labels[q] = next;
        queue.push(q);
      }
    }
    next++;
  }
  return labels;
}
