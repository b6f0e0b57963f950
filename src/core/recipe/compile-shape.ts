import { columnStep, fittedOf, isText, type CompiledStep } from './compile-clean';
import { oneHotColumnNames } from './fit';
import { ident, intLiteral, literal, numberLiteral, valueLiteral } from './sql-text';
import type { AggregateStep, ColumnType, FilterCondition, FilterStep, JoinStep, RecipeStepBody, SampleStep } from './types';

/** `CAST(col AS VARCHAR)` unless the column is text already (category matching is by text). */
function asText(columns: ColumnType[], column: string): string {
  return isText(columns, column) ? ident(column) : `CAST(${ident(column)} AS VARCHAR)`;
}

function plain(select: string, materialize = false, preservesRows = false): CompiledStep {
  return { select, materialize, preservesRows, changes: [], failures: [] };
}

function conditionSql(c: FilterCondition): string {
  const col = ident(c.column);
  switch (c.op) {
    case 'is-null':
      return `${col} IS NULL`;
    case 'not-null':
      return `${col} IS NOT NULL`;
    case 'in':
      return `${col} IN (${(c.values ?? []).map(valueLiteral).join(', ')})`;
    case 'contains':
      return `contains(${col}, ${literal(String(c.value))})`;
    case '!=':
      return `${col} <> ${valueLiteral(c.value ?? null)}`;
    default:
      return `${col} ${c.op} ${valueLiteral(c.value ?? null)}`;
  }
}

function compileFilter(step: FilterStep, input: string): CompiledStep {
  const parts = (step.conditions ?? []).map(conditionSql);
  const structured = parts.length ? `(${parts.join(step.match === 'any' ? ' OR ' : ' AND ')})` : '';
  const where = [structured, step.sql ? `(${step.sql})` : ''].filter(Boolean).join(' AND ');
  return { ...plain(`SELECT * FROM ${input} WHERE ${where}`), where };
}

function compileSample(step: SampleStep, input: string, columns: ColumnType[]): CompiledStep {
  if (step.method === 'reservoir') {
    const size = step.rows !== undefined ? `${intLiteral(Math.round(step.rows))} ROWS` : `${step.percent} PERCENT`;
    return plain(`SELECT * FROM ${input} USING SAMPLE reservoir(${size}) REPEATABLE (${intLiteral(step.seed)})`, true);
  }
  const h = `hash(${intLiteral(step.seed)}, ${columns.map((c) => ident(c.name)).join(', ')})`;
  if (step.rows !== undefined) return plain(`SELECT * FROM ${input} ORDER BY ${h} LIMIT ${intLiteral(Math.round(step.rows))}`, true);
  const part = step.stratifyBy ? `PARTITION BY ${ident(step.stratifyBy)} ` : '';
  return plain(`SELECT * FROM ${input} QUALIFY row_number() OVER (${part}ORDER BY ${h}) <= round(count(*) OVER (${part.trim()}) * ${numberLiteral(step.percent!)} / 100)`, true);
}

/** The right-hand columns a join adds, and their output names (clashes get the suffix). */
export function joinRightColumns(step: JoinStep, left: ColumnType[], right: ColumnType[]): { name: string; as: string }[] {
  const sameKeys = new Set(step.on.filter((k) => k.left === k.right).map((k) => k.right));
  return right
    .filter((c) => !sameKeys.has(c.name))
    .map((c) => ({ name: c.name, as: left.some((l) => l.name.toLowerCase() === c.name.toLowerCase()) ? `${c.name}${step.suffix ?? '_right'}` : c.name }));
}

function compileJoin(step: JoinStep, input: string, columns: ColumnType[], right: ColumnType[]): CompiledStep {
  const how = step.how === 'full' ? 'FULL OUTER' : step.how === 'left' ? 'LEFT' : 'INNER';
  const on = step.on.map((k) => `l.${ident(k.left)} = r.${ident(k.right)}`).join(' AND ');
  const same = step.on.filter((k) => k.left === k.right);
  const leftSel = step.how === 'full' && same.length ? `l.* REPLACE (${same.map((k) => `coalesce(l.${ident(k.left)}, r.${ident(k.right)}) AS ${ident(k.left)}`).join(', ')})` : 'l.*';
  const rightSel = joinRightColumns(step, columns, right).map((c) => (c.as === c.name ? `r.${ident(c.name)}` : `r.${ident(c.name)} AS ${ident(c.as)}`));
  return plain(`SELECT ${[leftSel, ...rightSel].join(', ')} FROM ${input} AS l ${how} JOIN ${ident(step.table)} AS r ON ${on}`, true);
}

/**
 * The key-match report of a join: rows on each side without a partner, and key values that occur
 * more than once on each side (they multiply rows). One row: unmatched_left, unmatched_right,
 * duplicate_left, duplicate_right.
 */
export function joinReportSql(step: JoinStep, input: string): string {
  const on = step.on.map((k) => `l.${ident(k.left)} = r.${ident(k.right)}`).join(' AND ');
  const lk = step.on.map((k) => ident(k.left)).join(', ');
  const rk = step.on.map((k) => ident(k.right)).join(', ');
  const t = ident(step.table);
  return `SELECT (SELECT count(*) FROM ${input} AS l ANTI JOIN ${t} AS r ON ${on})::BIGINT AS unmatched_left,
  (SELECT count(*) FROM ${t} AS r ANTI JOIN ${input} AS l ON ${on})::BIGINT AS unmatched_right,
  (SELECT count(*) FROM (SELECT 1 FROM ${input} GROUP BY ${lk} HAVING count(*) > 1))::BIGINT AS duplicate_left,
  (SELECT count(*) FROM (SELECT 1 FROM ${t} GROUP BY ${rk} HAVING count(*) > 1))::BIGINT AS duplicate_right`;
}

function measureSql(m: AggregateStep['measures'][number]): string {
  const c = m.column ? ident(m.column) : '*';
  switch (m.fn) {
    case 'count':
      return `count(${c})`;
    case 'count-distinct':
      return `count(DISTINCT ${c})`;
    case 'sum':
      return `sum(${c})::DOUBLE`;
    case 'mean':
      return `avg(${c})::DOUBLE`;
    case 'median':
      return `quantile_cont(${c}, 0.5)::DOUBLE`;
    case 'std':
      return `stddev_samp(${c})::DOUBLE`;
    case 'first':
      return `arg_min(${c}, ${ident(m.orderBy!)})`;
    case 'last':
      return `arg_max(${c}, ${ident(m.orderBy!)})`;
    default:
      return `${m.fn}(${c})`;
  }
}

function compileAggregate(step: AggregateStep, input: string): CompiledStep {
  const groups = step.groupBy.map(ident);
  const measures = step.measures.map((m) => `${measureSql(m)} AS ${ident(m.name)}`);
  return plain(`SELECT ${[...groups, ...measures].join(', ')} FROM ${input}${groups.length ? ` GROUP BY ${groups.join(', ')}` : ''}`, true);
}

/**
 * Compiles transform and integration steps (scale, log1p, bin, one-hot, encode, derive, sample,
 * filter, join, append, aggregate). `tableColumns` gives a joined table's columns.
 */
export function compileShapeStep(step: RecipeStepBody, input: string, columns: ColumnType[], where: string, tableColumns: (t: string) => ColumnType[]): CompiledStep {
  switch (step.kind) {
    case 'scale': {
      const { center, scale } = fittedOf(step, where);
      const expr = scale === 0 || !Number.isFinite(scale) ? 'CAST(NULL AS DOUBLE)' : `(${ident(step.column)} - ${numberLiteral(center)}) / ${numberLiteral(scale)}`;
      return columnStep(input, step.column, expr, { as: step.as });
    }
    case 'log1p':
      return columnStep(input, step.column, `CASE WHEN ${ident(step.column)} > -1 THEN ln(1 + ${ident(step.column)}) END`, { as: step.as });
    case 'bin': {
      const { edges } = fittedOf(step, where);
      const c = ident(step.column);
      const whens = edges.slice(1, -1).map((e, i) => `WHEN ${c} < ${numberLiteral(e)} THEN ${i + 1}`);
      return columnStep(input, step.column, `CASE WHEN ${c} IS NULL THEN NULL ${whens.join(' ')} ELSE ${edges.length - 1} END::INTEGER`, { as: step.as, asText: true });
    }
    case 'one-hot': {
      const { categories } = fittedOf(step, where);
      const v = asText(columns, step.column);
      const names = oneHotColumnNames(step.column, categories);
      const cols = categories.map((cat, i) => `coalesce((${v} = ${literal(cat)})::INTEGER, 0) AS ${ident(names[i])}`);
      return plain(`SELECT * ${step.keepOriginal ? '' : `EXCLUDE (${ident(step.column)})`}${cols.length ? `, ${cols.join(', ')}` : ''} FROM ${input}`, false, true);
    }
    case 'encode': {
      const { mapping } = fittedOf(step, where);
      const whens = mapping.map((m) => `WHEN ${literal(m.value)} THEN ${intLiteral(m.code)}`).join(' ');
      const compiled = columnStep(input, step.column, mapping.length ? `(CASE ${asText(columns, step.column)} ${whens} END)::INTEGER` : 'CAST(NULL AS INTEGER)', { as: step.as, asText: true });
      if (compiled.changes[0] && isText(columns, step.column)) {
        // A text value's code reads the same only where the value is its own code's digits
        // ('1' → 1); every other value (and one without a code, which becomes NULL) changes.
        const c = ident(step.column);
        const same = mapping.filter((m) => m.value === String(m.code)).map((m) => literal(m.value));
        compiled.changes[0].changed = same.length ? `${c} IS NOT NULL AND ${c} NOT IN (${same.join(', ')})` : `${c} IS NOT NULL`;
      }
      return compiled;
    }
    case 'derive': {
      const exists = columns.some((c) => c.name === step.name);
      return exists ? columnStep(input, step.name, `(${step.expression})`, { asText: true }) : { ...plain(`SELECT *, (${step.expression}) AS ${ident(step.name)} FROM ${input}`, false, true), probes: [{ column: step.name, expr: `(${step.expression})` }] };
    }
    case 'sample':
      return compileSample(step, input, columns);
    case 'filter':
      return compileFilter(step, input);
    case 'join':
      return compileJoin(step, input, columns, tableColumns(step.table));
    case 'append':
      return plain([`SELECT * FROM ${input}`, ...step.tables.map((t) => `SELECT * FROM ${ident(t)}`)].join(' UNION ALL BY NAME '), true);
    case 'aggregate':
      return compileAggregate(step, input);
    default:
      throw new Error(`not a transform step: ${step.kind}`);
  }
}
