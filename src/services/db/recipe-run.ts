import { AppError, throwIfAborted } from '../../core/errors';
import { compileStep, exportRecipeSql, recipeTables, stepStatement, type ScriptSources } from '../../core/recipe/compile';
import { compileDedupeWithoutDuplicates } from '../../core/recipe/compile-clean';
import { RecipeError } from '../../core/recipe/errors';
import { fitQuery, fitStep, needsFit } from '../../core/recipe/fit';
import { checkStep, UNKNOWN_TYPE, validateRecipe } from '../../core/recipe/schema';
import { describeStep, stepRelationName, type ColumnType, type Recipe, type RecipeStep } from '../../core/recipe/types';
import type { DbConnector } from './connector';
import { asSentence, shortDuckMessage } from './query-error';
import { countPlannedSteps, countRuns, passesRows, refuseUnconverted, StepCountError, withoutDuplicates, type PlannedStep } from './recipe-counts';
import { writePlain, writeFailure, writeWithCounts, type StagedOutput } from './recipe-output';
import { countRows, dropRelation, queryObjects, relationColumns, relationKinds, type StepCounts } from './recipe-report';
import { stepReport, type StepReport } from './recipe-step-report';
import { ident } from './sql';

export type { JoinReport, StepReport } from './recipe-step-report';

/** A step's report as {@link applyRecipe} delivers it, with the columns its relation has. */
export interface AppliedStepReport extends StepReport {
  /**
   * The step's output columns with the types DuckDB gives them (read with DESCRIBE where the
   * typed schema cannot tell, e.g. a derived column), so later steps' forms can offer them.
   */
  columns: ColumnType[];
}

/** Options of {@link applyRecipe}. */
export interface ApplyOptions {
  /** Recompute frozen statistics even when the recipe already has them (e.g. for next month's file). */
  refit?: boolean;
  /** Rows of before/after preview per step (0, the default: none). */
  preview?: number;
  /**
   * 'table' (default): the cleaned result is written once as a table, fast to query again.
   * 'view': a view over the last step (no copy; every query recomputes the row-wise steps).
   */
  output?: 'table' | 'view';
  signal?: AbortSignal;
  /**
   * Called with each step's report, in order, once its counts are known (after every step's
   * relation exists). When a step fails, the steps before it are reported first (over their
   * views, which stay), then the error is thrown.
   */
  onStep?: (report: AppliedStepReport) => void;
  /**
   * false: replay without the per-step counts of rows and changed cells (reports hold -1 there),
   * e.g. re-applying a saved recipe to next month's file. Conversion failures are still counted
   * (a cast that fails on every row is still refused). Default true.
   */
  report?: boolean;
}

/** The result of applying a recipe. */
export interface ApplyResult {
  /** The recipe with frozen statistics and the source's columns recorded: save or export this one. */
  recipe: Recipe;
  steps: AppliedStepReport[];
  /** The cleaned table (`recipe.name`). */
  output: string;
  rows: number;
  columns: ColumnType[];
  /** Every statement run, in order (the same SQL the exported script holds). */
  statements: string[];
}

async function loadTableColumns(db: DbConnector, recipe: Recipe, kinds: Map<string, unknown>, sourceColumns?: ColumnType[]): Promise<Map<string, ColumnType[]>> {
  const map = new Map<string, ColumnType[]>();
  for (const t of recipeTables(recipe)) if (kinds.has(t)) map.set(t, t === recipe.source && sourceColumns ? sourceColumns : await relationColumns(db, t));
  return map;
}

/** Drops the step relations of a recipe from position `from` on (stale results of an earlier run). */
export async function dropRecipeSteps(db: DbConnector, recipe: Recipe, from = 0): Promise<void> {
  for (let i = from; i < recipe.steps.length; i++) await dropRelation(db, stepRelationName(recipe, i));
}

/** Where the cleaned table is written before it replaces the previous one: `<name>__s0`, beside the step relations. */
function stagingName(recipe: Recipe): string {
  return `${recipe.name}__s0`;
}

function stepFailure(err: unknown, step: RecipeStep, index: number): RecipeError {
  if (err instanceof RecipeError) return err;
  const column = 'column' in step ? step.column : undefined;
  const duck = shortDuckMessage(err instanceof Error ? err.message : String(err));
  return new RecipeError(
    'query-failed',
    `${describeStep(step, index)} failed: ${asSentence(duck)} Change or disable this step${column ? ` (column "${column}")` : ''}; the source table and the steps before it are unchanged.`,
    { cause: err, column, stepId: step.id, stepIndex: index },
  );
}

/**
 * Applies a recipe on `db`: validates it against the source's columns first; then for each
 * enabled step computes (or reuses) its frozen statistics and creates its view over the previous
 * step (a dedupe that finds no duplicate rows is a view too); then counts rows in/out, cells
 * changed and conversion failures — one query per run of row-keeping steps, the last run's
 * while the cleaned table `recipe.name` is written. A failing step throws a RecipeError naming
 * the step and the column with DuckDB's message; the steps before it are reported through
 * `onStep` first, its relation and later ones are dropped, the source and earlier steps stay as
 * they were, and the previous cleaned table is not replaced.
 * The output table `recipe.name` and the step relations `<name>__sN` are replaced when they
 * exist: pick a free name (services/db/sql.ts uniqueName) for a new recipe.
 */
export async function applyRecipe(db: DbConnector, recipe: Recipe, options: ApplyOptions = {}): Promise<ApplyResult> {
  const kinds = await relationKinds(db);
  const drop = async (name: string) => {
    const kind = kinds.get(name);
    if (kind) await db.query(`DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${ident(name)}`);
    kinds.delete(name);
  };
  if (!kinds.has(recipe.source)) {
    throw new AppError('not-found', `There is no table "${recipe.source}" to apply the recipe to: load the file first, or choose another table.`);
  }
  const inputs = recipeTables(recipe);
  const clash = inputs.find((t) => t === recipe.name || t === stagingName(recipe) || recipe.steps.some((_, i) => stepRelationName(recipe, i) === t));
  if (clash) throw new AppError('invalid-argument', `The cleaned table needs a name other than the table "${clash}" it reads: rename the recipe.`);
  const sourceColumns = await relationColumns(db, recipe.source);
  const tables = await loadTableColumns(db, recipe, kinds, sourceColumns);
  const lookup = (t: string) => tables.get(t);
  validateRecipe(recipe, sourceColumns, lookup);
  const reporting = options.report !== false;

  const steps: RecipeStep[] = recipe.steps.map((s) => ({ ...s }));
  const plan: PlannedStep[] = [];
  // Counts by step index as they become known (also those of a step refused for its counts),
  // and the steps whose report went out: a failure reports the steps before it first.
  const counted = new Map<number, StepCounts>();
  const delivered = new Set<number>();
  const check = (p: PlannedStep, c: StepCounts) => {
    counted.set(p.index, c);
    refuseUnconverted(p, c);
  };
  const report = async (p: PlannedStep, c: StepCounts, nextRowsIn: number): Promise<AppliedStepReport> => ({
    ...(await stepReport(db, p, c, nextRowsIn, options.preview)),
    columns: p.outColumns,
  });
  const deliver = (r: AppliedStepReport) => {
    delivered.add(r.index);
    options.onStep?.(r);
  };
  const reportEarlier = async (index: number) => {
    if (!options.onStep) return;
    // Counts go in step order and stop at the first failure, so every step before it was counted
    // (without `reporting`, steps with nothing to count were skipped: their counts are -1).
    const uncounted: StepCounts = { rowsIn: -1, cellsChanged: -1, failures: [] };
    const countsOf = (i: number | undefined) => (i === undefined ? undefined : (counted.get(i) ?? (reporting ? undefined : uncounted)));
    for (const [k, p] of plan.entries()) {
      const c = countsOf(p.index);
      if (p.index >= index || !c) break;
      if (delivered.has(p.index)) continue;
      const next = countsOf(plan[k + 1]?.index)?.rowsIn;
      const rowsOut = next ?? (reporting && !p.compiled.preservesRows ? await countRows(db, p.relation) : -1);
      deliver(await report(p, c, rowsOut));
    }
  };
  const fail = async (err: unknown, step: RecipeStep, index: number): Promise<never> => {
    // The views before `index` still exist here: their reports are read before they could go.
    await reportEarlier(index).catch(() => undefined);
    await dropRecipeSteps(db, recipe, index).catch(() => undefined);
    throw stepFailure(err, step, index);
  };
  const count = async (upTo: readonly PlannedStep[]) => {
    try {
      return await countPlannedSteps(db, upTo, reporting, check);
    } catch (err) {
      if (err instanceof StepCountError) return fail(err.failure, err.planned.step, err.planned.index);
      throw err;
    }
  };

  let input = recipe.source;
  let inputColumns = sourceColumns;
  for (let i = 0; i < steps.length; i++) {
    let step = steps[i];
    if (!step.enabled) {
      await drop(stepRelationName(recipe, i));
      continue;
    }
    throwIfAborted(options.signal);
    const t0 = performance.now();
    const relation = stepRelationName(recipe, i);
    try {
      checkStep(step, i, { columns: inputColumns, open: false }, lookup, step.id);
      if (needsFit(step) && (options.refit || !('fitted' in step && step.fitted))) {
        const q = fitQuery(step, ident(input));
        step = fitStep(step, q ? await queryObjects(db, q) : [], inputColumns, describeStep(step, i));
        steps[i] = step;
      }
      // Output columns from the typed schema; DESCRIBE only where DuckDB decides the type.
      const predicted = checkStep(step, i, { columns: inputColumns, open: false }, lookup, step.id).columns;
      const s = step;
      const columns = inputColumns;
      let recompile = (over: string) => compileStep(s, i, over, columns, (t) => tables.get(t));
      // Most files have no duplicate rows: then removing them changes nothing, and copying the
      // whole input into a table (DISTINCT, then write every column) would cost more than the
      // check. The exported script keeps the DISTINCT (its input may differ).
      if (s.kind === 'dedupe' && (await withoutDuplicates(db, s, ident(input), inputColumns))) recompile = compileDedupeWithoutDuplicates;
      const compiled = recompile(ident(input));
      const sql = stepStatement(relation, compiled);
      await drop(relation);
      await db.query(sql);
      kinds.set(relation, compiled.materialize ? 'table' : 'view');
      const described = step.kind === 'append' || predicted.some((c) => c.type === UNKNOWN_TYPE);
      const outColumns = described ? await relationColumns(db, relation) : predicted;
      plan.push({ index: i, step, relation, input, inputColumns, outColumns, compiled, recompile, sql, seconds: (performance.now() - t0) / 1000 });
      input = relation;
      inputColumns = outColumns;
    } catch (err) {
      // An earlier step's counts would have stopped the recipe before this one ran: they come first.
      await count(plan);
      await fail(err, step, i);
    }
  }

  throwIfAborted(options.signal);
  const asView = options.output === 'view';
  // The last run of row-keeping steps is counted while the cleaned table is written, when it
  // ends in a view that keeps every row or only drops some, and there is anything to count.
  const lastRun = countRuns(plan).at(-1) ?? [];
  const end = lastRun.at(-1)?.compiled;
  const fold = !asView && end !== undefined && (passesRows(end) || end.where !== undefined)
    && (reporting || lastRun.some((p) => p.compiled.failures.length + (p.compiled.probes?.length ?? 0) > 0));
  const counts = await count(fold ? plan.slice(0, plan.length - lastRun.length) : plan);
  let staged: StagedOutput | undefined;
  if (fold) {
    try {
      staged = await writeWithCounts(db, stagingName(recipe), lastRun, reporting);
    } catch (err) {
      await count(lastRun); // names the step whose expression failed, if one did
      throw writeFailure(recipe.name, err);
    }
    try {
      lastRun.forEach((p, i) => {
        check(p, staged!.counts[i]);
        counts.push(staged!.counts[i]);
      });
    } catch (err) {
      await staged.discard();
      if (err instanceof StepCountError) await fail(err.failure, err.planned.step, err.planned.index);
      throw err;
    }
  }

  const reports: AppliedStepReport[] = [];
  let written: number | undefined;
  const final = `CREATE OR REPLACE ${asView ? 'VIEW' : 'TABLE'} ${ident(recipe.name)} AS SELECT * FROM ${ident(input)}`;
  try {
    for (const [k, p] of plan.entries()) {
      throwIfAborted(options.signal);
      let r: AppliedStepReport;
      try {
        // Rows out: the next run's rows in (the last step's come from the cleaned table below).
        r = await report(p, counts[k], reporting && k + 1 < plan.length ? counts[k + 1].rowsIn : -1);
      } catch (err) {
        return await fail(err, p.step, p.index);
      }
      reports.push(r);
      if (r.rowsOut >= 0 || !reporting) deliver(r);
    }

    throwIfAborted(options.signal);
    try {
      if (staged) {
        await staged.commit(recipe.name, kinds.get(recipe.name));
        written = staged.rows;
      } else {
        if (kinds.get(recipe.name) === (asView ? 'table' : 'view')) await drop(recipe.name);
        written = await writePlain(db, recipe.name, input, asView);
      }
    } catch (err) {
      throw writeFailure(recipe.name, err);
    }
  } catch (err) {
    // Cancelled, or a step failed after the table was staged: the previous cleaned table stays.
    await staged?.discard().catch(() => undefined);
    throw err;
  }
  const last = reports.at(-1);
  const outputRows = async () => written ?? (await countRows(db, recipe.name));
  if (last && reporting && last.rowsOut < 0) {
    last.rowsOut = await outputRows();
    options.onStep?.(last);
  }
  const rows = last && last.rowsOut >= 0 ? last.rowsOut : await outputRows();
  return {
    recipe: { ...recipe, steps, sourceColumns },
    steps: reports,
    output: recipe.name,
    rows,
    columns: await relationColumns(db, recipe.name),
    statements: [...plan.map((p) => p.sql), final],
  };
}

/**
 * The standalone `.sql` script of an applied recipe (statistics frozen), reading its inputs from
 * CSV files (`sources.paths`, placeholders by default) — see exportRecipeSql.
 */
export async function exportRecipeScript(db: DbConnector, recipe: Recipe, sources: ScriptSources = {}): Promise<string> {
  const sourceColumns = recipe.sourceColumns ?? (await relationColumns(db, recipe.source));
  const tables = await loadTableColumns(db, recipe, await relationKinds(db));
  return exportRecipeSql(recipe, sourceColumns, (t) => tables.get(t), sources);
}
