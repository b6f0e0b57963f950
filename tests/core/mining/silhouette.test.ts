import { describe, expect, it } from 'vitest';
import { silhouetteScore } from '../../../src/core/mining/silhouette';
import { readColumn, readJson, readMatrix } from './load-fixtures';

interface Expected {
  silhouette: { irisSpecies: number; irisKMeans3: { labels: number[]; score: number }; blobs2dDbscan: number };
}
const expected = readJson<Expected>('kmeans-expected.json');
const dbscan = readJson<{ sets: Record<string, { labels: number[] }> }>('dbscan-expected.json');
const iris = readMatrix('iris.csv', [0, 1, 2, 3]);

describe('silhouetteScore against scikit-learn 1.2 silhouette_score', () => {
  it('iris with species labels, iris with k-means labels, DBSCAN blobs with noise as a cluster', () => {
    const species = readColumn('iris.csv', 4);
    const names = [...new Set(species)];
    const speciesLabels = Int32Array.from(species, (s) => names.indexOf(s));
    expect(silhouetteScore(iris.data, iris.n, iris.d, speciesLabels)).toBeCloseTo(expected.silhouette.irisSpecies, 12);
    const km = Int32Array.from(expected.silhouette.irisKMeans3.labels);
    expect(silhouetteScore(iris.data, iris.n, iris.d, km)).toBeCloseTo(expected.silhouette.irisKMeans3.score, 12);
    const blobs = readMatrix('dbscan-blobs-2d.csv');
    const labels = Int32Array.from(dbscan.sets['blobs-2d'].labels);
    expect(silhouetteScore(blobs.data, blobs.n, blobs.d, labels)).toBeCloseTo(expected.silhouette.blobs2dDbscan, 12);
  });

  it('a seeded sample is repeatable and close to the full score', () => {
    const blobs = readMatrix('dbscan-blobs-2d.csv');
    const labels = Int32Array.from(dbscan.sets['blobs-2d'].labels);
    const a = silhouetteScore(blobs.data, blobs.n, blobs.d, labels, 300, 7);
    expect(silhouetteScore(blobs.data, blobs.n, blobs.d, labels, 300, 7)).toBe(a);
    expect(Math.abs(a - expected.silhouette.blobs2dDbscan)).toBeLessThan(0.05);
  });

  it('needs at least two clusters', () => {
    expect(() => silhouetteScore(iris.data, iris.n, iris.d, new Int32Array(iris.n))).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
  });
});
