import { throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { FEATURE_THRESHOLD, impurityOf, scanClassification, scanRegression } from './cart-split';
import type { SortedColumns, SplitCandidate } from './cart-split';
import type { FeatureMatrix } from './matrix';
import { sortWithPayload } from './sort';

/** Splitting criterion of a CART tree (names as scikit-learn's `criterion`). */
export type SplitCriterion = 'gini' | 'entropy' | 'squared_error';

/**
 * A fitted tree as flat, JSON-serializable arrays indexed by node id (ids in depth-first
 * pre-order, left child first, root 0 — the numbering of scikit-learn's `tree_`).
 */
export interface TreeNodes {
  /** Split feature, or −1 at a leaf. */
  feature: number[];
  /** Rows with `x[feature] <= threshold` go left (−2 at a leaf, as sklearn). */
  threshold: number[];
  /** Child ids (−1 at a leaf). */
  left: number[];
  right: number[];
  /** Node impurity by the tree's criterion (Gini, entropy in bits, or variance). */
  impurity: number[];
  /** Training rows reaching the node. */
  samples: number[];
  /** Their total weight (equals `samples` without class or sample weights). */
  weightedSamples: number[];
  /** Depth (root 0). */
  depth: number[];
  /**
   * Node values, `width` per node: weighted class counts (classification, `width` = classes)
   * or the mean target (regression, `width` = 1).
   */
  value: number[];
  width: number;
}

/** Inputs of the tree builder (already checked by the caller). */
export interface BuildInput {
  x: FeatureMatrix;
  /** Class codes (classification) — or undefined for regression. */
  codes?: Int32Array;
  nClasses: number;
  /** Regression targets — or undefined for classification. */
  target?: Float64Array;
  /** Weight of each class (classification; length nClasses). */
  classWeight?: Float64Array;
  /** Per-row weights, when given. */
  sampleWeight?: Float64Array;
  criterion: SplitCriterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  /**
   * Features tried at each node (default all, in column order). A random forest passes a fresh
   * random subset per node (Breiman 2001's `max_features`); the default path is unchanged.
   */
  featuresAtNode?: () => ArrayLike<number>;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

const EPSILON = 2.220446049250313e-16;

/** Sorts every feature once and lays out labels/targets/weights in each sorted order. */
function presort(input: BuildInput): SortedColumns {
  const { x, codes, target, sampleWeight } = input;
  const { n, d } = x;
  const idx = new Int32Array(n * d);
  const val = new Float64Array(n * d);
  const cols: SortedColumns = {
    n, d, val, idx,
    classWeight: input.classWeight ?? new Float64Array(Math.max(input.nClasses, 1)).fill(1),
    lab: codes ? new Int32Array(n * d) : undefined,
    tgt: target ? new Float64Array(n * d) : undefined,
    sw: sampleWeight ? new Float64Array(n * d) : undefined,
  };
  for (let f = 0; f < d; f++) {
    const base = f * n;
    for (let i = 0; i < n; i++) {
      idx[base + i] = i;
      val[base + i] = x.data[i * d + f];
    }
    sortWithPayload(val, idx, base, base + n);
    for (let p = base; p < base + n; p++) {
      const row = idx[p];
      if (cols.lab) cols.lab[p] = codes![row];
      if (cols.tgt) cols.tgt[p] = target![row];
      if (cols.sw) cols.sw[p] = sampleWeight![row];
    }
    throwIfAborted(input.signal);
  }
  return cols;
}

/** Weighted class counts (or [Σwy, Σwy²]) of positions [from, to) of feature f's order. */
function rangeStats(cols: SortedColumns, f: number, from: number, to: number, out: Float64Array): number {
  out.fill(0);
  const { lab, tgt, sw, classWeight } = cols;
  const base = f * cols.n;
  let w = 0;
  for (let p = base + from; p < base + to; p++) {
    if (lab) {
      const wi = sw ? sw[p] * classWeight[lab[p]] : classWeight[lab[p]];
      out[lab[p]] += wi;
      w += wi;
    } else {
      const wi = sw ? sw[p] : 1;
      const t = tgt![p];
      out[0] += wi * t;
      out[1] += wi * t * t;
      w += wi;
    }
  }
  return w;
}

/**
 * Grows a CART tree (Breiman, Friedman, Olshen & Stone 1984) depth first, following
 * scikit-learn's `DepthFirstTreeBuilder` + `BestSplitter`: every feature is sorted once up front
 * and the sorted orders are partitioned stably at each split (the presorting of SLIQ, Mehta,
 * Agrawal & Rissanen 1996), so a node costs O(d · rows) and a whole level O(d · n). Thresholds
 * are midpoints between neighbouring distinct values; the first best split wins ties (features
 * in column order; sklearn visits them in random order).
 */
export function buildTree(input: BuildInput): TreeNodes {
  const { criterion, nClasses } = input;
  const { n, d } = input.x;
  const classification = input.codes !== undefined;
  const width = classification ? nClasses : 1;
  const statsWidth = classification ? nClasses : 2;
  const cols = presort(input);
  const nodes: TreeNodes = {
    feature: [], threshold: [], left: [], right: [], impurity: [], samples: [],
    weightedSamples: [], depth: [], value: [], width,
  };
  const goLeft = new Uint8Array(n);
  const temp: PartitionScratch = {
    idx: new Int32Array(n), val: new Float64Array(n), lab: new Int32Array(cols.lab ? n : 0),
    tgt: new Float64Array(cols.tgt ? n : 0), sw: new Float64Array(cols.sw ? n : 0),
  };
  const stats = new Float64Array(statsWidth);
  const left = new Float64Array(statsWidth);
  const right = new Float64Array(statsWidth);
  const best: SplitCandidate = { proxy: -Infinity, feature: -1, pos: -1, threshold: 0 };
  let totalWeight = 0;
  // Stack of pending nodes: start, end, depth, parent, isLeft.
  const stack: number[] = [0, n, 0, -1, 0];
  let rowsDone = 0;
  while (stack.length > 0) {
    const isLeftChild = stack.pop()!;
    const parent = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const id = nodes.feature.length;
    if ((id & 1023) === 0 && id > 0) {
      throwIfAborted(input.signal);
      input.onProgress?.({ stage: 'growing the tree', fraction: rowsDone / n, detail: { nodes: id } });
    }
    if (parent >= 0) (isLeftChild ? nodes.left : nodes.right)[parent] = id;
    const w = rangeStats(cols, 0, start, end, stats);
    if (id === 0) totalWeight = w;
    const impurity = impurityOf(criterion, stats, w);
    const count = end - start;
    nodes.impurity.push(impurity);
    nodes.samples.push(count);
    nodes.weightedSamples.push(w);
    nodes.depth.push(depth);
    nodes.left.push(-1);
    nodes.right.push(-1);
    if (classification) for (let k = 0; k < width; k++) nodes.value.push(stats[k]);
    else nodes.value.push(stats[0] / w);

    best.proxy = -Infinity;
    best.feature = -1;
    const mayNotSplit =
      depth >= input.maxDepth || count < input.minSamplesSplit || count < 2 * input.minSamplesLeaf || impurity <= EPSILON;
    if (!mayNotSplit) {
      const subset = input.featuresAtNode?.();
      for (let q = 0, m = subset ? subset.length : d; q < m; q++) {
        const f = subset ? subset[q] : q;
        const base = f * n;
        // Constant within the node: no split (as sklearn's constant-feature check).
        if (cols.val[base + end - 1] <= cols.val[base + start] + FEATURE_THRESHOLD) continue;
        if (classification) scanClassification(cols, f, start, end, stats, w, criterion, input.minSamplesLeaf, left, right, best);
        else scanRegression(cols, f, start, end, stats[0], w, input.minSamplesLeaf, best);
      }
    }
    if (best.feature >= 0 && input.minImpurityDecrease > 0) {
      const wl = rangeStats(cols, best.feature, start, best.pos, left);
      for (let k = 0; k < statsWidth; k++) right[k] = stats[k] - left[k];
      const wr = w - wl;
      const improvement =
        (w / totalWeight) * (impurity - (wl / w) * impurityOf(criterion, left, wl) - (wr / w) * impurityOf(criterion, right, wr));
      if (improvement + EPSILON < input.minImpurityDecrease) best.feature = -1;
    }
    if (best.feature < 0) {
      nodes.feature.push(-1);
      nodes.threshold.push(-2);
      rowsDone += count;
      continue;
    }
    nodes.feature.push(best.feature);
    nodes.threshold.push(best.threshold);
    partition(cols, goLeft, temp, best.feature, start, best.pos, end);
    stack.push(best.pos, end, depth + 1, id, 0);
    stack.push(start, best.pos, depth + 1, id, 1);
  }
  input.onProgress?.({ stage: 'growing the tree', fraction: 1, detail: { nodes: nodes.feature.length } });
  return nodes;
}

/** Scratch buffers for `partition` (the right side of a node while it is being split). */
interface PartitionScratch {
  idx: Int32Array;
  val: Float64Array;
  lab: Int32Array;
  tgt: Float64Array;
  sw: Float64Array;
}

/** Stable partition of every feature's sorted range so the left child's rows come first. */
function partition(cols: SortedColumns, goLeft: Uint8Array, temp: PartitionScratch, splitFeature: number, start: number, pos: number, end: number): void {
  const { n, d, idx, val, lab, tgt, sw } = cols;
  const sb = splitFeature * n;
  for (let p = sb + start; p < sb + pos; p++) goLeft[idx[p]] = 1;
  for (let p = sb + pos; p < sb + end; p++) goLeft[idx[p]] = 0;
  for (let f = 0; f < d; f++) {
    if (f === splitFeature) continue;
    const base = f * n;
    let l = base + start;
    let r = 0;
    for (let p = base + start; p < base + end; p++) {
      const row = idx[p];
      if (goLeft[row] === 1) {
        idx[l] = row;
        val[l] = val[p];
        if (lab) lab[l] = lab[p];
        if (tgt) tgt[l] = tgt[p];
        if (sw) sw[l] = sw[p];
        l++;
      } else {
        temp.idx[r] = row;
        temp.val[r] = val[p];
        if (lab) temp.lab[r] = lab[p];
        if (tgt) temp.tgt[r] = tgt[p];
        if (sw) temp.sw[r] = sw[p];
        r++;
      }
    }
    idx.set(temp.idx.subarray(0, r), l);
    val.set(temp.val.subarray(0, r), l);
    if (lab) lab.set(temp.lab.subarray(0, r), l);
    if (tgt) tgt.set(temp.tgt.subarray(0, r), l);
    if (sw) sw.set(temp.sw.subarray(0, r), l);
  }
}
