/**
 * Recipe → DuckDB SQL. Each enabled step becomes `CREATE OR REPLACE VIEW <name>__sN AS SELECT …
 * FROM <previous>`, and the recipe ends with `CREATE OR REPLACE TABLE <name> AS SELECT * FROM
 * <last>`. A step is a TABLE instead where a view would be wrong or slow: a sample (it must stay
 * fixed) and steps that read whole rows (duplicates, fill from the previous row, join, append,
 * aggregate) — otherwise every later step and count would recompute them, since DuckDB can prune
 * unused columns through row-wise views but not through a DISTINCT, a window or a join. (When
 * the recipe runs, a dedupe whose input provably has no duplicate rows is a plain view instead:
 * services/db/recipe-run.ts. The exported script keeps the DISTINCT.)
 *
 * Frozen statistics (design choice): a step that needs statistics (a mean to fill with, IQR
 * fences, min/max, categories, a label mapping) is compiled from its `fitted` values as SQL
 * literals, never from a sub-query. The statistics are computed once, when the recipe is applied
 * (services/db/recipe-run.ts), on that step's input. So (1) the exported `.sql` script
 * reproduces exactly the table the analyst saw, even on another engine; (2) re-applying the
 * recipe to next month's file uses last month's statistics unless the caller asks for a refit
 * (`applyRecipe(…, { refit: true })`) — both modes exist and the choice is explicit; (3) the
 * JSON recipe records what was computed, so a reviewer can read the mean that filled `age`.
 */
import { compileCleanStep, type CompiledStep } from './compile-clean';
import { compileShapeStep } from './compile-shape';
import { RecipeError } from './errors';
import { validateRecipe, type TableColumns } from './schema';
import { ident, literal, safeTypeName } from './sql-text';
import { describeStep, stepRelationName, type ColumnType, type Recipe, type RecipeStepBody } from './types';

export type { CompiledStep } from './compile-clean';

/** Compiles one step over `input` (a quoted relation) whose columns are `columns`. */
export function compileStep(step: RecipeStepBody, index: number, input: string, columns: ColumnType[], tableColumns: TableColumns): CompiledStep {
  const where = describeStep(step, index);
  const right = (t: string): ColumnType[] => {
    const cols = tableColumns(t);
    if (!cols) throw new RecipeError('invalid-argument', `${where}: there is no table "${t}": load it first, or pick another table.`, { stepIndex: index });
    return cols;
  };
  return compileCleanStep(step, input, columns, where) ?? compileShapeStep(step, input, columns, where, right);
}

/** The statement that creates a step's relation. */
export function stepStatement(name: string, compiled: CompiledStep): string {
  return `CREATE OR REPLACE ${compiled.materialize ? 'TABLE' : 'VIEW'} ${ident(name)} AS ${compiled.select}`;
}

/** One compiled statement of a recipe: the step it belongs to (−1 for the final table). */
export interface RecipeStatement {
  stepIndex: number;
  name: string;
  sql: string;
}

/**
 * Compiles a fitted recipe to statements (no engine needed): validates it against the source's
 * columns, then one statement per enabled step and the final table. Throws a RecipeError when a
 * step is invalid or not fitted yet.
 */
export function compileRecipe(recipe: Recipe, source: ColumnType[], tableColumns: TableColumns): RecipeStatement[] {
  const schemas = validateRecipe(recipe, source, tableColumns);
  const out: RecipeStatement[] = [];
  let input = recipe.source;
  let columns = source;
  recipe.steps.forEach((step, i) => {
    const schema = schemas[i];
    if (!step.enabled || !schema) return;
    const name = stepRelationName(recipe, i);
    out.push({ stepIndex: i, name, sql: stepStatement(name, compileStep(step, i, ident(input), columns, tableColumns)) });
    input = name;
    columns = schema.columns;
  });
  out.push({ stepIndex: -1, name: recipe.name, sql: `CREATE OR REPLACE TABLE ${ident(recipe.name)} AS SELECT * FROM ${ident(input)}` });
  return out;
}

/** Where the exported script reads each table from. */
export interface ScriptSources {
  /** CSV path per table name; a table not listed reads `<table>.csv`; `null` means "already in the database". */
  paths?: Record<string, string | null>;
}

/** Every table a recipe reads: its source, then joined and appended tables. */
export function recipeTables(recipe: Recipe): string[] {
  const names = [recipe.source];
  for (const s of recipe.steps) {
    if (!s.enabled) continue;
    if (s.kind === 'join') names.push(s.table);
    if (s.kind === 'append') names.push(...s.tables);
  }
  return [...new Set(names)];
}

/**
 * A standalone `.sql` script for the DuckDB CLI (`duckdb < recipe.sql`): creates each input table
 * from a CSV with read_csv (placeholder paths unless given; columns cast to the types they had
 * in the app when known), then the step views and the cleaned table. Uses only core DuckDB SQL
 * (no wasm-only functions).
 */
export function exportRecipeSql(recipe: Recipe, source: ColumnType[], tableColumns: TableColumns, sources: ScriptSources = {}): string {
  const statements = compileRecipe(recipe, source, tableColumns);
  const lines = [
    `-- Clientele recipe "${recipe.name}" (format version ${recipe.version}) over "${recipe.source}".`,
    '-- Runs unchanged in the DuckDB CLI: duckdb my.db < this-file.sql',
    '-- Statistics (fill values, fences, scales, categories) were computed when the recipe was',
    '-- applied in Clientele and are frozen below as literals, so this reproduces that result.',
    '',
  ];
  for (const t of recipeTables(recipe)) {
    const path = sources.paths && t in sources.paths ? sources.paths[t] : `${t}.csv`;
    if (path === null) {
      lines.push(`-- "${t}" must already exist in the database.`);
      continue;
    }
    const cols = t === recipe.source ? source : tableColumns(t);
    const select = cols?.length ? cols.map((c) => `CAST(${ident(c.name)} AS ${safeTypeName(c.type)}) AS ${ident(c.name)}`).join(', ') : '*';
    lines.push(`-- Input table "${t}": replace the path with your file.`);
    lines.push(`CREATE OR REPLACE TABLE ${ident(t)} AS SELECT ${select} FROM read_csv(${literal(path)});`);
  }
  const drops: string[] = [];
  for (const s of statements) {
    const step = recipe.steps[s.stepIndex];
    lines.push('', step ? `-- ${describeStep(step, s.stepIndex)} [${step.id}]` : '-- the cleaned table', `${s.sql};`);
    const kind = step ? /^CREATE OR REPLACE (VIEW|TABLE) /.exec(s.sql)?.[1] : undefined;
    if (kind) drops.unshift(`DROP ${kind} IF EXISTS ${ident(stepRelationName(recipe, s.stepIndex))};`);
  }
  // The steps' views and tables did their work once the cleaned table is written (each reads the one before it: dropped last first).
  if (drops.length) lines.push('', '-- The intermediate step views and tables are no longer needed.', ...drops);
  return `${lines.join('\n')}\n`;
}
