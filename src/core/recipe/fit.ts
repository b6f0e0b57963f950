import { RecipeError } from './errors';
import { ident, numberLiteral } from './sql-text';
import type { ColumnType, RecipeStepBody } from './types';

/**
 * The indicator column names of a one-hot step: `<column>_<category>`, with `_2`, `_3`… added
 * where two names differ only in case (DuckDB identifiers are case-insensitive).
 */
export function oneHotColumnNames(column: string, categories: readonly string[]): string[] {
  const seen = new Set<string>();
  return categories.map((cat) => {
    let name = `${column}_${cat}`;
    for (let k = 2; seen.has(name.toLowerCase()); k++) name = `${column}_${cat}_${k}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

/** One-hot refuses columns with more categories than this (use encode instead). */
export const MAX_ONE_HOT_CATEGORIES = 100;

/**
 * True when the step needs statistics of its input (mean, fences, categories…) before it can
 * compile (an encode step with an explicit `order` is fitted without a query).
 */
export function needsFit(step: RecipeStepBody): boolean {
  switch (step.kind) {
    case 'missing':
      return step.strategy === 'mean' || step.strategy === 'median' || step.strategy === 'mode';
    case 'outliers':
    case 'scale':
    case 'bin':
    case 'one-hot':
      return true;
    case 'encode':
      return true;
    default:
      return false;
  }
}

/**
 * The SQL that computes a step's statistics over `input` (a quoted relation), or null when it
 * needs none. Quartiles are quantile_cont (linear interpolation, as NumPy/pandas' default);
 * standard deviations are sample (n − 1) unless a scale step asks ddof 0. Means are favg
 * (compensated summation): DuckDB's avg of 1M doubles drifts in the 13th digit, enough to move a
 * standardized column's sum off zero; NumPy sums pairwise.
 */
export function fitQuery(step: RecipeStepBody, input: string): string | null {
  if (!needsFit(step) || (step.kind === 'encode' && step.order)) return null;
  switch (step.kind) {
    case 'missing': {
      const c = ident(step.column);
      if (step.strategy === 'mean') return `SELECT favg(${c})::DOUBLE AS v FROM ${input}`;
      if (step.strategy === 'median') return `SELECT quantile_cont(${c}, 0.5)::DOUBLE AS v FROM ${input}`;
      return `SELECT CAST(${c} AS VARCHAR) AS v FROM ${input} WHERE ${c} IS NOT NULL GROUP BY ${c} ORDER BY count(*) DESC, ${c} LIMIT 1`;
    }
    case 'outliers': {
      const c = ident(step.column);
      if (step.method === 'zscore') return `SELECT favg(${c})::DOUBLE AS a, stddev_samp(${c})::DOUBLE AS b FROM ${input}`;
      const [lo, hi] = step.method === 'iqr' ? [0.25, 0.75] : [step.lower ?? 0.05, step.upper ?? 0.95];
      return `SELECT quantile_cont(${c}, ${numberLiteral(lo)})::DOUBLE AS a, quantile_cont(${c}, ${numberLiteral(hi)})::DOUBLE AS b FROM ${input}`;
    }
    case 'scale': {
      const c = ident(step.column);
      if (step.method === 'minmax') return `SELECT min(${c})::DOUBLE AS a, max(${c})::DOUBLE AS b FROM ${input}`;
      return `SELECT favg(${c})::DOUBLE AS a, ${step.ddof === 0 ? 'stddev_pop' : 'stddev_samp'}(${c})::DOUBLE AS b FROM ${input}`;
    }
    case 'bin': {
      const c = ident(step.column);
      if (step.method === 'equal-width') return `SELECT min(${c})::DOUBLE AS a, max(${c})::DOUBLE AS b FROM ${input}`;
      const qs = Array.from({ length: step.bins + 1 }, (_, i) => numberLiteral(i / step.bins));
      return `SELECT quantile_cont(${c}, [${qs.join(', ')}])::DOUBLE[] AS e FROM ${input}`;
    }
    case 'one-hot':
    case 'encode': {
      const c = ident(step.column);
      return `SELECT CAST(${c} AS VARCHAR) AS v FROM ${input} WHERE ${c} IS NOT NULL GROUP BY ${c} ORDER BY ${c} LIMIT ${MAX_ONE_HOT_CATEGORIES * 100 + 1}`;
    }
    default:
      return null;
  }
}

const num = (x: unknown): number => (x === null || x === undefined ? NaN : Number(x));

/**
 * The step with its statistics frozen into `fitted`, from the rows `fitQuery` returned (plain
 * objects). `columns` are the step's input columns (a fill keeps the column's type).
 */
export function fitStep<S extends RecipeStepBody>(step: S, rows: Record<string, unknown>[], columns: ColumnType[], where: string): S {
  const r = rows[0] ?? {};
  const noData = (): never => {
    throw new RecipeError('invalid-argument', `${where}: column "${'column' in step ? step.column : ''}" has no values to compute statistics from: fill or drop its missing values first, or remove the step.`, { column: 'column' in step ? (step.column as string) : undefined });
  };
  switch (step.kind) {
    case 'missing': {
      const type = columns.find((c) => c.name === step.column)?.type ?? 'VARCHAR';
      if (step.strategy === 'mode') return { ...step, fitted: { value: r.v === undefined || r.v === null ? null : String(r.v), type } };
      const v = num(r.v);
      if (Number.isNaN(v)) noData();
      return { ...step, fitted: { value: v, type: 'DOUBLE' } };
    }
    case 'outliers': {
      const a = num(r.a);
      const b = num(r.b);
      if (Number.isNaN(a) || Number.isNaN(b)) noData();
      if (step.method === 'iqr') {
        const k = step.k ?? 1.5;
        return { ...step, fitted: { low: a - k * (b - a), high: b + k * (b - a) } };
      }
      if (step.method === 'zscore') {
        const k = step.k ?? 3;
        return { ...step, fitted: { low: a - k * b, high: a + k * b } };
      }
      return { ...step, fitted: { low: a, high: b } };
    }
    case 'scale': {
      const a = num(r.a);
      const b = num(r.b);
      if (Number.isNaN(a)) noData();
      return { ...step, fitted: step.method === 'minmax' ? { center: a, scale: b - a } : { center: a, scale: Number.isNaN(b) ? 0 : b } };
    }
    case 'bin': {
      if (step.method === 'equal-width') {
        const a = num(r.a);
        const b = num(r.b);
        if (Number.isNaN(a)) noData();
        return { ...step, fitted: { edges: Array.from({ length: step.bins + 1 }, (_, i) => (i === step.bins ? b : a + (i * (b - a)) / step.bins)) } };
      }
      const e = r.e as { toArray?: () => ArrayLike<number> } | number[] | null;
      if (!e) noData();
      const edges = Array.from(Array.isArray(e) ? e : (e as { toArray: () => ArrayLike<number> }).toArray(), Number);
      return { ...step, fitted: { edges } };
    }
    case 'one-hot': {
      const categories = rows.map((x) => String(x.v));
      if (categories.length > MAX_ONE_HOT_CATEGORIES) {
        throw new RecipeError('invalid-argument', `${where}: "${step.column}" has more than ${MAX_ONE_HOT_CATEGORIES} categories, too many columns for one-hot: use "encode" instead, or group rare values first.`, { column: step.column });
      }
      return { ...step, fitted: { categories } };
    }
    case 'encode': {
      const values = step.order ?? rows.map((x) => String(x.v));
      const start = step.start ?? 0;
      return { ...step, fitted: { mapping: values.map((value, i) => ({ value, code: start + i })) } };
    }
    default:
      return step;
  }
}
