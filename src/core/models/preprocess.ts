import { AppError } from '../errors';
import type { FeatureMatrix } from './matrix';

/** A raw input column: numbers (null/NaN = missing) or categories (null/undefined/'' = missing). */
export type FeatureColumn =
  | { name: string; kind: 'numeric'; values: ArrayLike<number | null> }
  | { name: string; kind: 'categorical'; values: ArrayLike<string | number | boolean | null | undefined> };

/** How the preprocessing is fitted. */
export interface PreprocessOptions {
  /** Fill for missing numbers: the training mean or median (default 'mean'). */
  impute?: 'mean' | 'median';
  /**
   * Which output columns are centred and scaled to unit variance: the numeric ones (default),
   * all of them (one-hot columns too), or none.
   */
  standardize?: 'numeric' | 'all' | 'none';
  /**
   * Most categories one-hot encoded per column (default 100): the most frequent in training are
   * kept, the rest (and categories never seen in training) encode as all zeros.
   */
  maxCategories?: number;
}

/** Fitted state of one input column (plain JSON). */
export type ColumnState =
  | { name: string; kind: 'numeric'; fill: number; center: number; scale: number }
  | { name: string; kind: 'categorical'; categories: string[]; center: number[]; scale: number[] };

/** Fitted preprocessing: serializable with JSON.stringify, applied by `transformFeatures`. */
export interface PreprocessState {
  columns: ColumnState[];
  /** Output column names: the numeric name, or `name=category` for a one-hot column. */
  featureNames: string[];
}

/** Label of a missing category, kept as a category of its own when it occurs in training. */
export const MISSING_CATEGORY = '(missing)';

function categoryOf(v: string | number | boolean | null | undefined): string {
  return v === null || v === undefined || v === '' ? MISSING_CATEGORY : String(v);
}

function isMissing(v: number | null): boolean {
  return v === null || v - v !== 0;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const m = values.length >> 1;
  return values.length % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
}

/** Mean and population standard deviation (ddof 0); a zero spread scales by 1, as sklearn. */
function centerScale(values: ArrayLike<number>): { center: number; scale: number } {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length || 1;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (values.length || 1));
  return { center: mean, scale: sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1 };
}

function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * Fits imputation, one-hot encoding and standardization on the training rows only (`rows`,
 * default all), so nothing about the test rows leaks into the model — the order of
 * scikit-learn's `SimpleImputer` → `OneHotEncoder(handle_unknown='ignore')` → `StandardScaler`.
 * Standard deviations are population ones (ddof 0), as `StandardScaler`.
 */
export function fitPreprocessor(
  columns: FeatureColumn[],
  options: PreprocessOptions = {},
  rows?: ArrayLike<number>,
): PreprocessState {
  const { impute = 'mean', standardize = 'numeric', maxCategories = 100 } = options;
  if (columns.length === 0) throw new AppError('invalid-argument', 'choose at least one feature column.');
  const n = columns[0].values.length;
  const fitRows = rows ?? allRows(n);
  const states: ColumnState[] = [];
  const featureNames: string[] = [];
  for (const col of columns) {
    if (col.values.length !== n) {
      throw new AppError('invalid-argument', `column ${col.name} has ${col.values.length} values; the others have ${n}.`, { column: col.name });
    }
    if (col.kind === 'numeric') {
      const present: number[] = [];
      for (let r = 0; r < fitRows.length; r++) {
        const v = col.values[fitRows[r]];
        if (!isMissing(v)) present.push(v as number);
      }
      let fill = 0;
      if (present.length > 0) fill = impute === 'median' ? median(present.slice()) : present.reduce((a, b) => a + b, 0) / present.length;
      const filled = new Float64Array(fitRows.length);
      for (let r = 0; r < fitRows.length; r++) {
        const v = col.values[fitRows[r]];
        filled[r] = isMissing(v) ? fill : (v as number);
      }
      const cs = standardize === 'none' ? { center: 0, scale: 1 } : centerScale(filled);
      states.push({ name: col.name, kind: 'numeric', fill, ...cs });
      featureNames.push(col.name);
    } else {
      const freq = new Map<string, number>();
      for (let r = 0; r < fitRows.length; r++) {
        const key = categoryOf(col.values[fitRows[r]]);
        freq.set(key, (freq.get(key) ?? 0) + 1);
      }
      const kept = [...freq.keys()]
        .sort((a, b) => freq.get(b)! - freq.get(a)! || (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, maxCategories)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const center: number[] = [];
      const scale: number[] = [];
      for (const cat of kept) {
        if (standardize === 'all') {
          const p = freq.get(cat)! / fitRows.length;
          const sd = Math.sqrt(p * (1 - p));
          center.push(p);
          scale.push(sd > 1e-12 ? sd : 1);
        } else {
          center.push(0);
          scale.push(1);
        }
        featureNames.push(`${col.name}=${cat}`);
      }
      states.push({ name: col.name, kind: 'categorical', categories: kept, center, scale });
    }
  }
  return { columns: states, featureNames };
}

/**
 * Applies a fitted preprocessing to columns of the same names (any rows: training, test, or
 * new customers to score) and returns the dense feature matrix, `rows.length × featureNames.length`;
 * with `shared`, in a SharedArrayBuffer (for a fit whose passes helper threads share).
 */
export function transformFeatures(
  state: PreprocessState,
  columns: FeatureColumn[],
  rows?: ArrayLike<number>,
  shared = false,
): FeatureMatrix {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const n = rows ? rows.length : columns.length > 0 ? columns[0].values.length : 0;
  const d = state.featureNames.length;
  const data = shared ? new Float64Array(new SharedArrayBuffer(8 * n * d)) : new Float64Array(n * d);
  let offset = 0;
  for (const cs of state.columns) {
    const col = byName.get(cs.name);
    if (!col) throw new AppError('invalid-argument', `column ${cs.name} is missing; the model was trained with it.`, { column: cs.name });
    if (col.kind !== cs.kind) {
      throw new AppError('invalid-argument', `column ${cs.name} is ${col.kind} here but was ${cs.kind} in training.`, { column: cs.name });
    }
    if (cs.kind === 'numeric') {
      const values = col.values as ArrayLike<number | null>;
      for (let r = 0; r < n; r++) {
        const v = values[rows ? rows[r] : r];
        const x = isMissing(v) ? cs.fill : (v as number);
        data[r * d + offset] = (x - cs.center) / cs.scale;
      }
      offset += 1;
    } else {
      const index = new Map(cs.categories.map((c, k) => [c, k]));
      const width = cs.categories.length;
      for (let r = 0; r < n; r++) {
        for (let k = 0; k < width; k++) if (cs.center[k] !== 0) data[r * d + offset + k] = -cs.center[k] / cs.scale[k];
        const k = index.get(categoryOf(col.values[rows ? rows[r] : r] as string | null));
        if (k !== undefined) data[r * d + offset + k] = (1 - cs.center[k]) / cs.scale[k];
      }
      offset += width;
    }
  }
  return { data, n, d };
}
