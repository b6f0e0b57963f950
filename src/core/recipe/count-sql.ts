/**
 * One query for the per-step counts of several consecutive steps. Counting each step on its own
 * re-reads the chain of views once per step; but while the steps keep every row, the input rows of
 * step k are the input rows of the first step of the run, so all their counts can be read in one
 * scan. The chain is rebuilt inline with each step's old and new values carried along as extra
 * columns (every row-wise step selects `*`, so they pass through the later steps).
 */
import type { CompiledStep } from './compile-clean';
import { ident } from './sql-text';

/** One step of a counted run: how it compiled over its real input, and over any other input. */
export interface CountedStep {
  compiled: CompiledStep;
  /** The same step compiled over `input` (a quoted relation or a parenthesized query). */
  recompile: (input: string) => CompiledStep;
}

/** What the query found for one step (all over the step's input rows). */
export interface RunStepCounts {
  /** Cells whose value the step replaced; -1 when changes were not counted. */
  cellsChanged: number;
  failures: { column: string; failed: number; nonMissing: number }[];
}

/** The fused query and how to read its one row back. */
export interface RunCountQuery {
  sql: string;
  /** Rows in of the run (every step's input has the same rows), then each step's counts. */
  read: (row: Record<string, unknown>) => { rowsIn: number; steps: RunStepCounts[] };
}

/** A column prefix no input column starts with, for the carried values. */
function freePrefix(columns: readonly string[]): string {
  let prefix = '__rc';
  while (columns.some((c) => c.toLowerCase().startsWith(prefix))) prefix = `_${prefix}`;
  return prefix;
}

/**
 * The query counting a run of steps over `input`: rows in, and per step its cells changed
 * (when `changes`), conversion failures and probes (new-column expressions evaluated once, so an
 * expression that fails at run time fails here). Every step but the last must keep every row and
 * be a view (`preservesRows && !materialize`); the last one's counts are over its input too.
 * `columns` are every column name any step of the run sees (to keep the carried names apart).
 */
export function runCountQuery(input: string, steps: readonly CountedStep[], changes: boolean, columns: readonly string[]): RunCountQuery {
  const p = freePrefix(columns);
  const aggs = ['count(*)::BIGINT AS "rows_in"'];
  const readers: ((n: (k: string) => number) => RunStepCounts)[] = [];
  let relation = input;
  steps.forEach((s, k) => {
    const name = (what: string) => ident(`${p}${k}_${what}`);
    const stepChanges = changes ? s.compiled.changes : [];
    const probes = s.compiled.probes ?? [];
    // Old and new value of each counted column, as [column, expression, name of the old, name of the new].
    const pairs = [
      ...stepChanges.map((c, i) => [c.column, c.expr, name(`o${i}`), name(`n${i}`)] as const),
      ...s.compiled.failures.map((f, i) => [f.column, f.expr, name(`fo${i}`), name(`fn${i}`)] as const),
    ];
    const carry = (cols: string[]) => {
      if (cols.length) relation = `(SELECT *, ${cols.join(', ')} FROM ${relation})`;
    };
    carry(pairs.map(([column, , o]) => `${ident(column)} AS ${o}`));
    if (k < steps.length - 1) {
      // The step's own output column holds the new value: read it there rather than evaluate the
      // expression a second time.
      relation = `(${s.recompile(relation).select})`;
      carry([...pairs.map(([column, , , n]) => `${ident(column)} AS ${n}`), ...probes.map((pr, i) => `${ident(pr.column)} AS ${name(`p${i}`)}`)]);
    } else {
      carry([...pairs.map(([, expr, , n]) => `${expr} AS ${n}`), ...probes.map((pr, i) => `${pr.expr} AS ${name(`p${i}`)}`)]);
    }
    stepChanges.forEach((c, i) => {
      const [o, n] = [name(`o${i}`), name(`n${i}`)];
      aggs.push(`count_if(${c.asText ? `${o}::VARCHAR IS DISTINCT FROM ${n}::VARCHAR` : `${o} IS DISTINCT FROM ${n}`})::BIGINT AS ${name(`c${i}`)}`);
    });
    s.compiled.failures.forEach((_, i) => {
      const [o, n] = [name(`fo${i}`), name(`fn${i}`)];
      aggs.push(`count_if(${o} IS NOT NULL AND ${n} IS NULL)::BIGINT AS ${name(`f${i}`)}`, `count(${o})::BIGINT AS ${name(`nn${i}`)}`);
    });
    probes.forEach((_, i) => aggs.push(`count(${name(`p${i}`)})::BIGINT AS ${name(`p${i}`)}`));
    const key = (what: string) => `${p}${k}_${what}`;
    readers.push((n) => ({
      cellsChanged: changes ? stepChanges.reduce((sum, _, i) => sum + n(key(`c${i}`)), 0) : -1,
      failures: s.compiled.failures.map((f, i) => ({ column: f.column, failed: n(key(`f${i}`)), nonMissing: n(key(`nn${i}`)) })),
    }));
  });
  return {
    sql: `SELECT ${aggs.join(', ')} FROM ${relation}`,
    read: (row) => {
      const n = (key: string) => Number(row[key] ?? 0);
      return { rowsIn: n('rows_in'), steps: readers.map((r) => r(n)) };
    },
  };
}
