import type { SplitCriterion } from './cart-build';

/**
 * The presorted working arrays of the tree builder. For feature f, positions f·n … f·n+n−1 hold
 * the rows of every open node in that feature's value order, node by node: `val` the feature
 * value, `idx` the row, `lab` its class code (classification) or `tgt` its target (regression),
 * `sw` its sample weight (only when sample weights were given). Keeping labels, targets and
 * weights next to the values makes the split scan read memory in order.
 */
export interface SortedColumns {
  n: number;
  d: number;
  val: Float64Array;
  idx: Int32Array;
  lab?: Int32Array;
  tgt?: Float64Array;
  sw?: Float64Array;
  /** Weight of each class (all 1 without class weights). */
  classWeight: Float64Array;
}

/** The best split found so far at a node. */
export interface SplitCandidate {
  proxy: number;
  feature: number;
  pos: number;
  threshold: number;
}

/** Values closer than this are never split apart (scikit-learn's splitter `FEATURE_THRESHOLD`). */
export const FEATURE_THRESHOLD = 1e-7;

/** Node impurity from weighted class counts, or from [Σwy, Σwy²] for squared error. */
export function impurityOf(criterion: SplitCriterion, stats: Float64Array, w: number): number {
  if (criterion === 'squared_error') return stats[1] / w - (stats[0] / w) ** 2;
  let out = criterion === 'gini' ? 1 : 0;
  for (let k = 0; k < stats.length; k++) {
    const p = stats[k] / w;
    if (criterion === 'gini') out -= p * p;
    else if (p > 0) out -= p * Math.log2(p);
  }
  return out;
}

/**
 * Scans feature `f` over node positions [start, end) for the best classification split,
 * updating `best` when a split beats it (strictly, so the first of equals wins). The proxy is
 * sklearn's `proxy_impurity_improvement`, up to a constant: Σ_k c_Lk²/w_L + Σ_k c_Rk²/w_R for Gini
 * (kept up to date in O(1) per row), −w_L·H_L − w_R·H_R for entropy. Candidate thresholds sit
 * between neighbouring values that differ by more than 1e−7; both sides keep ≥ `minLeaf` rows.
 */
export function scanClassification(
  cols: SortedColumns, f: number, start: number, end: number, nodeStats: Float64Array, nodeWeight: number,
  criterion: SplitCriterion, minLeaf: number, left: Float64Array, right: Float64Array, best: SplitCandidate,
): void {
  const { val, sw, classWeight } = cols;
  const lab = cols.lab!;
  const base = f * cols.n;
  const K = nodeStats.length;
  left.fill(0);
  right.set(nodeStats);
  let sqL = 0;
  let sqR = 0;
  if (criterion === 'gini') for (let k = 0; k < K; k++) sqR += nodeStats[k] * nodeStats[k];
  let wl = 0;
  const gini = criterion === 'gini';
  const last = base + end - 1;
  for (let p = base + start; p < last; p++) {
    const k = lab[p];
    const wi = sw ? sw[p] * classWeight[k] : classWeight[k];
    wl += wi;
    if (gini) {
      sqL += wi * (2 * left[k] + wi);
      sqR += wi * (wi - 2 * right[k]);
    }
    left[k] += wi;
    right[k] -= wi;
    const v = val[p];
    const next = val[p + 1];
    if (next <= v + FEATURE_THRESHOLD) continue;
    const pos = p + 1 - base;
    if (pos - start < minLeaf || end - pos < minLeaf) continue;
    const wr = nodeWeight - wl;
    const proxy = gini
      ? sqL / wl + sqR / wr
      : -wl * impurityOf('entropy', left, wl) - wr * impurityOf('entropy', right, wr);
    if (proxy > best.proxy) {
      best.proxy = proxy;
      best.feature = f;
      best.pos = pos;
      let threshold = v / 2 + next / 2;
      if (threshold === next || !Number.isFinite(threshold)) threshold = v;
      best.threshold = threshold;
    }
  }
}

/**
 * The regression counterpart of `scanClassification` for the squared-error criterion: proxy
 * (Σ_L wy)²/w_L + (Σ_R wy)²/w_R, as sklearn's `MSE.proxy_impurity_improvement`.
 */
export function scanRegression(
  cols: SortedColumns, f: number, start: number, end: number, nodeSum: number, nodeWeight: number,
  minLeaf: number, best: SplitCandidate,
): void {
  const { val, sw } = cols;
  const tgt = cols.tgt!;
  const base = f * cols.n;
  let wl = 0;
  let sl = 0;
  const last = base + end - 1;
  for (let p = base + start; p < last; p++) {
    const wi = sw ? sw[p] : 1;
    wl += wi;
    sl += wi * tgt[p];
    const v = val[p];
    const next = val[p + 1];
    if (next <= v + FEATURE_THRESHOLD) continue;
    const pos = p + 1 - base;
    if (pos - start < minLeaf || end - pos < minLeaf) continue;
    const sr = nodeSum - sl;
    const proxy = (sl * sl) / wl + (sr * sr) / (nodeWeight - wl);
    if (proxy > best.proxy) {
      best.proxy = proxy;
      best.feature = f;
      best.pos = pos;
      let threshold = v / 2 + next / 2;
      if (threshold === next || !Number.isFinite(threshold)) threshold = v;
      best.threshold = threshold;
    }
  }
}
