import { AppError, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { createRng, type Rng } from '../random';
import { buildTree } from './cart-build';
import { predictTree, predictTreeProba, treeFeatureImportances, type DecisionTree } from './cart';
import { classWeightValues, countClasses, type ClassWeight } from './labels';
import { checkFeatures, checkWidth, takeRows, takeValues, type FeatureMatrix } from './matrix';

/** A fitted random forest (plain JSON): its trees, each a CART tree grown on a bootstrap sample. */
export interface RandomForest {
  task: 'classification' | 'regression';
  nFeatures: number;
  /** Number of classes (1 for regression). */
  nClasses: number;
  /** Features tried at each node. */
  maxFeatures: number;
  trees: DecisionTree[];
}

/** Settings, named and defaulted as scikit-learn 1.2's `RandomForest*`. */
export interface ForestOptions {
  /** Number of trees (default 100). */
  nTrees?: number;
  /**
   * Features tried at each node: 'sqrt' (default for classification), 'log2', 'all' (default for
   * regression, as sklearn 1.2's `max_features=1.0`), or a count.
   */
  maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** 'gini' (default) or 'entropy' (classification only). */
  criterion?: 'gini' | 'entropy';
  maxDepth?: number;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  /** Class weights computed on the whole training target (classification). */
  classWeight?: ClassWeight;
  /** Number of classes (default the highest code + 1, at least 2). */
  nClasses?: number;
  /** Seed of the bootstrap samples and of the feature draws (default 0). */
  seed?: number;
  /**
   * Index of the first tree grown (default 0). Each tree draws from its own stream seeded by
   * `seed` and its index, so a forest split across workers — one grows trees 0–49, another
   * `firstTree: 50` grows 50–99 — is the same forest whatever the split ({@link mergeForests}).
   */
  firstTree?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

function featureCount(option: ForestOptions['maxFeatures'], d: number, classification: boolean): number {
  const m = option ?? (classification ? 'sqrt' : 'all');
  const k = m === 'sqrt' ? Math.floor(Math.sqrt(d)) : m === 'log2' ? Math.floor(Math.log2(d)) : m === 'all' ? d : Math.floor(m);
  if (!(k >= 1)) {
    if (typeof m === 'number') throw new AppError('invalid-argument', `features per split must be at least 1; got ${m}.`);
    return 1;
  }
  return Math.min(k, d);
}

/** A fresh random subset of `k` of the `d` features (partial Fisher–Yates), in draw order. */
function featureSampler(rng: Rng, d: number, k: number): () => Int32Array {
  const pool = new Int32Array(d);
  return () => {
    for (let j = 0; j < d; j++) pool[j] = j;
    for (let j = 0; j < k; j++) {
      const r = j + rng.int(d - j);
      const t = pool[j];
      pool[j] = pool[r];
      pool[r] = t;
    }
    return pool.subarray(0, k);
  };
}

/** A bootstrap sample as the distinct rows drawn and how often each was drawn (its weight). */
function bootstrap(rng: Rng, n: number): { rows: Int32Array; weights: Float64Array } {
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) counts[rng.int(n)]++;
  let m = 0;
  for (let i = 0; i < n; i++) if (counts[i] > 0) m++;
  const rows = new Int32Array(m);
  const weights = new Float64Array(m);
  for (let i = 0, r = 0; i < n; i++) {
    if (counts[i] > 0) {
      rows[r] = i;
      weights[r++] = counts[i];
    }
  }
  return { rows, weights };
}

/**
 * Seed of tree `t`'s own random stream: the seed and the index mixed (murmur3's finalizer), so
 * neighbouring trees and neighbouring seeds get unrelated streams.
 */
function treeSeed(seed: number, t: number): number {
  let h = (seed ^ Math.imul(t + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function growForest(
  x: FeatureMatrix,
  task: RandomForest['task'],
  nClasses: number,
  options: ForestOptions,
  grow: (rows: Int32Array, weights: Float64Array, featuresAtNode: () => Int32Array) => DecisionTree,
): RandomForest {
  const nTrees = options.nTrees ?? 100;
  if (!(Number.isInteger(nTrees) && nTrees >= 1)) throw new AppError('invalid-argument', `a forest needs at least 1 tree; got ${nTrees}.`);
  const k = featureCount(options.maxFeatures, x.d, task === 'classification');
  const first = options.firstTree ?? 0;
  if (!(Number.isInteger(first) && first >= 0)) throw new AppError('invalid-argument', `the first tree's index must be a whole number ≥ 0; got ${first}.`);
  const trees: DecisionTree[] = [];
  for (let t = 0; t < nTrees; t++) {
    throwIfAborted(options.signal);
    const rng = createRng(treeSeed(options.seed ?? 0, first + t));
    const { rows, weights } = bootstrap(rng, x.n);
    trees.push(grow(rows, weights, featureSampler(rng, x.d, k)));
    options.onProgress?.({ stage: `tree ${t + 1} of ${nTrees}`, fraction: (t + 1) / nTrees });
  }
  return { task, nFeatures: x.d, nClasses, maxFeatures: k, trees };
}

function growthSettings(options: ForestOptions) {
  const maxDepth = options.maxDepth ?? Infinity;
  const minSamplesLeaf = options.minSamplesLeaf ?? 1;
  const minSamplesSplit = Math.max(options.minSamplesSplit ?? 2, 2 * minSamplesLeaf);
  if (!(maxDepth >= 1)) throw new AppError('invalid-argument', `maximum depth must be at least 1; got ${maxDepth}.`);
  if (!(minSamplesLeaf >= 1)) throw new AppError('invalid-argument', `minimum rows per leaf must be at least 1; got ${minSamplesLeaf}.`);
  return { maxDepth, minSamplesLeaf, minSamplesSplit, minImpurityDecrease: 0 };
}

/**
 * Fits a random forest classifier (Breiman 2001): each tree is a CART tree grown to purity on a
 * bootstrap sample (drawn rows weighted by how often they were drawn, as scikit-learn does), trying
 * a fresh random subset of `maxFeatures` features at every node. Seeded: the same seed gives the
 * same forest. As sklearn's `RandomForestClassifier` (its random streams differ, so single trees do).
 */
export function fitForestClassifier(x: FeatureMatrix, codes: Int32Array, options: ForestOptions = {}): RandomForest {
  checkFeatures(x, 'random forest', codes.length);
  const nClasses = Math.max(options.nClasses ?? 0, countClasses(codes), 2);
  const criterion = options.criterion ?? 'gini';
  const classWeight = classWeightValues(codes, nClasses, options.classWeight);
  const s = growthSettings(options);
  return growForest(x, 'classification', nClasses, options, (rows, weights, featuresAtNode) => ({
    task: 'classification', criterion, nFeatures: x.d, nClasses,
    nodes: buildTree({ x: takeRows(x, rows), codes: takeValues(codes, rows), nClasses, criterion, classWeight, sampleWeight: weights, ...s, featuresAtNode, signal: options.signal }),
  }));
}

/** Fits a random forest regressor (Breiman 2001): bootstrap regression trees, mean of their predictions. */
export function fitForestRegressor(x: FeatureMatrix, target: Float64Array, options: ForestOptions = {}): RandomForest {
  checkFeatures(x, 'random forest', target.length);
  for (let i = 0; i < target.length; i++) {
    if (!Number.isFinite(target[i])) throw new AppError('invalid-argument', `the target on row ${i + 1} is ${target[i]}; drop or fill it.`);
  }
  const s = growthSettings(options);
  return growForest(x, 'regression', 1, options, (rows, weights, featuresAtNode) => ({
    task: 'regression', criterion: 'squared_error', nFeatures: x.d, nClasses: 1,
    nodes: buildTree({ x: takeRows(x, rows), target: takeValues(target, rows), nClasses: 1, criterion: 'squared_error', sampleWeight: weights, ...s, featuresAtNode, signal: options.signal }),
  }));
}

/**
 * One forest from forests grown as shares of it (same data, settings and seed; `firstTree`
 * following on from share to share): their trees in order.
 */
export function mergeForests(parts: RandomForest[]): RandomForest {
  if (parts.length === 0) throw new AppError('invalid-argument', 'no forest to merge.');
  const [head] = parts;
  const odd = parts.find((p) => p.task !== head.task || p.nFeatures !== head.nFeatures || p.nClasses !== head.nClasses || p.maxFeatures !== head.maxFeatures);
  if (odd) throw new AppError('invalid-argument', `forest shares differ (${odd.task}, ${odd.nFeatures} features vs ${head.task}, ${head.nFeatures}); grow them on the same data and settings.`);
  return { ...head, trees: parts.flatMap((p) => p.trees) };
}

/**
 * Class probabilities (`n × K`, row-major): the mean over trees of each tree's leaf class shares,
 * as sklearn's `RandomForestClassifier.predict_proba`.
 */
export function predictForestProba(forest: RandomForest, x: FeatureMatrix): FeatureMatrix {
  if (forest.task !== 'classification') throw new AppError('invalid-argument', 'class probabilities need a classification forest.');
  checkWidth(x, forest.nFeatures, 'the forest');
  const K = forest.nClasses;
  const out = new Float64Array(x.n * K);
  for (const tree of forest.trees) {
    const p = predictTreeProba(tree, x).data;
    for (let i = 0; i < out.length; i++) out[i] += p[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= forest.trees.length;
  return { data: out, n: x.n, d: K };
}

/** Predictions: the most probable class code (first on ties) or the mean of the trees' predictions. */
export function predictForest(forest: RandomForest, x: FeatureMatrix): Float64Array {
  const out = new Float64Array(x.n);
  if (forest.task === 'regression') {
    checkWidth(x, forest.nFeatures, 'the forest');
    for (const tree of forest.trees) {
      const p = predictTree(tree, x);
      for (let i = 0; i < x.n; i++) out[i] += p[i] / forest.trees.length;
    }
    return out;
  }
  const proba = predictForestProba(forest, x);
  const K = proba.d;
  for (let i = 0; i < x.n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba.data[i * K + k] > proba.data[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** Mean decrease in impurity, averaged over trees and normalized to sum 1 (sklearn's `feature_importances_`). */
export function forestFeatureImportances(forest: RandomForest): Float64Array {
  const out = new Float64Array(forest.nFeatures);
  for (const tree of forest.trees) {
    const imp = treeFeatureImportances(tree);
    for (let j = 0; j < out.length; j++) out[j] += imp[j];
  }
  const total = out.reduce((a, b) => a + b, 0);
  if (total > 0) for (let j = 0; j < out.length; j++) out[j] /= total;
  return out;
}
