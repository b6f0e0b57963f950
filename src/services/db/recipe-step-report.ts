import { joinReportSql } from '../../core/recipe/compile-shape';
import type { PreviewRows } from '../../core/recipe/preview-sql';
import type { ColumnType } from '../../core/recipe/types';
import type { DbConnector } from './connector';
import type { PlannedStep } from './recipe-counts';
import { stepPreviews } from './recipe-preview';
import { queryObjects, type RelationPreview, type StepCounts } from './recipe-report';
import { ident } from './sql';

/** Key-match report of a join step (counts of rows / key values). */
export interface JoinReport {
  unmatchedLeft: number;
  unmatchedRight: number;
  /** Key values that occur more than once on the left (input) side. */
  duplicateLeft: number;
  duplicateRight: number;
}

/** What one step did. */
export interface StepReport {
  stepId: string;
  index: number;
  /** The view (or table) the step created. */
  relation: string;
  rowsIn: number;
  rowsOut: number;
  /** Cells whose value the step replaced (columns the step rewrote in place). */
  cellsChanged: number;
  columnsAdded: string[];
  columnsRemoved: string[];
  /** Conversion failures of cast / parse-date steps: non-missing values that became NULL. */
  failures: { column: string; failed: number; nonMissing: number }[];
  join?: JoinReport;
  /** The statement that created the relation. */
  sql: string;
  /** Wall-clock seconds the step took: fit, create, previews, and its share of its run's count query. */
  seconds: number;
  /**
   * Rows before (the step's input) and after, when asked for: which rows, `previewRows` says
   * (the rows the step changed, the same on both sides, the rows it removed, or the first rows).
   */
  before?: RelationPreview;
  after?: RelationPreview;
  previewRows?: PreviewRows;
}

const names = (cols: ColumnType[]) => new Set(cols.map((c) => c.name));

/**
 * The report of a planned step from its counts: `nextRowsIn` is the next step's rows in (its
 * rows out when it drops rows; -1 when unknown yet). Adds the join's key-match report and
 * `preview` rows before/after when asked for (see stepPreviews); the queries' time is added to
 * the step's seconds.
 */
export async function stepReport(db: DbConnector, p: PlannedStep, counts: StepCounts, nextRowsIn: number, preview = 0): Promise<StepReport> {
  const t0 = performance.now();
  const [inNames, outNames] = [names(p.inputColumns), names(p.outColumns)];
  const report: StepReport = {
    stepId: p.step.id,
    index: p.index,
    relation: p.relation,
    rowsIn: counts.rowsIn,
    rowsOut: p.compiled.preservesRows ? counts.rowsIn : nextRowsIn,
    cellsChanged: counts.cellsChanged,
    columnsAdded: p.outColumns.filter((c) => !inNames.has(c.name)).map((c) => c.name),
    columnsRemoved: p.inputColumns.filter((c) => !outNames.has(c.name)).map((c) => c.name),
    failures: counts.failures,
    sql: p.sql,
    seconds: 0,
  };
  if (p.step.kind === 'join') {
    const o = (await queryObjects(db, joinReportSql(p.step, ident(p.input))))[0];
    report.join = { unmatchedLeft: Number(o.unmatched_left), unmatchedRight: Number(o.unmatched_right), duplicateLeft: Number(o.duplicate_left), duplicateRight: Number(o.duplicate_right) };
  }
  if (preview) {
    const previews = await stepPreviews(db, p, counts, report.rowsOut, preview);
    Object.assign(report, { before: previews.before, after: previews.after, previewRows: previews.rows });
  }
  p.seconds += (performance.now() - t0) / 1000;
  report.seconds = p.seconds;
  return report;
}
