import type { CompiledStep } from '../../core/recipe/compile';
import { runCountQuery, type CountedStep } from '../../core/recipe/count-sql';
import { duplicateCheckSql, increasingColumnSql } from '../../core/recipe/compile-clean';
import { RecipeError } from '../../core/recipe/errors';
import { describeStep, type ColumnType, type DedupeStep, type RecipeStep } from '../../core/recipe/types';
import type { DbConnector } from './connector';
import { queryObjects, stepCounts, type StepCounts } from './recipe-report';
import { ident } from './sql';

/** An enabled step once its relation exists: what the counts and the report need. */
export interface PlannedStep extends CountedStep {
  index: number;
  step: RecipeStep;
  /** The step's view or table, and the relation it reads (names, unquoted). */
  relation: string;
  input: string;
  inputColumns: ColumnType[];
  outColumns: ColumnType[];
  sql: string;
  /** Seconds spent on this step so far (fit, create, its share of the counts, previews). */
  seconds: number;
}

/** A count query failed at a step (a run-time error in one of its expressions). */
export class StepCountError extends Error {
  constructor(readonly planned: PlannedStep, readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/**
 * True when removing duplicates from `input` would remove nothing: a column that increases row
 * by row proves it in one streaming pass; else one hash per row tells.
 */
export async function withoutDuplicates(db: DbConnector, step: DedupeStep, input: string, columns: ColumnType[]): Promise<boolean> {
  const probe = increasingColumnSql(step, input, columns);
  if (probe && (await queryObjects(db, probe))[0]?.unique === true) return true;
  return !(await queryObjects(db, duplicateCheckSql(step, input, columns)))[0]?.n;
}


/**
 * Throws (as a StepCountError) when a step's counts show a conversion that turned every
 * non-missing value into NULL: such a cast is refused at its step rather than run on.
 */
export function refuseUnconverted(p: PlannedStep, counts: StepCounts): void {
  const allFailed = counts.failures.find((f) => f.nonMissing > 0 && f.failed === f.nonMissing);
  if (!allFailed) return;
  throw new StepCountError(p, new RecipeError(
    'invalid-argument',
    `${describeStep(p.step, p.index)}: none of the ${allFailed.nonMissing.toLocaleString('en-US')} values of "${allFailed.column}" could be converted: ${p.step.kind === 'parse-date' ? 'check the date format (e.g. %d/%m/%Y) against a few values' : 'check the target type against a few values'} (the Data room's profile shows the column's top values), or remove the step.`,
    { column: allFailed.column, stepId: p.step.id, stepIndex: p.index },
  ));
}

/** True when later steps can read this step's rows inline: a view that keeps every row. */
export function passesRows(c: CompiledStep): boolean {
  return c.preservesRows && !c.materialize;
}

/**
 * Runs of consecutive planned steps that one count query covers: every step of a run but the
 * last passes its rows through unchanged, so each step's input rows are the run's first input.
 */
export function countRuns(plan: readonly PlannedStep[]): PlannedStep[][] {
  const runs: PlannedStep[][] = [];
  let run: PlannedStep[] = [];
  for (const p of plan) {
    run.push(p);
    if (!passesRows(p.compiled)) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * Counts of the planned steps, in order: per run one query (rows in, cells changed when
 * `reporting`, conversion failures, probes); `check` sees each step's counts in step order and
 * may throw (a cast that failed on every row). When a run's query fails, its steps are counted
 * one by one so the error names its step (a StepCountError). Without `reporting`, steps with no
 * failures or probes to count are not read at all (rows in and cells changed are -1).
 */
export async function countPlannedSteps(
  db: DbConnector,
  plan: readonly PlannedStep[],
  reporting: boolean,
  check: (p: PlannedStep, counts: StepCounts) => void,
): Promise<StepCounts[]> {
  const out: StepCounts[] = [];
  for (const run of countRuns(plan)) {
    const needed = reporting || run.some((p) => p.compiled.failures.length + (p.compiled.probes?.length ?? 0) > 0);
    if (!needed) {
      out.push(...run.map(() => ({ rowsIn: -1, cellsChanged: -1, failures: [] })));
      continue;
    }
    const t0 = performance.now();
    const names = [...new Set(run.flatMap((p) => [...p.inputColumns, ...p.outColumns].map((c) => c.name)))];
    const q = runCountQuery(ident(run[0].input), run, reporting, names);
    let counts: StepCounts[];
    let checked = false;
    try {
      const r = q.read((await queryObjects(db, q.sql))[0] ?? {});
      counts = r.steps.map((s) => ({ rowsIn: reporting ? r.rowsIn : -1, ...s }));
    } catch {
      // A run-time error somewhere in the run: count step by step, as the error must name its step
      // (and an earlier step's refusal comes first).
      counts = [];
      checked = true;
      for (const p of run) {
        const counted = reporting || p.compiled.failures.length + (p.compiled.probes?.length ?? 0) > 0;
        const c = counted
          ? await stepCounts(db, p.input, reporting ? p.compiled : { ...p.compiled, changes: [] }).catch((err: unknown) => {
            throw new StepCountError(p, err);
          })
          : { rowsIn: -1, cellsChanged: -1, failures: [] };
        if (!reporting) Object.assign(c, { rowsIn: -1, cellsChanged: -1 });
        check(p, c);
        counts.push(c);
      }
    }
    const share = (performance.now() - t0) / 1000 / run.length;
    run.forEach((p, i) => {
      if (!checked) check(p, counts[i]);
      p.seconds += share;
    });
    out.push(...counts);
  }
  return out;
}
