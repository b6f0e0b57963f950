import { throwIfAborted } from '../errors';
import type { Rng } from '../random';
import { rowSquaredNorms, sampleRows } from './data-matrix';

/**
 * Greedy k-means++ seeding as scikit-learn does it (`sklearn.cluster._kmeans._kmeans_plusplus`,
 * after Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful seeding"): the first
 * centre is a uniformly random row; each next centre is the best of `2 + floor(ln k)` candidates
 * drawn with probability proportional to the squared distance to the nearest centre so far, "best"
 * meaning the one that leaves the smallest total squared distance (potential).
 *
 * Returns the k × d centres (row-major copies of data rows) and the chosen row indices. Checks
 * `signal` before each centre (each costs a few passes over the data).
 */
export function kmeansPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  localTrials = 2 + Math.floor(Math.log(k)),
  signal?: AbortSignal,
): { centers: Float64Array; indices: Int32Array } {
  const centers = new Float64Array(k * d);
  const indices = new Int32Array(k);
  const rowNorms = rowSquaredNorms(data, n, d);
  const closest = new Float64Array(n);
  const cumulative = new Float64Array(n);
  const candidates = new Int32Array(localTrials);
  // Candidates as −2·c (padded to a multiple of 4) and ‖c‖², for the blocked kernel below.
  const blocks = Math.ceil(localTrials / 4);
  const scaled = new Float64Array(blocks * 4 * d);
  const norms = new Float64Array(blocks * 4);
  const pots = new Float64Array(blocks * 4);

  let chosen = rng.int(n);
  let pot = 0;
  for (let c = 0; c < k; c++) {
    if (c > 0) {
      throwIfAborted(signal);
      for (let t = 0; t < localTrials; t++) {
        candidates[t] = Math.min(searchSorted(cumulative, rng.next() * pot), n - 1);
      }
      scoreCandidates(data, n, d, rowNorms, closest, candidates, localTrials, scaled, norms, pots);
      let best = 0;
      for (let t = 1; t < localTrials; t++) if (pots[t] < pots[best]) best = t;
      chosen = candidates[best];
    }
    indices[c] = chosen;
    centers.set(data.subarray(chosen * d, chosen * d + d), c * d);
    if (c === k - 1) break;
    // Exact distances to the new centre; the running sum doubles as the sampling table.
    pot = 0;
    for (let i = 0, base = 0; i < n; i++, base += d) {
      let s = 0;
      for (let j = 0, cb = chosen * d; j < d; j++) {
        const v = data[base + j] - data[cb + j];
        s += v * v;
      }
      if (c === 0 || s < closest[i]) closest[i] = s;
      pot += closest[i];
      cumulative[i] = pot;
    }
  }
  return { centers, indices };
}

/**
 * Potential (Σ min(closest, ‖x − candidate‖²)) of each candidate in one pass over the data,
 * four candidates per load of a row via ‖x‖² + ‖c‖² − 2x·c (as scikit-learn's
 * `_euclidean_distances`; clamped at 0).
 */
function scoreCandidates(
  data: Float64Array,
  n: number,
  d: number,
  rowNorms: Float64Array,
  closest: Float64Array,
  candidates: Int32Array,
  trials: number,
  scaled: Float64Array,
  norms: Float64Array,
  pots: Float64Array,
): void {
  scaled.fill(0);
  norms.fill(Infinity);
  pots.fill(0);
  for (let t = 0; t < trials; t++) {
    let s = 0;
    for (let j = 0, cb = candidates[t] * d; j < d; j++) {
      const v = data[cb + j];
      s += v * v;
      scaled[t * d + j] = -2 * v;
    }
    norms[t] = s;
  }
  for (let b = 0; b < norms.length; b += 4) {
    const cb = b * d;
    const cb1 = cb + d;
    const cb2 = cb1 + d;
    const cb3 = cb2 + d;
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    for (let i = 0, base = 0; i < n; i++, base += d) {
      const xx = rowNorms[i];
      let a0 = xx + norms[b];
      let a1 = xx + norms[b + 1];
      let a2 = xx + norms[b + 2];
      let a3 = xx + norms[b + 3];
      for (let j = 0; j < d; j++) {
        const x = data[base + j];
        a0 += x * scaled[cb + j];
        a1 += x * scaled[cb1 + j];
        a2 += x * scaled[cb2 + j];
        a3 += x * scaled[cb3 + j];
      }
      const ci = closest[i];
      p0 += a0 < ci ? (a0 > 0 ? a0 : 0) : ci;
      p1 += a1 < ci ? (a1 > 0 ? a1 : 0) : ci;
      p2 += a2 < ci ? (a2 > 0 ? a2 : 0) : ci;
      p3 += a3 < ci ? (a3 > 0 ? a3 : 0) : ci;
    }
    pots[b] = p0;
    pots[b + 1] = p1;
    pots[b + 2] = p2;
    pots[b + 3] = p3;
  }
}

/**
 * k distinct rows picked uniformly (scikit-learn's `init='random'`: the first k of a random
 * permutation).
 */
export function randomRows(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
): { centers: Float64Array; indices: Int32Array } {
  const indices = sampleRows(n, k, rng);
  const centers = new Float64Array(k * d);
  for (let c = 0; c < k; c++) centers.set(data.subarray(indices[c] * d, indices[c] * d + d), c * d);
  return { centers, indices };
}

/** numpy's `searchsorted(sorted, value, side='left')`: first index whose value is >= `value`. */
export function searchSorted(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
