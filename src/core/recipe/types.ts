/**
 * A cleaning/integration recipe: typed JSON steps that compile to DuckDB SQL (compile.ts), one
 * view per step over the previous one. Steps that need statistics of the data (a mean, IQR
 * fences, the categories of a column) carry them in `fitted`, filled when the recipe is applied
 * and then FROZEN: compiled SQL holds them as literals, so an exported script reproduces exactly
 * what the analyst saw, and re-applying to next month's file reuses them unless the caller asks
 * for a refit (see DESIGN note in compile.ts).
 */

/** The JSON format version written into every recipe; bumped on incompatible changes. */
export const RECIPE_VERSION = 1;

/** Numeric statistics frozen into a step: JSON numbers (DOUBLE precision). */
export type FittedNumber = number;

/** Remove duplicate rows: exact duplicates (no `keys`), or one row per key keeping first/last by `orderBy`. */
export interface DedupeStep {
  kind: 'dedupe';
  /** Key columns; empty or absent: rows equal in every column are duplicates. */
  keys?: string[];
  /** Which row of a key group stays (by `orderBy`, ties broken by every other column). Default 'first'. */
  keep?: 'first' | 'last';
  orderBy?: string;
}

/** How a missing value is handled. */
export type MissingStrategy = 'drop-rows' | 'mean' | 'median' | 'mode' | 'constant' | 'previous' | 'indicator';

/** Missing values of one column: drop the rows, fill them, or only add an is-missing indicator. */
export interface MissingStep {
  kind: 'missing';
  column: string;
  strategy: MissingStrategy;
  /** For 'constant': the fill value (cast to the column's type). */
  value?: string | number | boolean;
  /** For 'previous': the column that orders rows (last non-missing value carried forward). */
  orderBy?: string;
  /** Also add `<column>_missing` (BOOLEAN) before filling. Implied by 'indicator'. */
  indicator?: boolean;
  /** Frozen fill for mean/median/mode: the value and the DuckDB type it is cast to. */
  fitted?: { value: string | number | null; type: string };
}

/** DuckDB types a cast step may target (a closed list: the name is inlined into SQL). */
export const CAST_TYPES = ['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL(18,2)', 'VARCHAR', 'DATE', 'TIMESTAMP'] as const;
/** One of {@link CAST_TYPES}. */
export type CastType = (typeof CAST_TYPES)[number];

/** Convert a column's type with try_cast; values that do not convert become NULL and are counted. */
export interface CastStep {
  kind: 'cast';
  column: string;
  to: CastType;
}

/** Parse text into DATE or TIMESTAMP with a strptime format (e.g. `%d/%m/%Y`), via try_strptime. */
export interface ParseDateStep {
  kind: 'parse-date';
  column: string;
  format: string;
  to?: 'DATE' | 'TIMESTAMP';
}

/** Text clean-up of one column. 'title' upper-cases the first letter of each space-separated word. */
export interface TextStep {
  kind: 'text';
  column: string;
  op: 'trim' | 'upper' | 'lower' | 'title';
}

/** Map spellings to canonical values (`from` → `to`); values not listed are kept or set to NULL. */
export interface MapValuesStep {
  kind: 'map-values';
  column: string;
  mapping: { from: string; to: string | null }[];
  unmatched?: 'keep' | 'null';
}

/** RE2 regular-expression replace (DuckDB regexp_replace; `global` replaces every match). */
export interface RegexReplaceStep {
  kind: 'regex-replace';
  column: string;
  pattern: string;
  replacement: string;
  global?: boolean;
}

/** A valid range for a numeric column: values outside become NULL or are clipped to the bound. */
export interface RangeRuleStep {
  kind: 'range-rule';
  column: string;
  min?: number;
  max?: number;
  action: 'null' | 'clip';
}

/**
 * Outliers of a numeric column. Fences: 'iqr' → [Q1 − k·IQR, Q3 + k·IQR] (Tukey 1977, quartiles by
 * linear interpolation as pandas/NumPy), k default 1.5; 'zscore' → mean ± k·sd (sample sd), k
 * default 3; 'percentile' → [p_low, p_high] quantiles (winsorizing), default 0.05/0.95.
 */
export interface OutlierStep {
  kind: 'outliers';
  column: string;
  method: 'iqr' | 'zscore' | 'percentile';
  k?: number;
  lower?: number;
  upper?: number;
  /** 'flag' adds `<column>_outlier`; 'clip' clamps to the fences; 'drop' removes the rows. */
  action: 'flag' | 'clip' | 'drop';
  fitted?: { low: FittedNumber; high: FittedNumber };
}

/** Standardize ((x − mean)/sd, sd with `ddof`, default 1 as pandas) or min-max scale to [0, 1]. */
export interface ScaleStep {
  kind: 'scale';
  column: string;
  method: 'zscore' | 'minmax';
  ddof?: 0 | 1;
  /** Write to a new column instead of replacing. */
  as?: string;
  fitted?: { center: FittedNumber; scale: FittedNumber };
}

/** ln(1 + x); values ≤ −1 become NULL. */
export interface Log1pStep {
  kind: 'log1p';
  column: string;
  as?: string;
}

/**
 * Bin a numeric column into `bins` intervals (1-based bin number): equal width between min and
 * max, or quantile (equal counts). Interval i is [edge(i−1), edge(i)), the last one closed;
 * values outside the fitted range fall in the first or last bin.
 */
export interface BinStep {
  kind: 'bin';
  column: string;
  method: 'equal-width' | 'quantile';
  bins: number;
  as?: string;
  /** Frozen edges: bins + 1 ascending numbers. */
  fitted?: { edges: FittedNumber[] };
}

/** One 0/1 INTEGER column `<column>_<value>` per category (NULL → all 0), as pandas get_dummies. */
export interface OneHotStep {
  kind: 'one-hot';
  column: string;
  keepOriginal?: boolean;
  /** Frozen categories in column order (sorted when fitted). */
  fitted?: { categories: string[] };
}

/**
 * Integer codes for categories: by `order` when given (ordinal), else the sorted distinct values
 * (label encoding as scikit-learn's LabelEncoder). Codes start at `start` (default 0); values not
 * in the mapping become NULL. The mapping is recorded in `fitted`.
 */
export interface EncodeStep {
  kind: 'encode';
  column: string;
  order?: string[];
  start?: number;
  as?: string;
  fitted?: { mapping: { value: string; code: number }[] };
}

/** A new (or replaced) column from a DuckDB SQL expression over the columns, e.g. `amount * quantity`. */
export interface DeriveStep {
  kind: 'derive';
  name: string;
  expression: string;
}

/**
 * A fixed sample, materialized as a table so it never changes under the analyst. 'hash' orders
 * rows by hash(seed, every column) (same result on every DuckDB build and thread count);
 * 'reservoir' uses DuckDB's `USING SAMPLE reservoir(…) REPEATABLE (seed)`. `stratifyBy` keeps
 * `percent` of each group (hash method only).
 */
export interface SampleStep {
  kind: 'sample';
  rows?: number;
  percent?: number;
  seed: number;
  method?: 'hash' | 'reservoir';
  stratifyBy?: string;
}

/** A structured row condition. `value` is a number, text or boolean; 'in' takes `values`. */
export interface FilterCondition {
  column: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'is-null' | 'not-null' | 'in' | 'contains';
  value?: string | number | boolean;
  values?: (string | number)[];
}

/** Keep rows matching all/any structured conditions, or a typed SQL boolean expression. */
export interface FilterStep {
  kind: 'filter';
  conditions?: FilterCondition[];
  match?: 'all' | 'any';
  sql?: string;
}

/** Join another table on one or more key pairs; right columns that clash get `suffix` (default `_right`). */
export interface JoinStep {
  kind: 'join';
  table: string;
  how: 'inner' | 'left' | 'full';
  on: { left: string; right: string }[];
  suffix?: string;
}

/** Append tables with the same columns (matched by name, UNION ALL BY NAME). */
export interface AppendStep {
  kind: 'append';
  tables: string[];
}

/** Aggregate functions of an aggregate step ('first'/'last' by `orderBy`). */
export type AggregateFn = 'count' | 'count-distinct' | 'sum' | 'mean' | 'median' | 'min' | 'max' | 'std' | 'first' | 'last';

/** One row per group (e.g. per customer) with named aggregates. */
export interface AggregateStep {
  kind: 'aggregate';
  groupBy: string[];
  measures: { name: string; fn: AggregateFn; column?: string; orderBy?: string }[];
}

/** Every step kind, discriminated by `kind`. */
export type RecipeStepBody =
  | DedupeStep | MissingStep | CastStep | ParseDateStep | TextStep | MapValuesStep | RegexReplaceStep
  | RangeRuleStep | OutlierStep | ScaleStep | Log1pStep | BinStep | OneHotStep | EncodeStep
  | DeriveStep | SampleStep | FilterStep | JoinStep | AppendStep | AggregateStep;

/** A step as stored in a recipe: its body plus a stable id and an on/off switch. */
export type RecipeStep = RecipeStepBody & { id: string; enabled: boolean; note?: string };

/** Every step kind name. */
export const STEP_KINDS = [
  'dedupe', 'missing', 'cast', 'parse-date', 'text', 'map-values', 'regex-replace', 'range-rule', 'outliers',
  'scale', 'log1p', 'bin', 'one-hot', 'encode', 'derive', 'sample', 'filter', 'join', 'append', 'aggregate',
] as const satisfies readonly RecipeStepBody['kind'][];

/** A column name and its DuckDB type as DESCRIBE prints it (e.g. `BIGINT`, `VARCHAR`). */
export interface ColumnType {
  name: string;
  type: string;
}

/** A versioned recipe: `source` table in, `name` (output table and view prefix) out. */
export interface Recipe {
  version: number;
  /** Output table name; step views are `<name>__s1`, `<name>__s2`, … by position. */
  name: string;
  /** The table the recipe reads. */
  source: string;
  steps: RecipeStep[];
  /** The source's columns when the recipe was last applied: re-applying checks them. */
  sourceColumns?: ColumnType[];
}

/** A step's settings as JSON without its fitted statistics: the same for a step and its applied (fitted) self. */
export function stepSettingsKey(step: RecipeStep): string {
  return JSON.stringify({ ...step, fitted: undefined });
}

/** The step of the applied recipe `applied` that is `step` with the same settings (its statistics fitted), if any. */
export function appliedVersion(applied: Pick<Recipe, 'steps'> | null, step: RecipeStep): RecipeStep | undefined {
  const ran = applied?.steps.find((a) => a.id === step.id);
  return ran && stepSettingsKey(ran) === stepSettingsKey(step) ? ran : undefined;
}

/** The view/table name of the step at `index` (0-based position in `recipe.steps`). */
export function stepRelationName(recipe: Pick<Recipe, 'name'>, index: number): string {
  return `${recipe.name}__s${index + 1}`;
}

/** Human words for a step, used in messages: `step 3 (fill missing "age")`. */
export function describeStep(step: RecipeStepBody, index: number): string {
  const col = 'column' in step ? ` "${step.column}"` : '';
  const what: Record<RecipeStepBody['kind'], string> = {
    dedupe: 'remove duplicates', missing: 'missing values', cast: 'change type', 'parse-date': 'parse dates',
    text: 'clean text', 'map-values': 'map values', 'regex-replace': 'regex replace', 'range-rule': 'range rule',
    outliers: 'outliers', scale: 'scale', log1p: 'log1p', bin: 'bin', 'one-hot': 'one-hot', encode: 'encode',
    derive: `derive "${'name' in step ? step.name : ''}"`, sample: 'sample', filter: 'filter rows',
    join: `join ${'table' in step ? `"${step.table}"` : ''}`, append: 'append tables', aggregate: 'aggregate',
  };
  return `step ${index + 1} (${what[step.kind]}${col})`;
}
