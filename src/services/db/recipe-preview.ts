import { isRowLocal, pairedPreviewSql, previewPlan, removedRowsSql, type PreviewRows } from '../../core/recipe/preview-sql';
import type { ColumnType } from '../../core/recipe/types';
import type { DbConnector } from './connector';
import type { PlannedStep } from './recipe-counts';
import { previewRelation, type RelationPreview, type StepCounts } from './recipe-report';
import { tableToCells } from './rows';
import { ident } from './sql';

/** A step's before/after preview and which rows it shows. */
export interface StepPreviews {
  before: RelationPreview;
  after: RelationPreview;
  rows: PreviewRows;
}

/** The preview with the columns named in `first` moved to the front (in their order there). */
function columnsFirst(p: RelationPreview, first: readonly string[]): RelationPreview {
  const order = [...first.map((f) => p.columns.findIndex((c) => c.name === f)).filter((i) => i >= 0)];
  p.columns.forEach((_, i) => {
    if (!order.includes(i)) order.push(i);
  });
  return { ...p, columns: order.map((i) => p.columns[i]), rows: p.rows.map((r) => order.map((i) => r[i])) };
}

/** Up to `n` input rows and their output rows side by side (see pairedPreviewSql). */
async function pairedPreview(db: DbConnector, p: PlannedStep, n: number, onlyChanged: boolean): Promise<{ before: RelationPreview; after: RelationPreview }> {
  const q = pairedPreviewSql(ident(p.input), p.inputColumns, p.outColumns, p.compiled, p.recompile, isRowLocal(p.step), n, onlyChanged);
  const t = await db.query(q.sql);
  const names = t.schema.fields.map((f) => f.name);
  const at = (key: string) => names.indexOf(key);
  const cells = tableToCells(t);
  const pick = (keys: readonly string[]) => cells.map((row) => keys.map((k) => row[at(k)]));
  return {
    before: { columns: q.before, rows: pick(q.beforeKeys) },
    after: {
      columns: q.after,
      rows: pick(q.afterKeys),
      changed: cells.map((row) => q.changedKeys.map((k) => k !== null && row[at(k)] === 'true')),
    },
  };
}

/**
 * The preview of a planned step, `n` rows a side, from its counts (`rowsOut`: -1 when unknown):
 * for a step that keeps its rows, the rows it changed before and after (the first rows when it
 * changed none or only adds columns), the same rows on both sides; for a step that drops rows
 * through a WHERE, rows it removed beside the first rows it kept; else the first rows of each.
 * The after side lists the columns the step added or replaced first. Each query is LIMIT-ed: a
 * row-local step reads its input only until `n` changed rows turn up.
 */
export async function stepPreviews(db: DbConnector, p: PlannedStep, counts: StepCounts, rowsOut: number, n: number): Promise<StepPreviews> {
  const plan = previewPlan(p.compiled);
  if (plan === 'paired') {
    const rewrites = p.compiled.changes.length > 0;
    if (rewrites && counts.cellsChanged !== 0) {
      const changed = await pairedPreview(db, p, n, true);
      if (changed.before.rows.length) return { ...changed, rows: 'changed' };
    }
    return { ...(await pairedPreview(db, p, n, false)), rows: rewrites ? 'unchanged' : 'same' };
  }
  const inNames = new Set(p.inputColumns.map((c) => c.name));
  const added = p.outColumns.filter((c) => !inNames.has(c.name)).map((c) => c.name);
  const after = columnsFirst(await previewRelation(db, p.relation, n), added);
  if (plan === 'removed' && !(rowsOut >= 0 && rowsOut === counts.rowsIn)) {
    const t = await db.query(removedRowsSql(ident(p.input), p.inputColumns, p.compiled.where!, n));
    const columns: ColumnType[] = [...p.inputColumns];
    if (t.numRows) return { before: { columns, rows: tableToCells(t) }, after, rows: 'removed' };
  }
  return { before: await previewRelation(db, p.input, n), after, rows: 'first' };
}
