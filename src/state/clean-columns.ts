import { appliedVersion, checkStep, type ColumnType, type Recipe, type RecipeStep, type StepSchema, type TableColumns } from '../core/recipe';

/**
 * The columns a run of the recipe found after one step (DuckDB's types, also of derived
 * columns), and the key of the recipe up to that step when it ran ({@link recipePrefixKey}):
 * they hold for the step while the source's columns and the steps up to it are unchanged.
 */
export interface RanColumns {
  key: string;
  columns: ColumnType[];
}

/** Keys of the recipe over `source` up to and including each step, in step order. */
function* prefixKeys(source: readonly ColumnType[], steps: readonly RecipeStep[]): Generator<string> {
  let key = JSON.stringify(source);
  for (const s of steps) {
    key += `\n${JSON.stringify(s)}`;
    yield key;
  }
}

/** The key of the recipe over `source` up to and including step `index`. */
export function recipePrefixKey(source: readonly ColumnType[], steps: readonly RecipeStep[], index: number): string {
  let i = 0;
  for (const key of prefixKeys(source, steps)) if (i++ === index) return key;
  throw new RangeError(`no step ${index + 1} in a recipe of ${steps.length}`);
}

/**
 * The columns going into step `index` (`steps.length`: after the last step). After a step the
 * last run found its columns for, those columns with DuckDB's types (`ran`, by step id, while
 * current); else the typed schema's prediction (a derived column is UNKNOWN there), from the
 * applied recipe's fitted step when its settings are the same. A step that does not check keeps
 * its input's columns (its own error is shown beside it).
 */
export function columnsBefore(
  index: number,
  steps: readonly RecipeStep[],
  source: ColumnType[],
  tables: TableColumns,
  applied: Recipe | null,
  ran: Readonly<Record<string, RanColumns>>,
): ColumnType[] {
  let schema: StepSchema = { columns: source, open: false };
  let i = 0;
  for (const key of prefixKeys(source, steps.slice(0, index))) {
    const s = steps[i];
    if (s.enabled) {
      const found = ran[s.id];
      if (found && found.key === key) schema = { columns: found.columns, open: false };
      else {
        try {
          schema = checkStep(appliedVersion(applied, s) ?? s, i, schema, tables);
        } catch {
          // Keep the input's columns.
        }
      }
    }
    i++;
  }
  return schema.columns;
}
