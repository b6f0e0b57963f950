import { binaryCurves, calibrationBins, classificationScores, regressionScores, type BinaryCurves, type CalibrationBin, type ModelScores } from '../core/models/evaluate';
import { dependencePlan, permutationPlan, runProbesAsync, type ModelShape, type PartialDependence, type PermutationImportance, type RowPredictions } from '../core/models/explain';
import { classColumn, type ModelTarget } from '../core/models/pipeline';
import { explanationRows } from '../core/models/train';
import { fitPreprocessor, transformFeatures, type FeatureColumn } from '../core/models/preprocess';
import { takeValues } from '../core/models/matrix';
import { predictRows } from './data';
import { classProbabilities } from './outputs';
import type { MlpSpec } from './models';
import { trainModel, type EpochReport, type TrainOptions } from './train';

/**
 * The MLP on the Predict room's data: the same training/test split as the other models, the same
 * preprocessing as the linear models of src/core/models/pipeline.ts (mean imputation, one-hot of
 * the 50 most frequent categories, standardized numbers — fitted on the training rows only), and
 * the same test-part figures (src/core/models/evaluate.ts), so it takes its place in the
 * leaderboard beside the tree. A regression target is standardized for training (training mean
 * and standard deviation) and predictions are mapped back to its units.
 */

/** What the Predict room passes for the MLP. */
export interface TabularRequest {
  /** Rows of the shared split (from the models worker's run). */
  train: Int32Array;
  test: Int32Array;
  /** Hidden layer widths (default [64, 32]). */
  hidden?: number[];
  options: Omit<TrainOptions, 'validationData' | 'fallbackBackends'> & { fallbackBackends?: string[] };
}

/** The MLP's leaderboard row: the fields of core/models/train.ts `ModelRun` it fills, plus its training history. */
export interface TabularRun {
  label: string;
  scores: ModelScores;
  /** Test-part probabilities `nTest × K` (classification). */
  testProba?: Float64Array;
  /** Predicted class codes or targets of the test part. */
  testPredicted: Float64Array;
  curves?: BinaryCurves & { calibration: CalibrationBin[] };
  seconds: number;
  /** Permutation importance on the test part and partial dependence of the top inputs, as for the pipeline models. */
  importance: PermutationImportance[];
  dependence: PartialDependence[];
  history: EpochReport[];
  bestEpoch: number;
  backend: string;
}

/**
 * Trains and scores the MLP on the split and explains it as trainModels explains the pipeline
 * models: permutation importance on the test part (3 seeded shuffles, at most 2,000 rows) and
 * partial dependence of its top 3 inputs over the same 500 training rows. Disposes the model (the
 * Predict leaderboard keeps figures, not the net).
 */
export async function trainTabularMlp(columns: FeatureColumn[], target: ModelTarget, targetName: string, request: TabularRequest): Promise<TabularRun> {
  const { train, test, hidden = [64, 32], options } = request;
  const started = performance.now();
  const pre = fitPreprocessor(columns, { standardize: 'numeric', maxCategories: 50 }, train);
  const xTrain = Float32Array.from(transformFeatures(pre, columns, train).data);
  const xTest = Float32Array.from(transformFeatures(pre, columns, test).data);
  const d = pre.featureNames.length;
  const classification = target.task === 'classification';
  const K = classification ? target.classes.length : 0;
  const spec: MlpSpec = { kind: 'mlp', task: !classification ? 'regression' : K === 2 ? 'binary' : 'multiclass', inputs: d, hidden, ...(K > 2 ? { classes: K } : {}) };
  let y: Float32Array;
  let unscale = (v: number) => v;
  if (target.task === 'classification') y = Float32Array.from(takeValues(target.codes, train));
  else {
    const raw = takeValues(target.values, train);
    const mean = raw.reduce((a, b) => a + b, 0) / (raw.length || 1);
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / (raw.length || 1)) || 1;
    y = Float32Array.from(raw, (v) => (v - mean) / sd);
    unscale = (v) => v * sd + mean;
  }
  const r = await trainModel(spec, { x: xTrain, y, n: train.length }, options);
  /** The net's predictions for `rows` of `cols`, preprocessed as in training. */
  const predict = async (x: Float32Array, n: number): Promise<RowPredictions> => {
    const out = await predictRows(spec, r.model, x, n);
    if (!classification) return { proba: null, values: Float64Array.from(out, unscale) };
    const proba = classProbabilities(out, n, K);
    return { proba, values: argmaxRows(proba, n, K) };
  };
  try {
    const p = await predict(xTest, test.length);
    const seconds = (performance.now() - started) / 1000;
    const label = `Neural net (MLP ${hidden.join('-')})`;
    const shape: ModelShape = { task: target.task, target: targetName, classes: classification ? target.classes : [], inputs: columns.map((c) => ({ name: c.name })) };
    const truth = target.task === 'classification' ? Float64Array.from(takeValues(target.codes, test)) : takeValues(target.values, test);
    const probe = (cols: FeatureColumn[], rows: Int32Array) => predict(Float32Array.from(transformFeatures(pre, cols, rows).data), rows.length);
    const importance = await runProbesAsync(permutationPlan(shape, columns, test, truth, { repeats: 3, seed: options.seed ?? 0, maxRows: 2000 }), probe);
    const { pdRows } = explanationRows(train, options.seed ?? 0);
    const dependence: PartialDependence[] = [];
    for (const imp of importance.slice(0, 3)) dependence.push(await runProbesAsync(dependencePlan(shape, columns, imp.feature, pdRows, 20), probe));
    const base = { label, seconds, history: r.history, bestEpoch: r.bestEpoch, backend: r.backend, importance, dependence };
    if (target.task === 'regression') return { ...base, scores: regressionScores(truth, p.values), testPredicted: p.values };
    const codes = Int32Array.from(truth);
    const ranked = K === 2 ? binaryCurves(codes, p.proba!) : null;
    return {
      ...base, scores: classificationScores(codes, p.proba!, K), testProba: p.proba!, testPredicted: p.values,
      curves: ranked ? { ...ranked, calibration: calibrationBins(codes, classColumn(p.proba!, 2, 1)) } : undefined,
    };
  } finally {
    r.model.dispose();
  }
}

/** The most probable class of each row of an `n × K` matrix (the first of equal ones). */
function argmaxRows(proba: Float64Array, n: number, K: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
    out[i] = best;
  }
  return out;
}
