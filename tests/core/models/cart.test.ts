// CART against scikit-learn 1.2's DecisionTreeClassifier/Regressor node for node
// (tests/fixtures/models/make-cart.py), plus pruning, cancellation and serialization.
import { describe, expect, it } from 'vitest';
import {
  fitClassificationTree, fitRegressionTree, leafCount, predictTree, predictTreeProba, treeDepth,
  treeFeatureImportances,
} from '../../../src/core/models/cart';
import type { DecisionTree } from '../../../src/core/models/cart';
import { pruneTree, pruningPath } from '../../../src/core/models/cart-prune';
import { matrixFromRows } from '../../../src/core/models/matrix';
import { createRng } from '../../../src/core/random';
import { fixtureJson } from './fixtures';

const ref = fixtureJson('cart.json');
const x = matrixFromRows(ref.X);
const y = Int32Array.from(ref.y as number[]);
const yReg = Float64Array.from(ref.yReg as number[]);
const sampleWeight = Float64Array.from(ref.sampleWeight as number[]);

interface SkTree {
  left: number[];
  right: number[];
  feature: number[];
  threshold: number[];
  samples: number[];
  weightedSamples: number[];
  impurity: number[];
  value: number[];
}

function expectSameTree(tree: DecisionTree, sk: SkTree): void {
  const nodes = tree.nodes;
  expect(nodes.feature.length).toBe(sk.feature.length);
  expect(nodes.feature).toEqual(sk.feature.map((f) => (f < 0 ? -1 : f)));
  expect(nodes.left).toEqual(sk.left);
  expect(nodes.right).toEqual(sk.right);
  expect(nodes.samples).toEqual(sk.samples);
  for (let t = 0; t < sk.feature.length; t++) {
    expect(nodes.threshold[t]).toBeCloseTo(sk.threshold[t], 12);
    expect(nodes.weightedSamples[t]).toBeCloseTo(sk.weightedSamples[t], 10);
    expect(nodes.impurity[t]).toBeCloseTo(sk.impurity[t], 10);
  }
  expect(nodes.value.length).toBe(sk.value.length);
  nodes.value.forEach((v, i) => expect(v).toBeCloseTo(sk.value[i], 10));
}

describe('classification tree equals sklearn', () => {
  it('gini, min 4 rows per leaf, weighted rows', () => {
    const tree = fitClassificationTree(x, y, { minSamplesLeaf: 4, sampleWeight });
    expectSameTree(tree, ref.gini);
    const imp = treeFeatureImportances(tree);
    (ref.giniImportances as number[]).forEach((v, j) => expect(imp[j]).toBeCloseTo(v, 12));
  });

  it('entropy, depth 4, min 5 rows per leaf', () => {
    const tree = fitClassificationTree(x, y, { criterion: 'entropy', maxDepth: 4, minSamplesLeaf: 5, sampleWeight });
    expectSameTree(tree, ref.entropy);
    expect(treeDepth(tree)).toBeLessThanOrEqual(4);
  });

  it("class_weight='balanced' on top of row weights", () => {
    const tree = fitClassificationTree(x, y, { maxDepth: 3, minSamplesLeaf: 4, classWeight: 'balanced', sampleWeight });
    expectSameTree(tree, ref.balanced);
  });

  it('cost-complexity pruning path and the pruned tree', () => {
    const full = fitClassificationTree(x, y, { minSamplesLeaf: 4, sampleWeight });
    const path = pruningPath(full);
    expect(path.alphas.length).toBe(ref.path.alphas.length);
    path.alphas.forEach((a, i) => expect(a).toBeCloseTo(ref.path.alphas[i], 12));
    path.impurities.forEach((a, i) => expect(a).toBeCloseTo(ref.path.impurities[i], 12));
    const pruned = fitClassificationTree(x, y, { minSamplesLeaf: 4, sampleWeight, ccpAlpha: ref.prunedAlpha });
    expectSameTree(pruned, ref.pruned);
    expectSameTree(pruneTree(full, ref.prunedAlpha), ref.pruned);
    expect(leafCount(pruneTree(full, 1))).toBe(1);
  });
});

describe('regression tree equals sklearn', () => {
  it('squared error, depth 4, min 10 rows to split, and its pruning path', () => {
    const tree = fitRegressionTree(x, yReg, { maxDepth: 4, minSamplesSplit: 10 });
    expectSameTree(tree, ref.regression);
    const path = pruningPath(tree);
    path.alphas.forEach((a, i) => expect(a).toBeCloseTo(ref.regressionPath.alphas[i], 10));
    path.impurities.forEach((a, i) => expect(a).toBeCloseTo(ref.regressionPath.impurities[i], 10));
  });
});

describe('tree behaviour', () => {
  it('an unpruned tree fits distinct training rows exactly, and probabilities sum to 1', () => {
    const tree = fitClassificationTree(x, y);
    expect(Array.from(predictTree(tree, x))).toEqual(Array.from(y));
    const proba = predictTreeProba(tree, x);
    for (let i = 0; i < proba.n; i++) expect(proba.data[i * 3] + proba.data[i * 3 + 1] + proba.data[i * 3 + 2]).toBeCloseTo(1, 12);
  });

  it('survives JSON and predicts the same afterwards', () => {
    const tree = fitClassificationTree(x, y, { maxDepth: 5 });
    const copy = JSON.parse(JSON.stringify(tree)) as DecisionTree;
    expect(Array.from(predictTree(copy, x))).toEqual(Array.from(predictTree(tree, x)));
  });

  it('splits one-hot and constant columns sensibly', () => {
    const rows = [[0, 1, 5], [0, 1, 5], [1, 0, 5], [1, 0, 5], [1, 0, 5]];
    const tree = fitClassificationTree(matrixFromRows(rows), Int32Array.from([0, 0, 1, 1, 1]));
    expect(tree.nodes.feature[0]).toBe(0);
    expect(tree.nodes.threshold[0]).toBe(0.5);
    expect(leafCount(tree)).toBe(2);
  });

  it('stops with an aborted error when cancelled', () => {
    const rng = createRng(3);
    const n = 20_000;
    const big = { data: Float64Array.from({ length: n * 5 }, () => rng.normal()), n, d: 5 };
    const labels = Int32Array.from({ length: n }, () => rng.int(2));
    const controller = new AbortController();
    let calls = 0;
    expect(() =>
      fitClassificationTree(big, labels, {
        signal: controller.signal,
        onProgress: () => {
          if (++calls === 2) controller.abort();
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'aborted' }));
  });

  it('rejects missing values and bad settings with a readable error', () => {
    const bad = matrixFromRows([[1, NaN], [2, 3]]);
    expect(() => fitClassificationTree(bad, Int32Array.from([0, 1]))).toThrow(/row 1, feature 2 is NaN/);
    expect(() => fitClassificationTree(x, y, { minSamplesLeaf: 0 })).toThrow(/at least 1/);
  });
});
