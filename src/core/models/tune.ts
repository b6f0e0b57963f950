import { AppError, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { createRng } from '../random';
import { crossValidate } from './cross-validate';
import { classificationScores, regressionScores } from './evaluate';
import { takeValues } from './matrix';
import { fitModel, modelLabel, predictModel, type ModelKind, type ModelParams, type ModelSpec, type ModelTarget } from './pipeline';
import type { FeatureColumn } from './preprocess';
import { kFold, stratifiedKFold } from './split';

/** Values to try for each setting of one model family, e.g. `{ maxDepth: [3, 5, 8] }`. */
export type ParamGrid = Partial<Record<keyof ModelParams, (number | string | boolean)[]>>;

/** Every combination of a grid's values (the grid search's candidates), in grid order. */
export function gridSpecs(kind: ModelKind, grid: ParamGrid): ModelSpec[] {
  let combos: ModelParams[] = [{}];
  for (const [key, values] of Object.entries(grid) as [keyof ModelParams, (number | string | boolean)[]][]) {
    if (!values?.length) continue;
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return combos.map((params) => ({ kind, params }));
}

/** The settings a family's search varies, in the order they are shown. */
export function searchKeys(kind: ModelKind): (keyof ModelParams)[] {
  return kind === 'cart' ? ['maxDepth'] : kind === 'forest' ? ['maxDepth', 'nTrees'] : kind === 'ridge' ? ['alpha'] : kind === 'rbf-svm' ? ['C', 'gamma'] : kind === 'ols' ? [] : ['C'];
}

/** Where a random search draws one setting from: uniform on [low, high], or log-uniform (`log`). */
export interface ParamRange {
  low: number;
  high: number;
  scale: 'linear' | 'log';
  /** Whole numbers only (tree depth, number of trees). */
  integer: boolean;
}

/** A range for each setting a random search varies. */
export type ParamRanges = Partial<Record<keyof ModelParams, ParamRange>>;

/** Settings searched on a log scale (scale parameters, as scikit-learn's examples use `loguniform`). */
const LOG_SCALE: (keyof ModelParams)[] = ['C', 'gamma', 'alpha'];
const WHOLE: (keyof ModelParams)[] = ['maxDepth', 'nTrees', 'minSamplesLeaf'];

/**
 * Reads a range typed as "low – high" (a dash, "to" or a comma between; e.g. "0.001 - 1000") for
 * setting `key`: C, γ and α are drawn log-uniformly, depths and tree counts as whole numbers.
 */
export function parseRange(key: keyof ModelParams, text: string): ParamRange {
  const num = String.raw`(\d*\.?\d+(?:[eE][-+]?\d+)?)`;
  const m = new RegExp(String.raw`^\s*${num}\s*(?:-|–|—|to|,|\.\.)\s*${num}\s*$`).exec(text);
  const low = m ? Number(m[1]) : NaN;
  const high = m ? Number(m[2]) : NaN;
  if (!(low > 0 && high >= low)) {
    throw new AppError('invalid-argument', `The ${key} range must be two positive numbers, low then high, e.g. "${LOG_SCALE.includes(key) ? '0.001 - 1000' : '2 - 12'}" (got "${text}").`);
  }
  return { low, high, scale: LOG_SCALE.includes(key) ? 'log' : 'linear', integer: WHOLE.includes(key) };
}

/** Options of {@link randomSpecs}. */
export interface RandomSearchOptions {
  /** Candidates to draw (default 10). */
  iterations?: number;
  /** Seed of the draws (default 0). */
  seed?: number;
}

/**
 * Random search's candidates (Bergstra & Bengio 2012; scikit-learn's `RandomizedSearchCV`):
 * `iterations` settings drawn independently from each range, seeded. Real values keep 3
 * significant digits so the table reads; repeats are drawn again (whole-number ranges can hold
 * fewer distinct candidates than asked for, and then give all they have).
 */
export function randomSpecs(kind: ModelKind, ranges: ParamRanges, options: RandomSearchOptions = {}): ModelSpec[] {
  const { iterations = 10, seed = 0 } = options;
  if (!(Number.isInteger(iterations) && iterations >= 1 && iterations <= 1000)) throw new AppError('invalid-argument', `A random search needs 1 to 1000 iterations; got ${iterations}.`);
  const rng = createRng(seed);
  const entries = Object.entries(ranges) as [keyof ModelParams, ParamRange][];
  const draw = (r: ParamRange): number => {
    if (r.integer) {
      if (r.scale === 'log') return Math.round(Math.exp(Math.log(r.low) + rng.next() * (Math.log(r.high) - Math.log(r.low))));
      return Math.floor(r.low) + rng.int(Math.floor(r.high) - Math.floor(r.low) + 1);
    }
    const v = r.scale === 'log' ? Math.exp(Math.log(r.low) + rng.next() * (Math.log(r.high) - Math.log(r.low))) : r.low + rng.next() * (r.high - r.low);
    return +v.toPrecision(3);
  };
  const seen = new Set<string>();
  const out: ModelSpec[] = [];
  for (let attempt = 0; out.length < iterations && attempt < iterations * 20; attempt++) {
    const params: ModelParams = {};
    for (const [key, range] of entries) (params as Record<string, number>)[key] = draw(range);
    const id = JSON.stringify(params);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ kind, params });
  }
  return out;
}

/** The score tuning maximizes: ROC AUC (binary), accuracy (K > 2) or R² (regression). */
export function tuningMetric(target: ModelTarget): 'AUC' | 'accuracy' | 'R²' {
  return target.task === 'regression' ? 'R²' : target.classes.length === 2 ? 'AUC' : 'accuracy';
}

/** One candidate's cross-validated score. */
export interface TuneRow {
  spec: ModelSpec;
  label: string;
  /** Mean and sample std of the per-fold scores, and the scores. */
  mean: number;
  std: number;
  scores: number[];
  error?: string;
}

/** Options of {@link crossValidateSpecs}. */
export interface TuneOptions {
  /** Folds (default 5). */
  folds?: number;
  seed?: number;
  /** Rows to cross-validate on (default all): pass the training part so the test part stays unseen. */
  rows?: Int32Array;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * k-fold cross-validation of each candidate on the same seeded folds (stratified for classes) —
 * scikit-learn's `GridSearchCV` scoring, preprocessing refitted inside every fold. The figure is
 * the mean of per-fold scores ({@link tuningMetric}).
 */
export function crossValidateSpecs(columns: FeatureColumn[], target: ModelTarget, targetName: string, specs: ModelSpec[], options: TuneOptions = {}): TuneRow[] {
  const { folds: k = 5, seed = 0, signal, onProgress } = options;
  const n = target.task === 'classification' ? target.codes.length : target.values.length;
  const rows = options.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const local = target.task === 'classification' ? stratifiedKFold(takeValues(target.codes, rows), { folds: k, seed }) : kFold(rows.length, { folds: k, seed });
  // Fold indices are positions in `rows`; map them back to table rows.
  const folds = local.map((f) => ({ train: Int32Array.from(f.train, (i) => rows[i]), test: Int32Array.from(f.test, (i) => rows[i]) }));
  const metric = tuningMetric(target);
  return specs.map((spec, s) => {
    throwIfAborted(signal);
    const label = modelLabel(spec);
    try {
      const cv = crossValidate(folds, (fold) => {
        const m = fitModel(columns, target, targetName, spec, fold.train, { seed, signal });
        const p = predictModel(m, columns, fold.test);
        if (target.task === 'regression') return regressionScores(takeValues(target.values, fold.test), p.values).r2;
        const scores = classificationScores(takeValues(target.codes, fold.test), p.proba!, target.classes.length);
        return metric === 'AUC' ? (scores.auc ?? NaN) : scores.accuracy;
      }, { signal, onProgress: (p) => onProgress?.({ stage: `${label}: ${p.stage}`, fraction: (s + (p.fraction ?? 0)) / specs.length }) });
      return { spec, label, ...cv };
    } catch (err) {
      if ((err as { code?: string }).code === 'aborted') throw err;
      return { spec, label, mean: NaN, std: NaN, scores: [], error: (err as Error).message };
    }
  });
}
