import { RecipeError } from './errors';
import { ident, literal, numberLiteral, safeTypeName, typeFamily, valueLiteral } from './sql-text';
import type { ColumnType, DedupeStep, MissingStep, OutlierStep, RangeRuleStep, RecipeStepBody } from './types';

/**
 * One step as SQL: a SELECT over the input relation, whether it must be a table, and the
 * expressions the runner counts (cells changed, conversion failures), each over the input.
 */
export interface CompiledStep {
  select: string;
  /**
   * CREATE TABLE instead of VIEW: for a sample (it must not change on re-reading) and for steps
   * that read whole rows (duplicates, fill from the previous row, join, append, aggregate), so
   * later steps and counts do not recompute them; row-wise steps stay views, whose unused
   * columns DuckDB prunes.
   */
  materialize: boolean;
  /** True when the step keeps every row (rows out = rows in, no count needed). */
  preservesRows: boolean;
  /** Set when the step only drops rows: its SELECT is `SELECT * FROM <input> WHERE <where>`. */
  where?: string;
  /**
   * Per replaced column: the new value as an expression over the input (cells changed = distinct
   * from the old); the step's output column `column` holds the same value.
   */
  changes: {
    column: string;
    expr: string;
    asText?: boolean;
    /** A boolean over the input equal to "changed" (old distinct from new, as compared), cheaper to evaluate. */
    changed?: string;
  }[];
  /** Per converted column: rows whose non-missing value became NULL count as failures. */
  failures: { column: string; expr: string }[];
  /**
   * New columns the runner evaluates once (a count of rows would not), so an expression that
   * fails at run time fails at its step: the expression over the input, and the output column
   * that holds its value.
   */
  probes?: { column: string; expr: string }[];
}

/** `SELECT * REPLACE (expr AS col)` or, with a new name, `SELECT *, expr AS name`. */
export function replaceColumn(input: string, column: string, expr: string, as?: string, extra = ''): string {
  if (as && as !== column) return `SELECT *, ${expr} AS ${ident(as)}${extra} FROM ${input}`;
  return `SELECT * REPLACE (${expr} AS ${ident(column)})${extra} FROM ${input}`;
}

/** A compiled step that replaces (or adds) one column computed row by row. */
export function columnStep(input: string, column: string, expr: string, opts: { as?: string; asText?: boolean; failures?: boolean; extra?: string; materialize?: boolean } = {}): CompiledStep {
  const replaces = !opts.as || opts.as === column;
  return {
    select: replaceColumn(input, column, expr, opts.as, opts.extra),
    materialize: opts.materialize ?? false,
    preservesRows: true,
    changes: replaces ? [{ column, expr, asText: opts.asText }] : [],
    failures: opts.failures ? [{ column, expr }] : [],
  };
}

/** The frozen statistic a step needs, or a RecipeError saying the recipe must be applied (fitted) first. */
export function fittedOf<T>(step: RecipeStepBody & { fitted?: T }, where: string): T {
  if (step.fitted === undefined) throw new RecipeError('invalid-argument', `${where}: its statistics are not computed yet: apply the recipe to a table first.`);
  return step.fitted;
}

/** `CASE WHEN x < lo THEN lo WHEN x > hi THEN hi ELSE x END` with optional bounds. */
export function clipExpr(x: string, lo: number | undefined, hi: number | undefined): string {
  const parts = [lo !== undefined ? `WHEN ${x} < ${numberLiteral(lo)} THEN ${numberLiteral(lo)}` : '', hi !== undefined ? `WHEN ${x} > ${numberLiteral(hi)} THEN ${numberLiteral(hi)}` : ''];
  return `CASE ${parts.filter(Boolean).join(' ')} ELSE ${x}::DOUBLE END`;
}

/** A deterministic ORDER BY list: `first` columns, then every other column as a tie-breaker. */
export function tieBreakOrder(first: string[], columns: ColumnType[], dir = 'ASC'): string {
  const rest = columns.map((c) => c.name).filter((n) => !first.includes(n));
  return [...first.map((n) => `${ident(n)} ${dir} NULLS LAST`), ...rest.map((n) => `${ident(n)} ${dir} NULLS LAST`)].join(', ');
}

function compileDedupe(step: DedupeStep, input: string, columns: ColumnType[]): CompiledStep {
  const keys = step.keys ?? [];
  if (keys.length === 0) return { select: `SELECT DISTINCT * FROM ${input}`, materialize: true, preservesRows: false, changes: [], failures: [] };
  const dir = step.keep === 'last' ? 'DESC' : 'ASC';
  const order = tieBreakOrder(step.orderBy ? [step.orderBy] : [], columns.filter((c) => !keys.includes(c.name)), dir);
  return {
    select: `SELECT * FROM ${input} QUALIFY row_number() OVER (PARTITION BY ${keys.map(ident).join(', ')}${order ? ` ORDER BY ${order}` : ''}) = 1`,
    materialize: true,
    preservesRows: false,
    changes: [],
    failures: [],
  };
}

/**
 * A query whose one row `{ n }` is 0 when the dedupe step would remove nothing from `input`:
 * no key value repeats (with `keys`), or no two rows share a hash of every column (rows equal
 * in every column hash alike; a shared hash may also be a collision, so n > 0 only means "maybe").
 * One hash per row groups far faster than every column, and most files have no duplicates.
 */
export function duplicateCheckSql(step: DedupeStep, input: string, columns: ColumnType[]): string {
  const keys = step.keys?.length ? step.keys.map(ident) : [`hash(${columns.map((c) => ident(c.name)).join(', ')})`];
  return `SELECT count(*)::BIGINT AS n FROM (SELECT 1 FROM ${input} GROUP BY ${keys.join(', ')} HAVING count(*) > 1 LIMIT 1)`;
}

/**
 * A cheaper proof than {@link duplicateCheckSql} that the dedupe step would remove nothing: a
 * query whose one row `{ unique }` is true when one of the (key, or any number or date) columns
 * strictly increases from each row to the next, so no two rows share its value — typical of an
 * id or a timestamp in the order the file was written. It reads one streaming pass of those
 * columns; null when there is no column to try. False only means "not proven".
 */
export function increasingColumnSql(step: DedupeStep, input: string, columns: ColumnType[]): string | null {
  const keys = step.keys?.length ? step.keys : columns.filter((c) => ['number', 'temporal'].includes(typeFamily(c.type))).map((c) => c.name);
  if (!keys.length) return null;
  // lag() over the whole table is some enumeration of its rows: a strict increase along any one
  // of them proves every value distinct, whatever order DuckDB reads the rows in.
  const up = keys.map((k, i) => `${ident(k)} > lag(${ident(k)}) OVER () AS u${i}`);
  return `SELECT count(*) <= 1 OR greatest(${keys.map((_, i) => `count_if(u${i})`).join(', ')}) = count(*) - 1 AS "unique" FROM (SELECT ${up.join(', ')} FROM ${input})`;
}

/**
 * The dedupe step over an input {@link duplicateCheckSql} found free of duplicates: a plain view
 * (the same rows as removing duplicates would keep, in their order), with no copy of the input.
 */
export function compileDedupeWithoutDuplicates(input: string): CompiledStep {
  return { select: `SELECT * FROM ${input}`, materialize: false, preservesRows: true, changes: [], failures: [] };
}

function compileMissing(step: MissingStep, input: string, columns: ColumnType[], where: string): CompiledStep {
  const c = ident(step.column);
  const indicator = step.indicator || step.strategy === 'indicator' ? `, ${c} IS NULL AS ${ident(`${step.column}_missing`)}` : '';
  const type = columns.find((x) => x.name === step.column)?.type ?? 'VARCHAR';
  let fill: string;
  switch (step.strategy) {
    case 'drop-rows':
      return { select: `SELECT *${indicator} FROM ${input} WHERE ${c} IS NOT NULL`, materialize: false, preservesRows: false, changes: [], failures: [], where: indicator ? undefined : `${c} IS NOT NULL` };
    case 'indicator':
      return { select: `SELECT *${indicator} FROM ${input}`, materialize: false, preservesRows: true, changes: [], failures: [] };
    case 'constant':
      fill = `CAST(${valueLiteral(step.value ?? null)} AS ${safeTypeName(type)})`;
      break;
    case 'previous': {
      const order = tieBreakOrder([step.orderBy!], columns);
      fill = `last_value(${c} IGNORE NULLS) OVER (ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
      break;
    }
    default: {
      const f = fittedOf(step, where);
      fill = f.value === null ? 'NULL' : typeof f.value === 'number' ? numberLiteral(f.value) : `CAST(${literal(f.value)} AS ${safeTypeName(f.type)})`;
    }
  }
  return columnStep(input, step.column, `coalesce(${c}, ${fill})`, { extra: indicator, materialize: step.strategy === 'previous' });
}

function compileRange(step: RangeRuleStep, input: string): CompiledStep {
  const c = ident(step.column);
  if (step.action === 'clip') return columnStep(input, step.column, clipExpr(c, step.min, step.max));
  const conds = [step.min !== undefined ? `${c} < ${numberLiteral(step.min)}` : '', step.max !== undefined ? `${c} > ${numberLiteral(step.max)}` : ''].filter(Boolean);
  return columnStep(input, step.column, `CASE WHEN ${conds.join(' OR ')} THEN NULL ELSE ${c} END`);
}

function compileOutliers(step: OutlierStep, input: string, where: string): CompiledStep {
  const { low, high } = fittedOf(step, where);
  const c = ident(step.column);
  if (step.action === 'clip') return columnStep(input, step.column, clipExpr(c, low, high));
  if (step.action === 'drop') {
    const kept = `${c} IS NULL OR ${c} BETWEEN ${numberLiteral(low)} AND ${numberLiteral(high)}`;
    return { select: `SELECT * FROM ${input} WHERE ${kept}`, materialize: false, preservesRows: false, changes: [], failures: [], where: kept };
  }
  return {
    select: `SELECT *, coalesce(${c} < ${numberLiteral(low)} OR ${c} > ${numberLiteral(high)}, false) AS ${ident(`${step.column}_outlier`)} FROM ${input}`,
    materialize: false,
    preservesRows: true,
    changes: [],
    failures: [],
  };
}

/**
 * Compiles the cleaning steps (duplicates, missing values, types and errors, outliers); returns
 * undefined for other kinds. `input` is the quoted input relation, `columns` its columns.
 */
export function compileCleanStep(step: RecipeStepBody, input: string, columns: ColumnType[], where: string): CompiledStep | undefined {
  switch (step.kind) {
    case 'dedupe':
      return compileDedupe(step, input, columns);
    case 'missing':
      return compileMissing(step, input, columns, where);
    case 'cast':
    {
      // Comparing old and new values as text is only needed when the type really changes.
      const same = columns.find((c) => c.name === step.column)?.type === step.to;
      return columnStep(input, step.column, `TRY_CAST(${ident(step.column)} AS ${safeTypeName(step.to)})`, { asText: !same, failures: true });
    }
    case 'parse-date':
      return columnStep(input, step.column, `try_strptime(${ident(step.column)}, ${literal(step.format)})::${step.to === 'TIMESTAMP' ? 'TIMESTAMP' : 'DATE'}`, { asText: true, failures: true });
    case 'text': {
      const c = ident(step.column);
      const expr = step.op === 'title' ? `array_to_string(list_transform(string_split(lower(${c}), ' '), lambda w: upper(left(w, 1)) || substr(w, 2)), ' ')` : `${step.op}(${c})`;
      return columnStep(input, step.column, expr);
    }
    case 'map-values': {
      const c = ident(step.column);
      const whens = step.mapping.map((m) => `WHEN ${literal(m.from)} THEN ${m.to === null ? 'NULL' : literal(m.to)}`).join(' ');
      return columnStep(input, step.column, step.mapping.length ? `CASE ${c} ${whens} ELSE ${step.unmatched === 'null' ? 'NULL' : c} END` : c);
    }
    case 'regex-replace':
      return columnStep(input, step.column, `regexp_replace(${ident(step.column)}, ${literal(step.pattern)}, ${literal(step.replacement)}${step.global === false ? '' : ", 'g'"})`);
    case 'range-rule':
      return compileRange(step, input);
    case 'outliers':
      return compileOutliers(step, input, where);
    default:
      return undefined;
  }
}

/** True when values of this type are compared as text in one-hot/encode mappings without a cast. */
export function isText(columns: ColumnType[], column: string): boolean {
  const t = columns.find((c) => c.name === column)?.type;
  return t !== undefined && typeFamily(t) === 'text';
}
