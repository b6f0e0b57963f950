import { throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
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
