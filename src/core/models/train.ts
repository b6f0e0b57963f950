import { AppError, errorMessage, isAbort, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { createRng } from '../random';
import { binaryCurves, calibrationBins, classificationScores, regressionScores, type BinaryCurves, type CalibrationBin, type ModelScores } from './evaluate';
import { partialDependence, permutationImportance, type PartialDependence, type PermutationImportance } from './explain';
import { takeValues } from './matrix';
import { mergeForests, type RandomForest } from './forest';
import { classColumn, fitModel, modelLabel, predictModel, type ModelSpec, type ModelTarget, type TrainedModel } from './pipeline';
import type { FeatureColumn } from './preprocess';
import { trainTestSplit, type Fold } from './split';

/** Options of {@link trainModels}. */
export interface TrainOptions {
  /** Seed of the split, the forests and the permutation shuffles (default 0). */
  seed?: number;
  /** Share of rows held out for testing (default 0.25). */
  testFraction?: number;
  /** Input columns whose partial dependence is drawn (default the top 3 by permutation importance). */
  dependenceFeatures?: number;
  /**
   * Models already fitted on this split's training part (a forest grown across workers), by
   * position in `specs`, with their fit time in seconds: scored and explained, not fitted again.
   */
  fitted?: ({ model: TrainedModel; seconds: number } | null)[];
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** One model of a training run, trained on the shared training part and scored on the shared test part. */
export interface ModelRun {
  label: string;
  spec: ModelSpec;
  /** Absent when the model failed (see `error`). */
  model?: TrainedModel;
  scores?: ModelScores;
  /** Test-part probabilities (`nTest × K`, classification) and predictions (codes or targets). */
  testProba?: Float64Array;
  testPredicted?: Float64Array;
  /** ROC and precision–recall curves and calibration bins of the test part (binary). */
  curves?: BinaryCurves & { calibration: CalibrationBin[] };
  importance?: PermutationImportance[];
  dependence?: PartialDependence[];
  /** Fit time, in seconds. */
  seconds?: number;
  /** Threads that fitted the model, when helper threads shared the fit (train-shared.ts). */
  threads?: number;
  error?: string;
}

/** A training run: the split every model shared and the models. */
export interface TrainResult {
  train: Int32Array;
  test: Int32Array;
  /** True class codes or targets of the test rows, in `test` order. */
  testTruth: Float64Array;
  runs: ModelRun[];
}

/** The seeded train/test split {@link trainModels} makes (stratified by class for classification). */
export function trainingSplit(target: ModelTarget, options: { seed?: number; testFraction?: number } = {}): Fold {
  const n = target.task === 'classification' ? target.codes.length : target.values.length;
  return trainTestSplit(n, { testFraction: options.testFraction ?? 0.25, seed: options.seed ?? 0, stratify: target.task === 'classification' ? target.codes : undefined });
}

/**
 * The training rows partial dependence is averaged over: a seeded sample of 500 (200 for an RBF
 * SVM, which scores a row against every support vector: fixed counts, so the figures stay seeded
 * and the same on every machine).
 */
export function explanationRows(train: Int32Array, seed: number): { pdRows: Int32Array; pdRowsKernel: Int32Array } {
  const rng = createRng(seed);
  const sample = (size: number) => (train.length > size ? Int32Array.from(rng.shuffle(Array.from(train)).slice(0, size)).sort() : train);
  const pdRows = sample(500);
  return { pdRows, pdRowsKernel: sample(200) };
}

/**
 * Trains each model on the same seeded train/test split (stratified for classification), scores it
 * on the test part, and explains it: permutation importance on the test part (seeded; at most
 * 2,000 rows, 500 for an RBF SVM) and partial dependence of its top features over a seeded sample
 * of the training part (500 rows, 200 for an RBF SVM). A model that fails is
 * reported with its error; the others go on. Cancelling (signal) stops everything.
 */
export function trainModels(columns: FeatureColumn[], target: ModelTarget, targetName: string, specs: ModelSpec[], options: TrainOptions = {}): TrainResult {
  const { seed = 0, testFraction = 0.25, dependenceFeatures = 3, signal, onProgress } = options;
  const split = trainingSplit(target, { seed, testFraction });
  const truth = target.task === 'classification' ? Float64Array.from(takeValues(target.codes, split.test)) : takeValues(target.values, split.test);
  const { pdRows, pdRowsKernel } = explanationRows(split.train, seed);
  const runs: ModelRun[] = specs.map((spec, s) => {
    const label = modelLabel(spec);
    const stage = (what: string, f: number) => onProgress?.({ stage: `${label}: ${what}`, fraction: (s + f) / specs.length, detail: { model: `${s + 1} of ${specs.length}` } });
    throwIfAborted(signal);
    try {
      stage('fitting', 0);
      const started = performance.now();
      const given = options.fitted?.[s];
      if (given && given.model.trainingRows !== split.train.length) {
        throw new AppError('invalid-argument', `${label} was fitted on ${given.model.trainingRows} rows, not this split's ${split.train.length} training rows; train it again.`);
      }
      const model = given?.model ?? fitModel(columns, target, targetName, spec, split.train, {
        seed, signal, onProgress: (p) => stage(`fitting, ${p.stage}`, 0.6 * (p.fraction ?? 0)),
      });
      const seconds = given?.seconds ?? (performance.now() - started) / 1000;
      stage('scoring the test part', 0.6);
      const p = predictModel(model, columns, split.test);
      const scores = target.task === 'classification' ? classificationScores(Int32Array.from(truth), p.proba!, target.classes.length) : regressionScores(truth, p.values);
      const codes = Int32Array.from(truth);
      const ranked = target.task === 'classification' && target.classes.length === 2 ? binaryCurves(codes, p.proba!) : null;
      const curves = ranked ? { ...ranked, calibration: calibrationBins(codes, classColumn(p.proba!, 2, 1)) } : undefined;
      stage('permutation importance', 0.7);
      const kernel = spec.kind === 'rbf-svm';
      const importance = permutationImportance(model, columns, split.test, truth, { repeats: 3, seed, signal, maxRows: kernel ? 500 : 2000 });
      stage('partial dependence', 0.9);
      const dependence = importance.slice(0, dependenceFeatures).map((imp) => partialDependence(model, columns, imp.feature, kernel ? pdRowsKernel : pdRows, kernel ? 12 : 20));
      stage('done', 1);
      return { label, spec, model, scores, testProba: p.proba ?? undefined, testPredicted: p.values, curves, importance, dependence, seconds };
    } catch (err) {
      if (isAbort(err)) throw err;
      return { label, spec, error: errorMessage(err) };
    }
  });
  return { train: split.train, test: split.test, testTruth: truth, runs };
}

/**
 * One forest pipeline from shares grown by separate workers (the same columns, rows, settings and
 * seed; each share's `firstTree` following on from the last): the first share's preprocessing —
 * every share fitted the same one — and all their trees, under the whole forest's spec.
 */
export function mergeForestShares(spec: ModelSpec, shares: TrainedModel[]): TrainedModel {
  const forests = shares.flatMap((m): RandomForest[] => (m.model.kind === 'forest' ? [m.model.forest] : []));
  if (shares.length === 0 || forests.length !== shares.length) throw new AppError('invalid-argument', 'only random forest shares can be merged.');
  return { ...shares[0], spec, label: modelLabel(spec), model: { kind: 'forest', forest: mergeForests(forests) } };
}
