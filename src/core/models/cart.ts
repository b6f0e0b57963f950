import { AppError } from '../errors';
import type { ProgressCallback } from '../progress';
import { buildTree } from './cart-build';
import type { SplitCriterion, TreeNodes } from './cart-build';
import { pruneTree } from './cart-prune';
import { classWeightValues, countClasses } from './labels';
import type { ClassWeight } from './labels';
import { checkFeatures, checkWidth } from './matrix';
import type { FeatureMatrix } from './matrix';

export type { SplitCriterion, TreeNodes } from './cart-build';

/** A fitted CART tree: plain JSON, safe to post to a worker or save. */
export interface DecisionTree {
  task: 'classification' | 'regression';
  criterion: SplitCriterion;
  nFeatures: number;
  /** Number of classes (1 for regression). */
  nClasses: number;
  nodes: TreeNodes;
}

/** Growth and pruning settings, named and defaulted as scikit-learn's `DecisionTree*`. */
export interface TreeOptions {
  /** 'gini' (default) or 'entropy' for classification; regression always uses 'squared_error'. */
  criterion?: SplitCriterion;
  /** Deepest level a node may sit at (root 0; default unlimited). */
  maxDepth?: number;
  /** Fewest rows a node needs to be split (default 2). */
  minSamplesSplit?: number;
  /** Fewest rows each child must keep (default 1). */
  minSamplesLeaf?: number;
  /** A split must lower the weighted impurity by at least this much (default 0). */
  minImpurityDecrease?: number;
  /** Cost-complexity pruning strength α ≥ 0 (default 0 = unpruned), as sklearn's `ccp_alpha`. */
  ccpAlpha?: number;
  /** Number of classes K (classification; default the highest code + 1, at least 2). */
  nClasses?: number;
  /** Class weights (classification only): 'balanced' or one weight per class. */
  classWeight?: ClassWeight;
  /** Per-row weights (default all 1). */
  sampleWeight?: ArrayLike<number>;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

function settings(options: TreeOptions) {
  const maxDepth = options.maxDepth ?? Infinity;
  const minSamplesSplit = options.minSamplesSplit ?? 2;
  const minSamplesLeaf = options.minSamplesLeaf ?? 1;
  const ccpAlpha = options.ccpAlpha ?? 0;
  if (!(maxDepth >= 1)) throw new AppError('invalid-argument', `maximum depth must be at least 1; got ${maxDepth}.`);
  if (!(minSamplesSplit >= 2)) throw new AppError('invalid-argument', `minimum rows to split must be at least 2; got ${minSamplesSplit}.`);
  if (!(minSamplesLeaf >= 1)) throw new AppError('invalid-argument', `minimum rows per leaf must be at least 1; got ${minSamplesLeaf}.`);
  if (!(ccpAlpha >= 0)) throw new AppError('invalid-argument', `pruning strength must be ≥ 0; got ${ccpAlpha}.`);
  // sklearn grows with min_samples_split = max(min_samples_split, 2 * min_samples_leaf).
  return { maxDepth, minSamplesLeaf, minSamplesSplit: Math.max(minSamplesSplit, 2 * minSamplesLeaf), ccpAlpha };
}

function sampleWeights(n: number, w: ArrayLike<number> | undefined): Float64Array | undefined {
  if (w === undefined) return undefined;
  if (w.length !== n) throw new AppError('invalid-argument', `${w.length} row weights for ${n} rows.`);
  const out = Float64Array.from(w);
  for (let i = 0; i < n; i++) {
    if (!(out[i] >= 0)) throw new AppError('invalid-argument', `the weight of row ${i + 1} is ${out[i]}; weights must be ≥ 0.`);
  }
  return out;
}

/**
 * Fits a classification tree (CART, Breiman et al. 1984) on rows `x` with class codes `codes`
 * (0 … K−1). Gini or entropy impurity; unpruned unless `ccpAlpha` > 0. Matches scikit-learn's
 * `DecisionTreeClassifier` node for node when no two features tie for the best split.
 */
export function fitClassificationTree(x: FeatureMatrix, codes: Int32Array, options: TreeOptions = {}): DecisionTree {
  checkFeatures(x, 'decision tree', codes.length);
  const criterion = options.criterion ?? 'gini';
  if (criterion === 'squared_error') throw new AppError('invalid-argument', "a classification tree uses 'gini' or 'entropy'.");
  const nClasses = Math.max(options.nClasses ?? 0, countClasses(codes), 2);
  const s = settings(options);
  const nodes = buildTree({
    x, codes, nClasses, criterion, ...s,
    classWeight: classWeightValues(codes, nClasses, options.classWeight),
    sampleWeight: sampleWeights(x.n, options.sampleWeight),
    minImpurityDecrease: options.minImpurityDecrease ?? 0, signal: options.signal, onProgress: options.onProgress,
  });
  const tree: DecisionTree = { task: 'classification', criterion, nFeatures: x.d, nClasses, nodes };
  return s.ccpAlpha > 0 ? pruneTree(tree, s.ccpAlpha) : tree;
}

/**
 * Fits a regression tree (CART, Breiman et al. 1984) with the variance (squared error)
 * criterion; leaves predict the mean target. As scikit-learn's `DecisionTreeRegressor`.
 */
export function fitRegressionTree(x: FeatureMatrix, target: Float64Array, options: TreeOptions = {}): DecisionTree {
  checkFeatures(x, 'regression tree', target.length);
  for (let i = 0; i < target.length; i++) {
    if (!Number.isFinite(target[i])) throw new AppError('invalid-argument', `the target on row ${i + 1} is ${target[i]}; drop or fill it.`);
  }
  const s = settings(options);
  const nodes = buildTree({
    x, target, nClasses: 1, criterion: 'squared_error', ...s,
    sampleWeight: sampleWeights(x.n, options.sampleWeight),
    minImpurityDecrease: options.minImpurityDecrease ?? 0, signal: options.signal, onProgress: options.onProgress,
  });
  const tree: DecisionTree = { task: 'regression', criterion: 'squared_error', nFeatures: x.d, nClasses: 1, nodes };
  return s.ccpAlpha > 0 ? pruneTree(tree, s.ccpAlpha) : tree;
}

/** The leaf each row lands in (node ids). */
export function applyTree(tree: DecisionTree, x: FeatureMatrix): Int32Array {
  checkWidth(x, tree.nFeatures, 'the tree');
  const { feature, threshold, left, right } = tree.nodes;
  const out = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) {
    const base = i * x.d;
    let node = 0;
    while (feature[node] >= 0) node = x.data[base + feature[node]] <= threshold[node] ? left[node] : right[node];
    out[i] = node;
  }
  return out;
}

/**
 * Class probabilities (`n × K`, row-major): the weighted class shares of each row's leaf, as
 * sklearn's `predict_proba`. Only for classification trees.
 */
export function predictTreeProba(tree: DecisionTree, x: FeatureMatrix): FeatureMatrix {
  if (tree.task !== 'classification') throw new AppError('invalid-argument', 'class probabilities need a classification tree.');
  const leaves = applyTree(tree, x);
  const K = tree.nClasses;
  const out = new Float64Array(x.n * K);
  const { value } = tree.nodes;
  for (let i = 0; i < x.n; i++) {
    let total = 0;
    for (let k = 0; k < K; k++) total += value[leaves[i] * K + k];
    for (let k = 0; k < K; k++) out[i * K + k] = total > 0 ? value[leaves[i] * K + k] / total : 1 / K;
  }
  return { data: out, n: x.n, d: K };
}

/**
 * Predictions: the most weighted class code of each row's leaf (classification, first class on
 * ties as numpy's argmax) or the leaf mean (regression).
 */
export function predictTree(tree: DecisionTree, x: FeatureMatrix): Float64Array {
  const leaves = applyTree(tree, x);
  const { value, width } = tree.nodes;
  const out = new Float64Array(x.n);
  for (let i = 0; i < x.n; i++) {
    const base = leaves[i] * width;
    if (tree.task === 'regression') {
      out[i] = value[base];
      continue;
    }
    let best = 0;
    for (let k = 1; k < width; k++) if (value[base + k] > value[base + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** Number of leaves. */
export function leafCount(tree: DecisionTree): number {
  return tree.nodes.feature.reduce((a, f) => a + (f < 0 ? 1 : 0), 0);
}

/** Depth of the deepest leaf (a lone root is depth 0). */
export function treeDepth(tree: DecisionTree): number {
  return tree.nodes.depth.reduce((a, b) => Math.max(a, b), 0);
}

/**
 * Impurity-based (Gini / mean-decrease-in-impurity) feature importances, normalized to sum 1 —
 * as sklearn's `feature_importances_` (Breiman et al. 1984). Length `nFeatures`; all zero for a
 * tree with no split.
 */
export function treeFeatureImportances(tree: DecisionTree): Float64Array {
  const { feature, left, right, impurity, weightedSamples } = tree.nodes;
  const out = new Float64Array(tree.nFeatures);
  for (let t = 0; t < feature.length; t++) {
    if (feature[t] < 0) continue;
    const l = left[t];
    const r = right[t];
    out[feature[t]] +=
      weightedSamples[t] * impurity[t] - weightedSamples[l] * impurity[l] - weightedSamples[r] * impurity[r];
  }
  const total = out.reduce((a, b) => a + b, 0);
  if (total > 0) for (let j = 0; j < out.length; j++) out[j] /= total;
  return out;
}
