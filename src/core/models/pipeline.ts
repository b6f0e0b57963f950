import { AppError } from '../errors';
import type { ProgressCallback } from '../progress';
import { fitClassificationTree, fitRegressionTree, predictTree, predictTreeProba, type DecisionTree } from './cart';
import { fitForestClassifier, fitForestRegressor, predictForest, predictForestProba, type RandomForest } from './forest';
import { fitLinearRegression, fitRidge, predictLinear, type LinearModel } from './linear';
import { fitLogisticRegression, predictLogisticProba, type LogisticModel, type LogisticOptions } from './logistic';
import { takeValues, type FeatureMatrix } from './matrix';
import { fitPreprocessor, transformFeatures, type FeatureColumn, type PreprocessState } from './preprocess';
import { fitLinearSvm, predictLinearSvmProba, type LinearSvmModel } from './svm';
import { fitKernelSvm, predictKernelSvmProba, type KernelSvmModel } from './svm-kernel';

/** What is predicted: a class (classification) or a number (regression). */
export type Task = 'classification' | 'regression';

/** The model families the Predict room offers. */
export type ModelKind = 'cart' | 'forest' | 'logistic' | 'linear-svm' | 'rbf-svm' | 'ols' | 'ridge';

/** Settings of a model (each family reads its own; defaults as scikit-learn's). */
export interface ModelParams {
  /** Trees: deepest level (default unlimited). */
  maxDepth?: number;
  /** Trees: fewest rows per leaf (default 1). */
  minSamplesLeaf?: number;
  /** Decision tree: cost-complexity pruning α (default 0). */
  ccpAlpha?: number;
  /** Forest: number of trees (default 100). */
  nTrees?: number;
  /** Logistic regression and SVMs: inverse regularization C (default 1). */
  C?: number;
  /** Logistic regression: 'l2' (default) or 'l1'. */
  penalty?: 'l1' | 'l2';
  /** RBF SVM: kernel width γ (default sklearn's 'scale', 1 / (d · Var X)). */
  gamma?: number;
  /** Ridge: penalty α (default 1). */
  alpha?: number;
  /** Classification: weight classes inversely to their frequency (sklearn's 'balanced'). */
  balanced?: boolean;
}

/** A model to train: its family and settings. */
export interface ModelSpec {
  kind: ModelKind;
  params?: ModelParams;
}

/** The families, their names in the analyst's words, and the tasks they serve. */
export const MODEL_KINDS: { kind: ModelKind; label: string; tasks: Task[] }[] = [
  { kind: 'logistic', label: 'Logistic regression', tasks: ['classification'] },
  { kind: 'cart', label: 'Decision tree', tasks: ['classification', 'regression'] },
  { kind: 'forest', label: 'Random forest', tasks: ['classification', 'regression'] },
  { kind: 'linear-svm', label: 'Linear SVM', tasks: ['classification'] },
  { kind: 'rbf-svm', label: 'RBF SVM', tasks: ['classification'] },
  { kind: 'ols', label: 'Linear regression (OLS)', tasks: ['regression'] },
  { kind: 'ridge', label: 'Ridge regression', tasks: ['regression'] },
];

/** Most training rows an RBF SVM takes (its kernel work grows with n²). */
export const RBF_SVM_MAX_ROWS = 20_000;

/** A short name of a model and its settings, e.g. "Decision tree (depth 6)". */
export function modelLabel(spec: ModelSpec): string {
  const base = MODEL_KINDS.find((k) => k.kind === spec.kind)?.label ?? spec.kind;
  const p = spec.params ?? {};
  const parts: string[] = [];
  if (p.maxDepth !== undefined && (spec.kind === 'cart' || spec.kind === 'forest')) parts.push(`depth ${p.maxDepth}`);
  if (p.nTrees !== undefined && spec.kind === 'forest') parts.push(`${p.nTrees} trees`);
  if (p.ccpAlpha && spec.kind === 'cart') parts.push(`α ${p.ccpAlpha}`);
  if (p.C !== undefined && ['logistic', 'linear-svm', 'rbf-svm'].includes(spec.kind)) parts.push(`C ${p.C}`);
  if (p.gamma !== undefined && spec.kind === 'rbf-svm') parts.push(`γ ${p.gamma}`);
  if (p.penalty === 'l1' && spec.kind === 'logistic') parts.push('L1');
  if (p.alpha !== undefined && spec.kind === 'ridge') parts.push(`α ${p.alpha}`);
  if (p.balanced) parts.push('balanced');
  return parts.length ? `${base} (${parts.join(', ')})` : base;
}

/** The fitted model inside a pipeline (plain JSON). */
export type FittedModel =
  | { kind: 'cart'; tree: DecisionTree }
  | { kind: 'forest'; forest: RandomForest }
  | { kind: 'logistic'; model: LogisticModel }
  | { kind: 'linear-svm'; model: LinearSvmModel }
  | { kind: 'rbf-svm'; model: KernelSvmModel }
  | { kind: 'ols' | 'ridge'; model: LinearModel };

/**
 * A trained pipeline: the preprocessing fitted on the training rows and the model after it. Plain
 * JSON (saved and loaded as a file by serialize.ts); it scores any rows with the same input columns.
 */
export interface TrainedModel {
  format: 'clientele-model';
  version: 1;
  label: string;
  spec: ModelSpec;
  task: Task;
  /** Target column name. */
  target: string;
  /** Class names, in code order (classification; empty for regression). */
  classes: string[];
  /** Input columns the pipeline needs, with their kind. */
  inputs: { name: string; kind: FeatureColumn['kind'] }[];
  preprocess: PreprocessState;
  model: FittedModel;
  trainingRows: number;
  seed: number;
}

/** The target of a training set. */
export type ModelTarget =
  | { task: 'classification'; codes: Int32Array; classes: string[] }
  | { task: 'regression'; values: Float64Array };

/** Options of {@link fitModel}. */
export interface FitOptions {
  seed?: number;
  /** Forest: index of its first tree, when this fit grows one share of a forest (forest.ts `firstTree`). */
  firstTree?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * Checks that `spec` fits `target`, then fits the preprocessing (imputation, one-hot,
 * standardization — trees skip standardization so their thresholds read in the column's own
 * units) on the training rows only and transforms them (into a SharedArrayBuffer when `shared`).
 */
export function fitInputs(columns: FeatureColumn[], target: ModelTarget, spec: ModelSpec, trainRows: Int32Array, shared = false): { preprocess: PreprocessState; x: FeatureMatrix } {
  const family = MODEL_KINDS.find((k) => k.kind === spec.kind);
  if (!family) throw new AppError('invalid-argument', `unknown model "${spec.kind}".`);
  if (!family.tasks.includes(target.task)) throw new AppError('invalid-argument', `${family.label} is for ${family.tasks.join(' or ')}, not ${target.task}; choose another model.`);
  if (spec.kind === 'rbf-svm' && trainRows.length > RBF_SVM_MAX_ROWS) {
    throw new AppError('too-large', `the RBF SVM takes at most ${RBF_SVM_MAX_ROWS.toLocaleString('en-US')} training rows; this split has ${trainRows.length.toLocaleString('en-US')}. Use a random forest or a linear model.`);
  }
  const tree = spec.kind === 'cart' || spec.kind === 'forest';
  const preprocess = fitPreprocessor(columns, { standardize: tree ? 'none' : 'numeric', maxCategories: 50 }, trainRows);
  return { preprocess, x: transformFeatures(preprocess, columns, trainRows, shared) };
}

/** The logistic regression settings of a spec, for a target of `nClasses` classes. */
export function logisticOptions(spec: ModelSpec, nClasses: number): LogisticOptions {
  const p = spec.params ?? {};
  return { C: p.C, penalty: p.penalty, nClasses, classWeight: p.balanced ? 'balanced' : undefined };
}

/** The pipeline of a fitted model: what it was trained on and how its inputs are prepared. */
export function pipelineOf(columns: FeatureColumn[], target: ModelTarget, targetName: string, spec: ModelSpec, preprocess: PreprocessState, model: FittedModel, trainingRows: number, seed: number): TrainedModel {
  return {
    format: 'clientele-model', version: 1, label: modelLabel(spec), spec, task: target.task, target: targetName,
    classes: target.task === 'classification' ? target.classes : [],
    inputs: columns.map((c) => ({ name: c.name, kind: c.kind })), preprocess, model, trainingRows, seed,
  };
}

/**
 * Fits the preprocessing on the training rows only (see {@link fitInputs}), then the model on
 * those rows. Nothing about the other rows reaches the model.
 */
export function fitModel(columns: FeatureColumn[], target: ModelTarget, targetName: string, spec: ModelSpec, trainRows: Int32Array, options: FitOptions = {}): TrainedModel {
  const { seed = 0, firstTree, signal, onProgress } = options;
  const p = spec.params ?? {};
  const { preprocess, x } = fitInputs(columns, target, spec, trainRows);
  const classWeight = p.balanced ? ('balanced' as const) : undefined;
  let model: FittedModel;
  if (target.task === 'classification') {
    const codes = takeValues(target.codes, trainRows);
    const nClasses = target.classes.length;
    if (spec.kind === 'cart') model = { kind: 'cart', tree: fitClassificationTree(x, codes, { maxDepth: p.maxDepth, minSamplesLeaf: p.minSamplesLeaf, ccpAlpha: p.ccpAlpha, nClasses, classWeight, signal, onProgress }) };
    else if (spec.kind === 'forest') model = { kind: 'forest', forest: fitForestClassifier(x, codes, { nTrees: p.nTrees, maxDepth: p.maxDepth, minSamplesLeaf: p.minSamplesLeaf, nClasses, classWeight, seed, firstTree, signal, onProgress }) };
    else if (spec.kind === 'logistic') model = { kind: 'logistic', model: fitLogisticRegression(x, codes, { ...logisticOptions(spec, nClasses), signal }) };
    else if (spec.kind === 'linear-svm') model = { kind: 'linear-svm', model: fitLinearSvm(x, codes, { C: p.C, nClasses, classWeight, probability: true, seed, signal }) };
    else model = { kind: 'rbf-svm', model: fitKernelSvm(x, codes, { C: p.C, gamma: p.gamma, nClasses, classWeight, probability: true, seed, signal }) };
  } else {
    const y = takeValues(target.values, trainRows);
    if (spec.kind === 'cart') model = { kind: 'cart', tree: fitRegressionTree(x, y, { maxDepth: p.maxDepth, minSamplesLeaf: p.minSamplesLeaf, ccpAlpha: p.ccpAlpha, signal, onProgress }) };
    else if (spec.kind === 'forest') model = { kind: 'forest', forest: fitForestRegressor(x, y, { nTrees: p.nTrees, maxDepth: p.maxDepth, minSamplesLeaf: p.minSamplesLeaf, seed, firstTree, signal, onProgress }) };
    else if (spec.kind === 'ridge') model = { kind: 'ridge', model: fitRidge(x, y, { alpha: p.alpha, signal }) };
    else model = { kind: 'ols', model: fitLinearRegression(x, y, { signal }) };
  }
  return pipelineOf(columns, target, targetName, spec, preprocess, model, trainRows.length, seed);
}

/** A pipeline's output for some rows. */
export interface Predictions {
  /** Class probabilities, `n × K` row-major (classification), else null. */
  proba: Float64Array | null;
  /** Predicted class codes (classification) or predicted targets (regression). */
  values: Float64Array;
}

/** The model's input matrix for some rows (the pipeline's fitted preprocessing applied). */
export function modelInput(m: TrainedModel, columns: FeatureColumn[], rows?: ArrayLike<number>): FeatureMatrix {
  return transformFeatures(m.preprocess, columns, rows);
}

/** Class probabilities of a transformed matrix (classification pipelines). */
function probabilities(model: FittedModel, x: FeatureMatrix): FeatureMatrix {
  switch (model.kind) {
    case 'cart': return predictTreeProba(model.tree, x);
    case 'forest': return predictForestProba(model.forest, x);
    case 'logistic': return predictLogisticProba(model.model, x);
    case 'linear-svm': return predictLinearSvmProba(model.model, x);
    case 'rbf-svm': return predictKernelSvmProba(model.model, x);
    default: throw new AppError('invalid-argument', 'a regression model gives no class probabilities.');
  }
}

/** Predictions of an already transformed matrix. */
export function predictMatrix(m: TrainedModel, x: FeatureMatrix): Predictions {
  if (m.task === 'classification') {
    const p = probabilities(m.model, x);
    const K = p.d;
    const values = new Float64Array(x.n);
    for (let i = 0; i < x.n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (p.data[i * K + k] > p.data[i * K + best]) best = k;
      values[i] = best;
    }
    return { proba: p.data, values };
  }
  const model = m.model;
  const values =
    model.kind === 'cart' ? predictTree(model.tree, x)
      : model.kind === 'forest' ? predictForest(model.forest, x)
        : model.kind === 'ols' || model.kind === 'ridge' ? predictLinear(model.model, x)
          : (() => { throw new AppError('invalid-argument', `${model.kind} is not a regression model.`); })();
  return { proba: null, values };
}

/**
 * Scores rows (default all) with a trained pipeline: its preprocessing, then its model. The
 * columns must include every input the pipeline was trained with (by name and kind).
 */
export function predictModel(m: TrainedModel, columns: FeatureColumn[], rows?: ArrayLike<number>): Predictions {
  return predictMatrix(m, modelInput(m, columns, rows));
}

/** Probability of class `k` per row from an `n × K` matrix. */
export function classColumn(proba: Float64Array, K: number, k: number): Float64Array {
  const n = proba.length / K;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = proba[i * K + k];
  return out;
}
