// Explanations and model files, checked against figures known in closed form (a linear target
// whose permutation importance and partial dependence follow from its coefficients) and against
// the models' own predictions (a round trip through JSON must score identically).
import { describe, expect, it } from 'vitest';
import { applyTree } from '../../../src/core/models/cart';
import { explainRow, partialDependence, permutationImportance } from '../../../src/core/models/explain';
import { fitModel, predictModel, type TrainedModel } from '../../../src/core/models/pipeline';
import type { FeatureColumn } from '../../../src/core/models/preprocess';
import { checkModelColumns, parseModel, serializeModel } from '../../../src/core/models/serialize';
import { trainModels } from '../../../src/core/models/train';
import { createRng } from '../../../src/core/random';
import { csvColumns } from './fixtures';

const rng = createRng(11);
const n = 4000;
const x1 = Float64Array.from({ length: n }, () => rng.normal());
const x2 = Float64Array.from({ length: n }, () => rng.normal());
const noise = Float64Array.from({ length: n }, () => rng.normal());
const colour = Array.from({ length: n }, () => (['red', 'green', 'blue'] as const)[rng.int(3)]);
// y = 3·x1 + 1·x2 + 2·[blue] + ε: Var(y) ≈ 9 + 1 + 8/9 + 1.
const y = Float64Array.from({ length: n }, (_, i) => 3 * x1[i] + x2[i] + (colour[i] === 'blue' ? 2 : 0) + noise[i]);
const columns: FeatureColumn[] = [
  { name: 'x1', kind: 'numeric', values: x1 },
  { name: 'x2', kind: 'numeric', values: x2 },
  { name: 'colour', kind: 'categorical', values: colour },
];
const all = Int32Array.from({ length: n }, (_, i) => i);
const train = all.subarray(0, 3000);
const test = all.subarray(3000);

describe('permutation importance and partial dependence of a linear target', () => {
  const ols = fitModel(columns, { task: 'regression', values: y }, 'y', { kind: 'ols' }, train);

  it('ranks x1 first; each drop in R² is 2·Var(βx)/Var(y), as shuffling an independent feature doubles its variance in the error', () => {
    const imp = permutationImportance(ols, columns, test, y.subarray(3000), { repeats: 5, seed: 0 });
    expect(imp.map((i) => i.feature)).toEqual(['x1', 'x2', 'colour']);
    const varY = 9 + 1 + 8 / 9 + 1;
    expect(imp[0].mean).toBeCloseTo((2 * 9) / varY, 1);
    expect(imp[1].mean).toBeCloseTo((2 * 1) / varY, 1);
    expect(imp[2].mean).toBeCloseTo((2 * 8) / 9 / varY, 1);
  });

  it('is the same for the same seed', () => {
    const a = permutationImportance(ols, columns, test, y.subarray(3000), { seed: 4 });
    const b = permutationImportance(ols, columns, test, y.subarray(3000), { seed: 4 });
    expect(a).toEqual(b);
  });

  it('partial dependence of a linear model is a line with the coefficient as slope', () => {
    const pd = partialDependence(ols, columns, 'x1', train, 10);
    const xs = pd.grid as number[];
    const slope = (pd.mean[pd.mean.length - 1] - pd.mean[0]) / (xs[xs.length - 1] - xs[0]);
    expect(slope).toBeCloseTo(3, 1);
    const cat = partialDependence(ols, columns, 'colour', train);
    const blue = cat.mean[cat.grid.indexOf('blue')];
    const red = cat.mean[cat.grid.indexOf('red')];
    expect(blue - red).toBeCloseTo(2, 1);
  });
});

describe('why a row was scored so', () => {
  const { columns: bc, target } = csvColumns('breast_cancer.csv', 'target');
  const codes = Int32Array.from(target, (t) => (t === 'malignant' ? 1 : 0));
  const rows = Int32Array.from({ length: codes.length }, (_, i) => i);
  const classes = ['benign', 'malignant'];

  it('follows the tree to the leaf the tree puts the row in', () => {
    const m = fitModel(bc, { task: 'classification', codes, classes }, 'target', { kind: 'cart', params: { maxDepth: 4 } }, rows);
    const why = explainRow(m, bc, 7);
    expect(why.kind).toBe('path');
    if (why.kind !== 'path' || m.model.kind !== 'cart') return;
    const leaf = applyTree(m.model.tree, { data: Float64Array.from(bc.map((c) => c.values[7] as number)), n: 1, d: bc.length })[0];
    expect(why.leaf.samples).toBe(m.model.tree.nodes.samples[leaf]);
    for (const s of why.steps) expect(s.wentLeft).toBe(s.rowValue <= s.threshold);
  });

  it('splits a logistic score into contributions that add up to the log-odds', () => {
    const m = fitModel(bc, { task: 'classification', codes, classes }, 'target', { kind: 'logistic' }, rows);
    const why = explainRow(m, bc, 3);
    expect(why.kind).toBe('contributions');
    if (why.kind !== 'contributions') return;
    const logOdds = why.base + why.items.reduce((a, c) => a + c.contribution, 0);
    const p = predictModel(m, bc, Int32Array.of(3)).proba![1];
    expect(1 / (1 + Math.exp(-logOdds))).toBeCloseTo(p, 10);
  });

  it('explains a forest by the change when one column is set to its training fill', () => {
    const m = fitModel(bc, { task: 'classification', codes, classes }, 'target', { kind: 'forest', params: { nTrees: 10 } }, rows);
    const why = explainRow(m, bc, 0);
    expect(why.kind === 'contributions' && why.items).toHaveLength(bc.length);
  });
});

describe('model files', () => {
  const result = trainModels(columns, { task: 'regression', values: y }, 'y', [{ kind: 'cart', params: { maxDepth: 3 } }, { kind: 'ridge' }], { seed: 1 });

  it('a saved model loads back and scores exactly the same', () => {
    for (const run of result.runs) {
      const back = parseModel(serializeModel(run.model!), 'model.json');
      expect(predictModel(back, columns).values).toEqual(predictModel(run.model!, columns).values);
    }
  });

  it('refuses files that are not models, and tables without the columns', () => {
    expect(() => parseModel('{"a":', 'x.json')).toThrow(/x\.json is not a model file \(not JSON\)/);
    expect(() => parseModel('{"format":"other"}', 'x.json')).toThrow(/not a Clientele model file/);
    const m = JSON.parse(serializeModel(result.runs[0].model!)) as TrainedModel;
    delete (m as Partial<TrainedModel>).preprocess;
    expect(() => parseModel(JSON.stringify(m), 'x.json')).toThrow(/damaged: its preprocess is missing/);
    expect(() => checkModelColumns(result.runs[0].model!, [{ name: 'x1', kind: 'numeric' }, { name: 'colour', kind: 'numeric' }], 'customers')).toThrow(/customers lacks column x2/);
    expect(() => checkModelColumns(result.runs[0].model!, [{ name: 'x1', kind: 'numeric' }, { name: 'x2', kind: 'numeric' }, { name: 'colour', kind: 'numeric' }], 'customers')).toThrow(/column colour of customers is numeric/);
  });
});
