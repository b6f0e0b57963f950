import type { HeatmapData } from '../charts/heatmap';
import type { ScatterPoint } from '../charts/scatter';
import { sampleRows } from '../core/mining/data-matrix';
import { fitPca, projectPca } from '../core/mining/pca';
import { createRng } from '../core/random';
import type { ClusterProfile } from '../services/db/segment-profile';

/** Up to `m` rows of a row-major matrix, chosen at random with a seed (all rows, in order, when n ≤ m). */
export function sampleMatrix(data: Float64Array, n: number, d: number, m: number, seed = 0): { data: Float64Array; n: number; d: number; rows: Int32Array } {
  const rows = n <= m ? Int32Array.from({ length: n }, (_, i) => i) : sampleRows(n, m, createRng(seed)).sort();
  const out = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(data.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return { data: out, n: rows.length, d, rows };
}

/** Rows per cluster, clusters ascending (−1, DBSCAN's noise, first when present). */
export function clusterSizes(labels: Int32Array): { cluster: number; size: number }[] {
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([cluster, size]) => ({ cluster, size }));
}

/**
 * The 2-D PCA picture of a clustering: PCA fitted on up to `fitRows` rows (seeded sample), and up
 * to `showRows` rows projected and coloured by cluster. Runs on the main thread: O(rows × d²).
 */
export function pcaPicture(data: Float64Array, n: number, d: number, labels: Int32Array, fitRows = 5000, showRows = 2000): { points: ScatterPoint[]; ratio: number[] } {
  if (n < 2) return { points: [], ratio: [] };
  const fit = sampleMatrix(data, n, d, fitRows, 1);
  const model = fitPca(fit.data, fit.n, d, 2);
  const shown = sampleMatrix(data, n, d, showRows, 2).rows;
  const xy = projectPca(model, data, d, shown);
  const k = model.count;
  const points = Array.from(shown, (row, r) => ({ x: xy[r * k], y: k > 1 ? xy[r * k + 1] : 0, group: labels[row], title: `cluster ${labels[row]}` }));
  return { points, ratio: Array.from(model.explainedVarianceRatio) };
}

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(+v.toPrecision(3))) : '—');

/**
 * The profile as a heatmap: numeric cells show the cluster mean, coloured from the lowest cluster
 * mean (blue) to the highest (red); text cells show the top value and its share (uncoloured).
 */
export function profileHeatmap(profile: ClusterProfile): HeatmapData {
  const rows = profile.clusters.map((c, i) => `${c < 0 ? 'noise' : `cluster ${c}`} (${profile.sizes[i].toLocaleString('en-US')})`);
  const columns = [...profile.numeric.map((p) => p.column), ...profile.categorical.map((p) => p.column)];
  const shade = profile.clusters.map(() => [] as number[]);
  const text = profile.clusters.map(() => [] as string[]);
  for (const p of profile.numeric) {
    const finite = p.means.filter(Number.isFinite);
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    p.means.forEach((m, i) => {
      shade[i].push(hi > lo ? (2 * (m - lo)) / (hi - lo) - 1 : 0);
      text[i].push(fmt(m));
    });
  }
  for (const p of profile.categorical) {
    p.top.forEach((t, i) => {
      shade[i].push(NaN);
      text[i].push(`${t.value ?? 'missing'} ${Math.round(t.share * 100)}%`);
    });
  }
  return { rows, columns, shade, text };
}
