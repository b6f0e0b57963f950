import { runFlagsTable, type RunCounts } from '../../core/recipe/count-sql';
import { RecipeError } from '../../core/recipe/errors';
import type { DbConnector } from './connector';
import { asSentence, shortDuckMessage } from './query-error';
import type { PlannedStep } from './recipe-counts';
import { queryObjects, type StepCounts } from './recipe-report';
import { ident } from './sql';

/** The error for a cleaned table that could not be written (no step to blame). */
export function writeFailure(name: string, err: unknown): RecipeError {
  return new RecipeError('query-failed', `The cleaned table "${name}" could not be written: ${asSentence(shortDuckMessage(err instanceof Error ? err.message : String(err)))} The step views are kept: open them to find the step whose values fail, and change or disable it.`, { cause: err });
}

/** Writes `CREATE OR REPLACE <kind> name AS SELECT * FROM last` and answers the rows a table got. */
export async function writePlain(db: DbConnector, name: string, last: string, asView: boolean): Promise<number | undefined> {
  const t = await db.query(`CREATE OR REPLACE ${asView ? 'VIEW' : 'TABLE'} ${ident(name)} AS SELECT * FROM ${ident(last)}`);
  // CREATE TABLE … AS answers with the number of rows it wrote.
  return !asView && t.numRows === 1 && t.numCols === 1 ? Number(t.get(0)!.toArray()[0]) : undefined;
}

function addCounts(a: RunCounts, b: RunCounts): RunCounts {
  return {
    rowsIn: a.rowsIn + b.rowsIn,
    steps: a.steps.map((s, k) => ({
      cellsChanged: s.cellsChanged < 0 ? -1 : s.cellsChanged + b.steps[k].cellsChanged,
      failures: s.failures.map((f, i) => ({ ...f, failed: f.failed + b.steps[k].failures[i].failed, nonMissing: f.nonMissing + b.steps[k].failures[i].nonMissing })),
    })),
  };
}

/** The cleaned table written beside its old one, with the counts of the run that made it. */
export interface StagedOutput {
  /** The counts of each step of the run, in order. */
  counts: StepCounts[];
  rows: number;
  /** Drops the count columns and puts the table in place of `name` (a table or view of that name goes). */
  commit: (name: string, existing: 'table' | 'view' | undefined) => Promise<void>;
  /** Drops the staged table. */
  discard: () => Promise<void>;
}

/**
 * Writes the output of the recipe's last run of steps (views that keep every row, the last one
 * may drop rows: see runFlagsTable) into `staging`, with the run's counts as flag columns computed in the same pass, then counts them.
 * The counts otherwise take their own scan of the chain, as long as writing the table; the
 * previous cleaned table stays until `commit`, so a refusal found in the counts leaves it.
 * Throws what DuckDB threw (the caller counts the run step by step to name the failing one).
 */
export async function writeWithCounts(db: DbConnector, staging: string, run: readonly PlannedStep[], reporting: boolean): Promise<StagedOutput> {
  const names = [...new Set(run.flatMap((p) => [...p.inputColumns, ...p.outColumns].map((c) => c.name)))];
  const q = runFlagsTable(ident(run[0].input), run, reporting, names);
  const t0 = performance.now();
  const discard = async () => {
    await db.query(`DROP TABLE IF EXISTS ${ident(staging)}`);
  };
  try {
    await db.query(`CREATE OR REPLACE TABLE ${ident(staging)} AS ${q.select}`);
    const kept = q.read((await queryObjects(db, q.tally(ident(staging))))[0] ?? {});
    const dropped = q.dropped ? q.read((await queryObjects(db, q.dropped))[0] ?? {}) : undefined;
    const r = dropped ? addCounts(kept, dropped) : kept;
    const share = (performance.now() - t0) / 1000 / run.length;
    for (const p of run) p.seconds += share;
    return {
      counts: r.steps.map((s) => ({ rowsIn: reporting ? r.rowsIn : -1, ...s })),
      rows: kept.rowsIn,
      discard,
      commit: async (name, existing) => {
        const dropFlags = q.flagColumns.map((c) => `ALTER TABLE ${ident(staging)} DROP COLUMN ${c};`).join(' ');
        const dropOld = existing ? `DROP ${existing === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${ident(name)};` : '';
        try {
          await db.query(`BEGIN TRANSACTION; ${dropFlags} ${dropOld} ALTER TABLE ${ident(staging)} RENAME TO ${ident(name)}; COMMIT;`);
        } catch (err) {
          await db.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      },
    };
  } catch (err) {
    await discard().catch(() => undefined);
    throw err;
  }
}
