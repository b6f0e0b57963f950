import { fitClassificationTree, leafCount, predictTree } from '../../../src/core/models/cart';
import { createRng } from '../../../src/core/random';
import { benchLine, type BenchCase, type BenchContext, type BenchLine } from '../harness';
import { accuracyOf, cachedXY } from '../model-data';
import { runSklearn } from '../peers';

const RUNS = Number(process.env.MODEL_RUNS ?? 3);
const N = 1_000_000;
const TREE = { d: 10, maxDepth: 12, minSamplesLeaf: 20, seed: 31 };

/**
 * Churn-like tree data: 10 numeric features (uniform, normal, skewed, and a few rounded to a
 * handful of values as counts are), a label from an interaction of three of them with 10 % noise.
 */
function treeData(): { x: Float64Array; y: Int32Array } {
  const rng = createRng(TREE.seed);
  const x = new Float64Array(N * TREE.d);
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const r = x.subarray(i * TREE.d, (i + 1) * TREE.d);
    for (let j = 0; j < TREE.d; j++) {
      const kind = j % 4;
      r[j] = kind === 0 ? rng.next() * 100 : kind === 1 ? rng.normal() : kind === 2 ? Math.exp(rng.normal()) : Math.floor(rng.next() * 12);
    }
    const risk = (r[0] < 30 ? 1.2 : 0) + (r[1] > 0.5 ? 0.8 : -0.3) + (r[3] > 8 ? 0.9 : 0) - 0.3 * r[2];
    y[i] = (risk > 0.7) !== rng.next() < 0.1 ? 1 : 0;
  }
  return { x, y };
}

interface SklearnFit {
  sklearn: string;
  times: number[];
  threads: number;
  train_accuracy: number;
  leaves: number;
}

async function cartBench(ctx: BenchContext): Promise<BenchLine[]> {
  const data = cachedXY(ctx, `cart-${N}x${TREE.d}-seed${TREE.seed}-v1`, N, treeData);
  const peer = runSklearn<SklearnFit>(['cart', data.xPath, String(N), String(data.d), data.yPath, String(RUNS)], 1);
  const ours: number[] = [];
  let leaves = 0;
  let acc = 0;
  for (let r = 0; r < RUNS; r++) {
    ctx.gc();
    const t0 = performance.now();
    const tree = fitClassificationTree(data.m, data.y, { maxDepth: TREE.maxDepth, minSamplesLeaf: TREE.minSamplesLeaf });
    ours.push((performance.now() - t0) / 1000);
    leaves = leafCount(tree);
    acc = accuracyOf(predictTree(tree, data.m), data.y);
  }
  ctx.log(`cart: ours ${ours.map((t) => t.toFixed(2)).join(', ')} s (${leaves} leaves, train accuracy ${acc.toFixed(4)}); sklearn ${peer.times.map((t) => t.toFixed(2)).join(', ')} s (${peer.leaves} leaves, ${peer.train_accuracy.toFixed(4)})`);
  if (Math.abs(acc - peer.train_accuracy) > 0.002) throw new Error(`cart: training accuracy ${acc} vs scikit-learn's ${peer.train_accuracy}`);
  const line = benchLine('cart-1m', ours, `scikit-learn ${peer.sklearn} DecisionTreeClassifier (max_depth ${TREE.maxDepth}, min_samples_leaf ${TREE.minSamplesLeaf}), 1 thread`, peer.times, {
    n: N, d: TREE.d, leaves, peer_leaves: peer.leaves, train_accuracy: acc, peer_train_accuracy: peer.train_accuracy,
    ours_engine: 'TypeScript CART (presorted columns), one thread', runs: RUNS, target_ratio: 2,
  });
  line.meets_target = line.ratio <= 2;
  return [line];
}

/**
 * cart-1m: a classification tree on 1,000,000 × 10 (depth ≤ 12, ≥ 20 rows a leaf) vs
 * scikit-learn's DecisionTreeClassifier with the same settings; training accuracies must agree.
 * Target ≤ 2×. (Logistic regression: logistic.ts.)
 */
export const cases: BenchCase[] = [
  { name: 'cart-1m', description: 'CART fit on 1,000,000 × 10, ours vs scikit-learn 1.2.1; target ≤ 2×', run: cartBench },
];
