import { RecipeError } from './errors';
import { joinRightColumns } from './compile-shape';
import { oneHotColumnNames } from './fit';
import { expressionProblem, typeFamily, type TypeFamily } from './sql-text';
import { describeStep, type ColumnType, type Recipe, type RecipeStepBody } from './types';

/** The type given to a column whose type only DuckDB knows (a derived expression). */
export const UNKNOWN_TYPE = 'UNKNOWN';

/**
 * True when a column of `type` may go where a step wants `family`: a type of that family, or
 * one only DuckDB knows yet (UNKNOWN: it names a mismatch when the recipe runs).
 */
export function fitsFamily(type: string, family: TypeFamily): boolean {
  return type === UNKNOWN_TYPE || typeFamily(type) === family;
}

/** The family the column of a step kind must have (undefined: any column). */
export function stepColumnFamily(kind: RecipeStepBody['kind']): TypeFamily | undefined {
  switch (kind) {
    case 'range-rule': case 'outliers': case 'scale': case 'log1p': case 'bin': return 'number';
    case 'parse-date': case 'text': case 'map-values': case 'regex-replace': return 'text';
    default: return undefined;
  }
}

/** The columns a step of `kind` may be given, in order: those that fit its family (UNKNOWN ones included). */
export function columnChoices(kind: RecipeStepBody['kind'], columns: readonly ColumnType[]): ColumnType[] {
  const family = stepColumnFamily(kind);
  return family ? columns.filter((c) => fitsFamily(c.type, family)) : [...columns];
}

/** Columns after a step; `open` when later columns cannot be known before fitting (one-hot). */
export interface StepSchema {
  columns: ColumnType[];
  open: boolean;
}

/** Looks up another table's columns (joins and appends), undefined when there is no such table. */
export type TableColumns = (table: string) => ColumnType[] | undefined;

const FAMILY_WORDS: Record<TypeFamily, string> = { number: 'a number', text: 'text', temporal: 'a date/time', boolean: 'true/false', other: 'this type' };

/**
 * Checks one step against its input columns and returns the columns it produces. Throws a
 * RecipeError (code 'invalid-argument') naming the step, the column and what to do.
 */
export function checkStep(step: RecipeStepBody, index: number, input: StepSchema, tables: TableColumns, stepId?: string): StepSchema {
  const where = describeStep(step, index);
  const fail = (message: string, column?: string): never => {
    throw new RecipeError('invalid-argument', `${where}: ${message}`, { column, stepId, stepIndex: index });
  };
  const cols = input.columns.map((c) => ({ ...c }));
  const find = (name: string | undefined, family?: TypeFamily, list: ColumnType[] = cols, table?: string): ColumnType | undefined => {
    if (!name) return fail(table ? `choose the column of "${table}" to match on.` : 'a column must be chosen.');
    const c = list.find((x) => x.name === name);
    if (!c) {
      if (input.open && !table) return undefined;
      const near = list.find((x) => x.name.toLowerCase() === name.toLowerCase());
      const hint = near ? `did you mean "${near.name}"?` : `it was dropped or renamed by an earlier step, or ${table ? `"${table}"` : 'the source'} has no such column; choose one of ${list.map((x) => `"${x.name}"`).slice(0, 12).join(', ')}${list.length > 12 ? `, … (${list.length} columns)` : ''}, or remove the step.`;
      return fail(`column "${name}" does not exist${table ? ` in "${table}"` : ''}: ${hint}`, name);
    }
    if (family && !fitsFamily(c.type, family)) {
      fail(`column "${name}" is ${c.type}, but this step needs ${FAMILY_WORDS[family]}: add a "change type" step before it, or pick another column.`, name);
    }
    return c;
  };
  const setType = (name: string, type: string) => {
    const c = cols.find((x) => x.name === name);
    if (c) c.type = type;
    else cols.push({ name, type });
  };
  const addNew = (name: string, type: string) => {
    if (cols.some((x) => x.name.toLowerCase() === name.toLowerCase())) fail(`a column named "${name}" already exists: rename it first, or choose another name.`, name);
    cols.push({ name, type });
  };
  const num = (x: unknown, what: string, lo = -Infinity, hi = Infinity) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < lo || x > hi) fail(`${what} must be a number${lo > -Infinity ? ` from ${lo}` : ''}${hi < Infinity ? ` to ${hi}` : ''}.`);
  };
  const open = input.open;
  switch (step.kind) {
    case 'dedupe':
      for (const k of step.keys ?? []) find(k);
      if (step.orderBy) find(step.orderBy);
      break;
    case 'missing': {
      const c = find(step.column, step.strategy === 'mean' || step.strategy === 'median' ? 'number' : undefined);
      if (step.strategy === 'constant' && step.value === undefined) fail('type the value that replaces missing values.', step.column);
      if (step.strategy === 'constant' && c && c.type !== UNKNOWN_TYPE && typeof step.value === 'string') {
        const family = typeFamily(c.type);
        if (family === 'number' && !Number.isFinite(Number(step.value.trim() || 'x'))) fail(`the fill value "${step.value}" is not a number, and "${step.column}" is ${c.type}: type a number.`, step.column);
        if (family === 'boolean' && !/^(true|false)$/i.test(step.value.trim())) fail(`the fill value "${step.value}" is not true or false, and "${step.column}" is ${c.type}.`, step.column);
      }
      if (step.strategy === 'previous') find(step.orderBy);
      if (step.indicator || step.strategy === 'indicator') addNew(`${step.column}_missing`, 'BOOLEAN');
      if (c && (step.strategy === 'mean' || step.strategy === 'median')) setType(step.column, 'DOUBLE');
      break;
    }
    case 'cast':
      find(step.column);
      setType(step.column, step.to);
      break;
    case 'parse-date':
      find(step.column, 'text');
      if (!step.format) fail('type the date format, e.g. %d/%m/%Y.', step.column);
      setType(step.column, step.to ?? 'DATE');
      break;
    case 'text':
    case 'map-values':
    case 'regex-replace':
      find(step.column, 'text');
      if (step.kind === 'regex-replace' && !step.pattern) fail('type the pattern to replace.', step.column);
      break;
    case 'range-rule':
      find(step.column, 'number');
      if (step.min === undefined && step.max === undefined) fail('give a minimum, a maximum or both.', step.column);
      if (step.min !== undefined && step.max !== undefined && step.min > step.max) fail(`the minimum ${step.min} is above the maximum ${step.max}.`, step.column);
      if (step.action === 'clip') setType(step.column, 'DOUBLE');
      break;
    case 'outliers':
      find(step.column, 'number');
      if (step.k !== undefined) num(step.k, 'k', 0);
      if (step.lower !== undefined) num(step.lower, 'the lower quantile', 0, 1);
      if (step.upper !== undefined) num(step.upper, 'the upper quantile', 0, 1);
      if ((step.lower ?? 0.05) >= (step.upper ?? 0.95)) fail(`the lower quantile ${step.lower ?? 0.05} must be below the upper ${step.upper ?? 0.95}.`, step.column);
      if (step.action === 'flag') addNew(`${step.column}_outlier`, 'BOOLEAN');
      if (step.action === 'clip') setType(step.column, 'DOUBLE');
      break;
    case 'scale':
    case 'log1p':
      find(step.column, 'number');
      if (step.as && step.as !== step.column) addNew(step.as, 'DOUBLE');
      else setType(step.column, 'DOUBLE');
      break;
    case 'bin':
      find(step.column, 'number');
      num(step.bins, 'the number of bins', 1, 1000);
      if (step.as && step.as !== step.column) addNew(step.as, 'INTEGER');
      else setType(step.column, 'INTEGER');
      break;
    case 'one-hot': {
      find(step.column);
      if (!step.fitted) return { columns: step.keepOriginal ? cols : cols.filter((c) => c.name !== step.column), open: true };
      for (const name of oneHotColumnNames(step.column, step.fitted.categories)) addNew(name, 'INTEGER');
      return { columns: step.keepOriginal ? cols : cols.filter((c) => c.name !== step.column), open };
    }
    case 'encode':
      find(step.column);
      if (step.as && step.as !== step.column) addNew(step.as, 'INTEGER');
      else setType(step.column, 'INTEGER');
      break;
    case 'derive':
      if (!step.name) fail('the new column needs a name.');
      {
        const problem = expressionProblem(step.expression ?? '');
        if (problem) fail(`the expression must be one SQL expression, e.g. amount * quantity, and ${problem}.`);
      }
      setType(step.name, UNKNOWN_TYPE);
      break;
    case 'sample':
      if ((step.rows === undefined) === (step.percent === undefined)) fail('give either a number of rows or a percentage.');
      if (step.rows !== undefined) num(step.rows, 'the number of rows', 0);
      if (step.percent !== undefined) num(step.percent, 'the percentage', 0, 100);
      if (!Number.isInteger(step.seed)) fail('the seed must be an integer.');
      if (step.stratifyBy) {
        find(step.stratifyBy);
        if (step.percent === undefined) fail('a stratified sample takes the same percentage of each group: sample by percent, or clear "Stratify by".');
        if (step.method === 'reservoir') fail('a stratified sample draws rows by hash: use the hash method, or clear "Stratify by".');
      }
      break;
    case 'filter':
      if (!step.sql && !step.conditions?.length) fail('add a condition or a SQL expression.');
      if (step.sql && expressionProblem(step.sql)) fail(`the condition must be one SQL expression, and ${expressionProblem(step.sql)}.`);
      for (const c of step.conditions ?? []) {
        const col = find(c.column);
        if (col && (c.op === '<' || c.op === '<=' || c.op === '>' || c.op === '>=') && typeof c.value === 'number') find(c.column, 'number');
        if (c.op === 'contains') find(c.column, 'text');
        if (c.op === 'in' && !c.values?.length) fail(`list the values "${c.column}" may take.`, c.column);
        if (c.op !== 'is-null' && c.op !== 'not-null' && c.op !== 'in' && c.value === undefined) fail(`type the value "${c.column}" is compared with.`, c.column);
      }
      break;
    case 'join': {
      if (!step.table) return fail('choose the table to join.');
      const right = tables(step.table);
      if (!right) return fail(`there is no table "${step.table}": load it first, or pick another table.`);
      if (!step.on?.length) fail('choose at least one pair of key columns.');
      for (const k of step.on) {
        const l = find(k.left);
        const r = find(k.right, undefined, right, step.table);
        if (l && r && l.type !== UNKNOWN_TYPE && typeFamily(l.type) !== typeFamily(r.type)) {
          fail(`key "${k.left}" is ${l.type} here but "${k.right}" is ${r.type} in "${step.table}": add a "change type" step so both keys have the same type.`, k.left);
        }
      }
      for (const c of joinRightColumns(step, cols, right)) addNew(c.as, right.find((x) => x.name === c.name)!.type);
      break;
    }
    case 'append':
      if (!step.tables?.length) fail('choose at least one table to append.');
      for (const t of step.tables) {
        const other = tables(t);
        if (!other) return fail(`there is no table "${t}": load it first, or pick another table.`);
        const missing = cols.filter((c) => !other.some((o) => o.name === c.name)).map((c) => `"${c.name}"`);
        const extra = other.filter((o) => !cols.some((c) => c.name === o.name)).map((o) => `"${o.name}"`);
        if (missing.length || extra.length) {
          fail(`"${t}" does not have the same columns${missing.length ? `; it lacks ${missing.join(', ')}` : ''}${extra.length ? `; it has extra ${extra.join(', ')}` : ''}: make both match (a "derive" step adds a missing column; the SQL console can rename or drop one).`);
        }
        for (const o of other) {
          const c = cols.find((x) => x.name === o.name)!;
          if (c.type !== UNKNOWN_TYPE && typeFamily(c.type) !== typeFamily(o.type)) fail(`column "${o.name}" is ${c.type} here but ${o.type} in "${t}": add a "change type" step so both match.`, o.name);
        }
      }
      break;
    case 'aggregate': {
      if (!step.measures?.length && !step.groupBy?.length) fail('choose the columns to group by and at least one measure.');
      const out: ColumnType[] = [];
      for (const g of step.groupBy ?? []) out.push({ ...find(g)! });
      for (const m of step.measures ?? []) {
        const needsNumber = m.fn === 'sum' || m.fn === 'mean' || m.fn === 'median' || m.fn === 'std';
        const c = m.column ? find(m.column, needsNumber ? 'number' : undefined) : undefined;
        if (!m.column && m.fn !== 'count') fail(`measure "${m.name}" (${m.fn}) needs a column.`);
        if ((m.fn === 'first' || m.fn === 'last') && !m.orderBy) fail(`measure "${m.name}" (${m.fn}) needs a column that orders the rows.`);
        if (m.orderBy) find(m.orderBy);
        if (out.some((o) => o.name === m.name) || !m.name) fail(`measure names must be unique and not empty ("${m.name}").`);
        const type = m.fn === 'count' || m.fn === 'count-distinct' ? 'BIGINT' : needsNumber ? 'DOUBLE' : (c?.type ?? UNKNOWN_TYPE);
        out.push({ name: m.name, type });
      }
      return { columns: out, open: false };
    }
  }
  return { columns: cols, open };
}

/**
 * Checks a whole recipe before anything runs: the source's columns against those recorded when
 * the recipe was made (re-applying to another month's table), then every enabled step in order.
 * Returns the columns after each step (undefined for disabled steps). Throws a RecipeError.
 */
export function validateRecipe(recipe: Recipe, source: ColumnType[], tables: TableColumns): (StepSchema | undefined)[] {
  const wanted = recipe.sourceColumns ?? [];
  const missing = wanted.filter((want) => !source.some((c) => c.name === want.name)).map((c) => `"${c.name}"`);
  if (missing.length === 1) {
    throw new RecipeError('invalid-argument', `"${recipe.source}" has no column ${missing[0]}, which the recipe was made with: rename the column in the file, or edit the steps that use it.`, { column: wanted.find((w) => `"${w.name}"` === missing[0])!.name });
  }
  if (missing.length > 1) {
    const shown = missing.length > 8 ? `${missing.slice(0, 8).join(', ')} and ${missing.length - 8} more` : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
    throw new RecipeError('invalid-argument', `"${recipe.source}" has none of the columns ${shown}, which the recipe was made with: is it the right table? Else rename the columns in the file, or edit the steps that use them.`, { column: wanted.find((w) => `"${w.name}"` === missing[0])!.name });
  }
  for (const want of wanted) {
    const got = source.find((c) => c.name === want.name)!;
    if (typeFamily(got.type) !== typeFamily(want.type)) {
      throw new RecipeError('invalid-argument', `column "${want.name}" of "${recipe.source}" is ${got.type}, but the recipe was made when it was ${want.type}: fix the type when loading the file (Dialect) or in the SQL console, then apply the recipe again.`, { column: want.name });
    }
  }
  let schema: StepSchema = { columns: source, open: false };
  return recipe.steps.map((s, i) => {
    if (!s.enabled) return undefined;
    schema = checkStep(s, i, schema, tables, s.id);
    return schema;
  });
}
