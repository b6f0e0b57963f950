/**
 * The queries behind a step's before/after preview. A preview of the first rows shows nothing of
 * what a map of 122 misspelled regions among 2,000 rows did, so the preview picks the rows the
 * step acted on: for a step that keeps its rows and rewrites columns, rows where one of its
 * changes holds (before and after side by side, the same rows); for a step that drops rows
 * through a WHERE, rows it removed. Each preview is one LIMIT-ed query over the step's input.
 */
import type { CompiledStep } from './compile-clean';
import { ident } from './sql-text';
import type { ColumnType, RecipeStepBody } from './types';

/** An expression that may read rows other than its own (a window, a sub-query). */
const READS_OTHER_ROWS = /\b(over|select)\b/i;

/**
 * True when the step computes each output row from its own input row alone (no window, no other
 * row, no statistic computed at run time: fitted statistics are literals), so the step compiled
 * over a few rows gives exactly those rows' output; a row-dropping step then keeps or drops each
 * row alone. Derived columns and filters are user SQL: row-local unless they may hold a window or
 * a sub-query (a guess on the text that errs on the safe side).
 */
export function isRowLocal(step: RecipeStepBody): boolean {
  switch (step.kind) {
    case 'cast':
    case 'parse-date':
    case 'text':
    case 'map-values':
    case 'regex-replace':
    case 'range-rule':
    case 'outliers':
    case 'scale':
    case 'log1p':
    case 'bin':
    case 'one-hot':
    case 'encode':
      return true;
    case 'missing':
      // Fill from the previous row is a window over the whole table.
      return step.strategy !== 'previous';
    case 'derive':
      return !READS_OTHER_ROWS.test(step.expression);
    case 'filter':
      return !READS_OTHER_ROWS.test(step.sql ?? '');
    case 'dedupe':
    case 'sample':
    case 'join':
    case 'append':
    case 'aggregate':
      return false;
    default: {
      const never: never = step;
      return never;
    }
  }
}

/**
 * Which rows a step's preview shows. `changed`: rows the step changed, the same rows before and
 * after. `unchanged`: the step rewrites columns but changed no cell: the first rows, the same on
 * both sides. `same`: the first rows, the same on both sides (a step that only adds columns).
 * `removed`: before, rows the step removed; after, the first rows it kept. `first`: the first
 * rows of the input and of the output, unrelated (dedupe, sample, join, append, aggregate).
 */
export type PreviewRows = 'changed' | 'unchanged' | 'same' | 'removed' | 'first';

/** How to preview a step: rows side by side (`paired`), rows removed, or first rows. */
export type PreviewPlan = 'paired' | 'removed' | 'first';

/** The preview a compiled step allows: paired when it keeps every row (its SELECT passes `*` through). */
export function previewPlan(compiled: CompiledStep): PreviewPlan {
  if (compiled.where !== undefined) return 'removed';
  return compiled.preservesRows ? 'paired' : 'first';
}

/** A column prefix no column starts with, for the carried before-values. */
function freePrefix(columns: readonly string[]): string {
  let prefix = '__pv';
  while (columns.some((c) => c.toLowerCase().startsWith(prefix))) prefix = `_${prefix}`;
  return prefix;
}

/** The old value `o` and new value `n` told apart as the counts tell them (as text when the type changes). */
function distinct(o: string, n: string, asText?: boolean): string {
  return asText ? `${o}::VARCHAR IS DISTINCT FROM ${n}::VARCHAR` : `${o} IS DISTINCT FROM ${n}`;
}

/** The paired preview query and how its columns split into before / after. */
export interface PairedPreviewQuery {
  sql: string;
  /** Result columns (names) holding the before row, in the order of `before`. */
  beforeKeys: string[];
  /** Result columns holding the after row, in the order of `after`. */
  afterKeys: string[];
  /** Per after column: the result column (a BOOLEAN) telling whether that cell changed, or null. */
  changedKeys: (string | null)[];
  /** The before and after columns, the step's own columns first. */
  before: ColumnType[];
  after: ColumnType[];
}

/**
 * One query giving up to `n` input rows and their output rows side by side: every input column is
 * copied under a carried name, the step is recompiled over that relation (its `*` passes the
 * copies through), and each after-cell of a replaced column gets a changed flag. With
 * `onlyChanged`, only rows where one of the step's changes holds. A row-local step is recompiled
 * over exactly the picked rows (the LIMIT and the change test run before it, on the input); any
 * other step runs over its whole input and the rows are picked from its output, as a window's
 * value depends on every row. Both sides come from one result row, so row i is the same
 * customer before and after.
 */
export function pairedPreviewSql(
  input: string,
  inputColumns: readonly ColumnType[],
  outColumns: readonly ColumnType[],
  compiled: CompiledStep,
  recompile: (input: string) => CompiledStep,
  rowLocal: boolean,
  n: number,
  onlyChanged: boolean,
): PairedPreviewQuery {
  const p = freePrefix([...inputColumns, ...outColumns].map((c) => c.name));
  const limit = ` LIMIT ${Math.max(0, Math.floor(n))}`;
  const carried = new Map(inputColumns.map((c, k) => [c.name, ident(`${p}b${k}`)]));
  const changes = compiled.changes.filter((c) => carried.has(c.column));
  const inputTest = changes.map((c) => `(${c.changed ?? distinct(ident(c.column), c.expr, c.asText)})`).join(' OR ');
  const outputTest = changes.map((c) => `(${distinct(carried.get(c.column)!, ident(c.column), c.asText)})`).join(' OR ');
  const picks = onlyChanged && changes.length > 0;
  const copies = inputColumns.map((c) => `${ident(c.name)} AS ${carried.get(c.name)}`).join(', ');
  const picked = `(SELECT *, ${copies} FROM ${input}${rowLocal && picks ? ` WHERE ${inputTest}` : ''}${rowLocal ? limit : ''})`;
  const stepped = `(${recompile(picked).select})`;

  const outNames = new Set(outColumns.map((c) => c.name));
  const own = new Set([...changes.map((c) => c.column), ...outColumns.filter((c) => !carried.has(c.name)).map((c) => c.name)]);
  const touched = new Set([...changes.map((c) => c.column), ...inputColumns.filter((c) => !outNames.has(c.name)).map((c) => c.name)]);
  const ownFirst = (cols: readonly ColumnType[], first: Set<string>) => [...cols.filter((c) => first.has(c.name)), ...cols.filter((c) => !first.has(c.name))];
  const before = ownFirst(inputColumns, touched);
  const after = ownFirst(outColumns, own);

  const select: string[] = [];
  const beforeKeys = before.map((c, k) => {
    select.push(`${carried.get(c.name)}::VARCHAR AS "b${k}"`);
    return `b${k}`;
  });
  const afterKeys = after.map((c, k) => {
    select.push(`${ident(c.name)}::VARCHAR AS "a${k}"`);
    return `a${k}`;
  });
  const changedKeys = after.map((c, k) => {
    const change = changes.find((x) => x.column === c.name);
    if (!change) return null;
    select.push(`(${distinct(carried.get(c.name)!, ident(c.name), change.asText)}) AS "c${k}"`);
    return `c${k}`;
  });
  const sql = `SELECT ${select.join(', ')} FROM ${stepped}${!rowLocal && picks ? ` WHERE ${outputTest}` : ''}${rowLocal ? '' : limit}`;
  return { sql, beforeKeys, afterKeys, changedKeys, before, after };
}

/**
 * Up to `n` rows a row-dropping step (`where`) removed from its input, the rows its WHERE does
 * not keep, every cell rendered as VARCHAR.
 */
export function removedRowsSql(input: string, columns: readonly ColumnType[], where: string, n: number): string {
  const select = columns.map((c) => `${ident(c.name)}::VARCHAR AS ${ident(c.name)}`).join(', ') || '*';
  return `SELECT ${select} FROM ${input} WHERE (${where}) IS NOT TRUE LIMIT ${Math.max(0, Math.floor(n))}`;
}
