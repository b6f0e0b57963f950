import { binaryCurves, calibrationBins, classificationScores, regressionScores, type BinaryCurves, type CalibrationBin, type ModelScores } from '../core/models/evaluate';
import { classColumn, type ModelTarget } from '../core/models/pipeline';
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
  history: EpochReport[];
  bestEpoch: number;
  backend: string;
}

/** Trains and scores the MLP on the split; disposes the model (the Predict leaderboard keeps figures, not the net). */
export async function trainTabularMlp(columns: FeatureColumn[], target: ModelTarget, request: TabularRequest): Promise<TabularRun> {
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
  try {
    const out = await predictRows(spec, r.model, xTest, test.length);
    const seconds = (performance.now() - started) / 1000;
    const label = `Neural net (MLP ${hidden.join('-')})`;
    const base = { label, seconds, history: r.history, bestEpoch: r.bestEpoch, backend: r.backend };
    if (target.task === 'regression') {
      const predicted = Float64Array.from(out, unscale);
      return { ...base, scores: regressionScores(takeValues(target.values, test), predicted), testPredicted: predicted };
    }
    const proba = classProbabilities(out, test.length, K);
    const codes = takeValues(target.codes, test);
    const predicted = new Float64Array(test.length);
    for (let i = 0; i < test.length; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      predicted[i] = best;
    }
    const ranked = K === 2 ? binaryCurves(codes, proba) : null;
    return {
      ...base, scores: classificationScores(codes, proba, K), testProba: proba, testPredicted: predicted,
      curves: ranked ? { ...ranked, calibration: calibrationBins(codes, classColumn(proba, 2, 1)) } : undefined,
    };
  } finally {
    r.model.dispose();
  }
}
