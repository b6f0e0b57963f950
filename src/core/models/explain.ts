import { throwIfAborted } from '../errors';
import { createRng } from '../random';
import { classesAt } from './evaluate';
import { accuracy, r2Score } from './metrics';
import { modelInput, predictMatrix, predictModel, type Task, type TrainedModel } from './pipeline';
import type { FeatureColumn } from './preprocess';

/** How much the test score drops when one input column is shuffled (mean and std over repeats). */
export interface PermutationImportance {
  feature: string;
  /** Baseline score minus the shuffled score (accuracy or R² points). */
  mean: number;
  std: number;
}

/** Options of {@link permutationImportance}. */
export interface PermutationOptions {
  /** Shuffles per column (default 5, as sklearn's `n_repeats`). */
  repeats?: number;
  seed?: number;
  /** Rows used (a seeded sample of the given rows beyond this; default 2000). */
  maxRows?: number;
  signal?: AbortSignal;
}

/** What the explanations need to know of a model: its task, target, classes and input columns (a TrainedModel has them). */
export interface ModelShape {
  task: Task;
  target: string;
  classes: string[];
  inputs: { name: string }[];
}

/** A model's predictions for some rows: `n × K` probabilities (classification) and classes or values. */
export interface RowPredictions {
  proba: Float64Array | null;
  values: Float64Array;
}

/**
 * The probes of an explanation: `count` sets of input columns to predict on `rows`, and how their
 * predictions make the result. Scored synchronously for the pipeline models ({@link runProbes}),
 * asynchronously for a model that predicts elsewhere, e.g. the neural net ({@link runProbesAsync}).
 */
export interface ProbePlan<T> {
  rows: Int32Array;
  count: number;
  probe(i: number): FeatureColumn[];
  finish(predictions: RowPredictions[]): T;
}

/** Scores every probe of `plan` with `predict` (checking `signal` between probes). */
export function runProbes<T>(plan: ProbePlan<T>, predict: (columns: FeatureColumn[], rows: Int32Array) => RowPredictions, signal?: AbortSignal): T {
  const out: RowPredictions[] = [];
  for (let i = 0; i < plan.count; i++) {
    throwIfAborted(signal);
    out.push(predict(plan.probe(i), plan.rows));
  }
  return plan.finish(out);
}

/** {@link runProbes} for a model whose predictions arrive asynchronously. */
export async function runProbesAsync<T>(plan: ProbePlan<T>, predict: (columns: FeatureColumn[], rows: Int32Array) => Promise<RowPredictions>, signal?: AbortSignal): Promise<T> {
  const out: RowPredictions[] = [];
  for (let i = 0; i < plan.count; i++) {
    throwIfAborted(signal);
    out.push(await predict(plan.probe(i), plan.rows));
  }
  return plan.finish(out);
}

/** The score of predictions: accuracy (classification, at P ≥ 0.5 for binary) or R² (regression). */
function scoreOf(m: ModelShape, p: RowPredictions, truth: ArrayLike<number>): number {
  return m.task === 'classification' ? accuracy(truth, classesAt(p.proba!, m.classes.length)) : r2Score(truth, p.values);
}

/** A copy of `column` whose values at `rows` are permuted among themselves by `order`. */
function permutedColumn(column: FeatureColumn, rows: Int32Array, order: ArrayLike<number>): FeatureColumn {
  const values = Array.from(column.values as ArrayLike<unknown>);
  for (let r = 0; r < rows.length; r++) values[rows[r]] = column.values[rows[order[r]]];
  return { ...column, values } as FeatureColumn;
}

/**
 * Permutation importance (Breiman 2001; sklearn's `permutation_importance`): for each input column
 * (one-hot groups stay together), the drop in the model's score on `rows` when that column's values
 * are shuffled among those rows, `repeats` times with a seeded shuffle. Sorted, largest first.
 * `truth` holds the true class codes or targets of `rows`, in the same order.
 */
export function permutationImportance(m: TrainedModel, columns: FeatureColumn[], rows: Int32Array, truth: ArrayLike<number>, options: PermutationOptions = {}): PermutationImportance[] {
  return runProbes(permutationPlan(m, columns, rows, truth, options), (cols, r) => predictModel(m, cols, r), options.signal);
}

/** The probes of {@link permutationImportance}: the unshuffled columns first, then each input's `repeats` shuffles. */
export function permutationPlan(m: ModelShape, columns: FeatureColumn[], rows: Int32Array, truth: ArrayLike<number>, options: PermutationOptions = {}): ProbePlan<PermutationImportance[]> {
  const { repeats = 5, seed = 0, maxRows = 2000 } = options;
  const rng = createRng(seed);
  let use = rows;
  let yUse: ArrayLike<number> = truth;
  if (rows.length > maxRows) {
    const pick = rng.shuffle(Array.from({ length: rows.length }, (_, i) => i)).slice(0, maxRows).sort((a, b) => a - b);
    use = Int32Array.from(pick, (i) => rows[i]);
    yUse = Float64Array.from(pick, (i) => truth[i]);
  }
  const at = m.inputs.map((input) => columns.findIndex((c) => c.name === input.name));
  // The shuffles, drawn in input-then-repeat order from one seeded stream.
  const orders = m.inputs.flatMap(() => Array.from({ length: repeats }, () => Int32Array.from(rng.shuffle(Array.from({ length: use.length }, (_, i) => i)))));
  return {
    rows: use,
    count: 1 + orders.length,
    probe(i) {
      if (i === 0) return columns;
      const j = at[Math.floor((i - 1) / repeats)];
      const shuffled = columns.slice();
      shuffled[j] = permutedColumn(columns[j], use, orders[i - 1]);
      return shuffled;
    },
    finish(predictions) {
      const base = scoreOf(m, predictions[0], yUse);
      return m.inputs.map((input, k) => {
        const drops = Array.from({ length: repeats }, (_, r) => base - scoreOf(m, predictions[1 + k * repeats + r], yUse));
        const mean = drops.reduce((a, b) => a + b, 0) / repeats;
        const std = Math.sqrt(drops.reduce((a, d) => a + (d - mean) ** 2, 0) / repeats);
        return { feature: input.name, mean, std };
      }).sort((a, b) => b.mean - a.mean);
    },
  };
}

/** Partial dependence of the prediction on one input column. */
export interface PartialDependence {
  feature: string;
  kind: FeatureColumn['kind'];
  /** Grid values (numbers, or category names). */
  grid: (number | string)[];
  /** Mean prediction with every row's column set to the grid value: P(class `of`) or the target. */
  mean: number[];
  /** What is averaged, in words (e.g. "P(churn = yes)"). */
  of: string;
}

/**
 * Partial dependence (Friedman 2001): for each grid value of `feature` (numeric: up to `points`
 * distinct quantiles of the rows; categorical: its most frequent values), the mean prediction over
 * `rows` with that column set to the value. Classification averages P(last class) — the positive
 * class of a binary target.
 */
export function partialDependence(m: TrainedModel, columns: FeatureColumn[], feature: string, rows: Int32Array, points = 20): PartialDependence {
  return runProbes(dependencePlan(m, columns, feature, rows, points), (cols, r) => predictModel(m, cols, r));
}

/** The probes of {@link partialDependence}: the columns with `feature` fixed at each grid value. */
export function dependencePlan(m: ModelShape, columns: FeatureColumn[], feature: string, rows: Int32Array, points = 20): ProbePlan<PartialDependence> {
  const j = columns.findIndex((c) => c.name === feature);
  const column = columns[j];
  let grid: (number | string)[];
  if (column.kind === 'numeric') {
    const values = Array.from(rows, (r) => column.values[r] as number).filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
    const g = new Set<number>();
    for (let q = 0; q < points && values.length > 0; q++) g.add(values[Math.round((q / Math.max(1, points - 1)) * (values.length - 1))]);
    grid = [...g];
  } else {
    const freq = new Map<string, number>();
    for (const r of rows) {
      const v = column.values[r];
      if (v !== null && v !== undefined && v !== '') freq.set(String(v), (freq.get(String(v)) ?? 0) + 1);
    }
    grid = [...freq.entries()].sort((a, b) => b[1] - a[1]).slice(0, points).map(([v]) => v);
  }
  const K = m.classes.length;
  return {
    rows,
    count: grid.length,
    probe(i) {
      const cols = columns.slice();
      cols[j] = { ...column, values: Array.from({ length: column.values.length }, () => grid[i]) } as FeatureColumn;
      return cols;
    },
    finish(predictions) {
      const mean = predictions.map((p) => {
        let s = 0;
        for (let i = 0; i < rows.length; i++) s += m.task === 'classification' ? p.proba![i * K + K - 1] : p.values[i];
        return s / rows.length;
      });
      return { feature, kind: column.kind, grid, mean, of: m.task === 'classification' ? `P(${m.target} = ${m.classes[K - 1]})` : `predicted ${m.target}` };
    },
  };
}

/** One step down a decision tree for one row. */
export interface PathStep {
  /** Feature tested (an input column, or `column=value` for a one-hot column). */
  feature: string;
  threshold: number;
  /** The row's value of that feature (after preprocessing). */
  rowValue: number;
  wentLeft: boolean;
  /** Training rows in the node, and its class shares (classification) or mean (regression). */
  samples: number;
  shares: number[];
}

/** Why the model scored one row as it did. */
export type RowExplanation =
  | { kind: 'path'; steps: PathStep[]; leaf: { samples: number; shares: number[] }; prediction: string }
  | { kind: 'contributions'; method: string; base: number; items: { feature: string; contribution: number }[]; prediction: string };

function described(m: TrainedModel, p: { proba: Float64Array | null; values: Float64Array }): string {
  if (m.task === 'regression') return `${m.target} ≈ ${+p.values[0].toPrecision(5)}`;
  const K = m.classes.length;
  const k = p.values[0];
  return `${m.target} = ${m.classes[k]} (P ${(p.proba![k] * 100).toFixed(1)} %${K === 2 && k === 0 ? `; P(${m.classes[1]}) ${(p.proba![1] * 100).toFixed(1)} %` : ''})`;
}

/**
 * "Why" for one row (`row` indexes the columns): a decision tree's path from the root with each
 * node's counts; for linear models, each input column's share of the linear score (coefficient ×
 * preprocessed value, summed over a column's one-hot parts; 0 is the training mean); for other
 * models, how much the prediction changes when that column alone is set to its training fill
 * (numeric mean, or an unseen category).
 */
export function explainRow(m: TrainedModel, columns: FeatureColumn[], row: number): RowExplanation {
  const rows = Int32Array.of(row);
  const x = modelInput(m, columns, rows);
  const p = predictMatrix(m, x);
  const prediction = described(m, p);
  const names = m.preprocess.featureNames;
  const model = m.model;
  if (model.kind === 'cart') {
    const { feature, threshold, left, right, samples, value, width } = model.tree.nodes;
    const steps: PathStep[] = [];
    const share = (t: number) => {
      const v = value.slice(t * width, t * width + width);
      if (m.task === 'regression') return v;
      const total = v.reduce((a, b) => a + b, 0);
      return v.map((c) => (total > 0 ? c / total : 0));
    };
    let t = 0;
    while (feature[t] >= 0) {
      const v = x.data[feature[t]];
      const wentLeft = v <= threshold[t];
      steps.push({ feature: names[feature[t]], threshold: threshold[t], rowValue: v, wentLeft, samples: samples[t], shares: share(t) });
      t = wentLeft ? left[t] : right[t];
    }
    return { kind: 'path', steps, leaf: { samples: samples[t], shares: share(t) }, prediction };
  }
  const owner = ownerOfFeatures(m);
  if (model.kind === 'logistic' || model.kind === 'linear-svm' || model.kind === 'ols' || model.kind === 'ridge') {
    const d = x.d;
    // Multinomial logistic / one-vs-rest SVM: the weight row of the predicted class.
    const r = 'intercepts' in model.model && model.model.intercepts.length > 1 ? p.values[0] : 0;
    const coef = model.model.coefficients.slice(r * d, r * d + d);
    const base = 'intercepts' in model.model ? model.model.intercepts[r] : model.model.intercept;
    const byInput = new Map<string, number>();
    for (let j = 0; j < d; j++) byInput.set(owner[j], (byInput.get(owner[j]) ?? 0) + coef[j] * x.data[j]);
    const items = [...byInput.entries()].map(([feature, contribution]) => ({ feature, contribution })).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    const method = model.kind === 'ols' || model.kind === 'ridge' ? `coefficient × value, in ${m.target} units` : 'coefficient × value, in log-odds (score) units';
    return { kind: 'contributions', method, base, items, prediction };
  }
  const K = m.classes.length;
  const of = (q: { proba: Float64Array | null; values: Float64Array }) => (m.task === 'classification' ? q.proba![K - 1] : q.values[0]);
  const now = of(p);
  // The row alone, as one-row columns: each probe copies one value, not whole columns (this runs
  // on the main thread while the analyst picks customers).
  const one = columns.map((c) => ({ ...c, values: [c.values[row]] }) as FeatureColumn);
  const first = Int32Array.of(0);
  const items = m.inputs.map((input) => {
    const j = one.findIndex((c) => c.name === input.name);
    const cols = one.slice();
    cols[j] = { ...one[j], values: [null] } as FeatureColumn;
    return { feature: input.name, contribution: now - of(predictModel(m, cols, first)) };
  }).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const method = m.task === 'classification' ? `change in P(${m.classes[K - 1]}) against the column at its training fill` : 'change in the prediction against the column at its training fill';
  return { kind: 'contributions', method, base: now, items, prediction };
}

/** For each preprocessed feature, the input column it comes from. */
export function ownerOfFeatures(m: TrainedModel): string[] {
  return m.preprocess.columns.flatMap((c) => (c.kind === 'numeric' ? [c.name] : c.categories.map(() => c.name)));
}

/** Coefficients of a linear pipeline by preprocessed feature (OLS adds standard errors), else null. */
export function coefficientTable(m: TrainedModel): { feature: string; coefficient: number; standardError?: number; pValue?: number }[] | null {
  const model = m.model;
  if (model.kind === 'ols' || model.kind === 'ridge') {
    const inf = model.model.inference;
    return model.model.coefficients.map((c, j) => ({ feature: m.preprocess.featureNames[j], coefficient: c, standardError: inf?.standardErrors[j], pValue: inf?.pValues[j] }));
  }
  if ((model.kind === 'logistic' || model.kind === 'linear-svm') && model.model.intercepts.length === 1) {
    return model.model.coefficients.map((c, j) => ({ feature: m.preprocess.featureNames[j], coefficient: c }));
  }
  return null;
}
