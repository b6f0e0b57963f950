import { beforeAll, describe, expect, it } from 'vitest';
import { columnChoices, UNKNOWN_TYPE } from '../../../src/core/recipe/schema';
import type { Recipe, RecipeStepBody } from '../../../src/core/recipe/types';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe, type AppliedStepReport } from '../../../src/services/db/recipe-run';
import { relationColumns } from '../../../src/services/db/recipe-report';
import { columnsBefore, recipePrefixKey, type RanColumns } from '../../../src/state/clean-columns';
import { freshDb } from '../helpers';
import { columnOf, loadFixtures, recipeOf } from './fixtures';

// Regression: a derived column's type is UNKNOWN in the typed schema, so the forms of steps that
// want a number or text never offered it, even after DuckDB had said what it was. Fixture people:
// ages 30, NULL, 40, 59, NULL (INTEGER); names ' alice ', 'BOB', 'carol jones', 'dave', 'eve'.
let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFixtures(db);
});

const names = (cols: { name: string }[]) => cols.map((c) => c.name);

/** Applies the recipe and keeps each step's columns the way the Clean room's state does. */
async function run(recipe: Recipe): Promise<{ ran: Record<string, RanColumns>; reports: AppliedStepReport[] }> {
  const source = await relationColumns(db, recipe.source);
  const ran: Record<string, RanColumns> = {};
  const reports: AppliedStepReport[] = [];
  await applyRecipe(db, recipe, {
    onStep: (r) => {
      reports.push(r);
      ran[r.stepId] = { key: recipePrefixKey(source, recipe.steps, r.index), columns: r.columns };
    },
  });
  return { ran, reports };
}

describe('derived columns in the type-filtered column lists', () => {
  const derive: RecipeStepBody[] = [
    { kind: 'derive', name: 'age2', expression: 'age * 2' },
    { kind: 'derive', name: 'name_up', expression: 'upper(name)' },
  ];

  it('before a run, an UNKNOWN derived column is offered in every type-filtered list', async () => {
    const recipe = recipeOf('people', ...derive);
    const cols = columnsBefore(2, recipe.steps, await relationColumns(db, 'people'), () => undefined, null, {});
    expect(cols.slice(-2)).toEqual([{ name: 'age2', type: UNKNOWN_TYPE }, { name: 'name_up', type: UNKNOWN_TYPE }]);
    expect(names(columnChoices('scale', cols))).toEqual(['id', 'age', 'spend', 'age2', 'name_up']);
    expect(names(columnChoices('parse-date', cols))).toEqual(['name', 'region', 'joined', 'score', 'age2', 'name_up']);
  });

  it('after a run, the lists see the types DuckDB gave the derived columns', async () => {
    const recipe = recipeOf('people', ...derive);
    const { ran, reports } = await run(recipe);
    // INTEGER * INTEGER_LITERAL is INTEGER in DuckDB; upper() of VARCHAR is VARCHAR.
    expect(reports[0].columns.at(-1)).toEqual({ name: 'age2', type: 'INTEGER' });
    const source = await relationColumns(db, 'people');
    const cols = columnsBefore(2, recipe.steps, source, () => undefined, null, ran);
    expect(cols.slice(-2)).toEqual([{ name: 'age2', type: 'INTEGER' }, { name: 'name_up', type: 'VARCHAR' }]);
    for (const kind of ['range-rule', 'outliers', 'scale', 'log1p', 'bin'] as const) expect(names(columnChoices(kind, cols))).toEqual(['id', 'age', 'spend', 'age2']);
    for (const kind of ['parse-date', 'text', 'map-values', 'regex-replace'] as const) expect(names(columnChoices(kind, cols))).toEqual(['name', 'region', 'joined', 'score', 'name_up']);

    // A changed step (or one before it) makes its run's columns stale: back to the prediction.
    const edited = recipe.steps.map((s, i) => (i === 0 ? { ...s, expression: 'name' } : s));
    expect(columnsBefore(2, edited, source, () => undefined, null, ran).slice(-2)).toEqual([{ name: 'age2', type: UNKNOWN_TYPE }, { name: 'name_up', type: UNKNOWN_TYPE }]);
    const other = [{ ...source[0], type: 'BIGINT' }, ...source.slice(1)];
    expect(columnsBefore(1, recipe.steps, other, () => undefined, null, ran).at(-1)).toEqual({ name: 'age2', type: UNKNOWN_TYPE });
  });

  it('scales a derived numeric column end to end (z-score and min-max, by hand)', async () => {
    // age2 = 60, NULL, 80, 118, NULL: mean 258/3 = 86; deviations −26, −6, 32; sample variance
    // (676 + 36 + 1024) / 2 = 868. Min-max: (x − 60) / 58.
    const recipe = recipeOf('people', derive[0], { kind: 'scale', column: 'age2', method: 'zscore', as: 'age2_z' }, { kind: 'scale', column: 'age2', method: 'minmax' });
    const r = await applyRecipe(db, recipe);
    const sd = Math.sqrt(868);
    const z = (await columnOf(db, r.output, 'age2_z')) as (number | null)[];
    [-26 / sd, null, -6 / sd, 32 / sd, null].forEach((want, i) => (want === null ? expect(z[i]).toBeNull() : expect(z[i]).toBeCloseTo(want, 12)));
    const mm = (await columnOf(db, r.output, 'age2')) as (number | null)[];
    [0, null, 20 / 58, 1, null].forEach((want, i) => (want === null ? expect(mm[i]).toBeNull() : expect(mm[i]).toBeCloseTo(want, 12)));
    expect(r.steps.map((s) => s.cellsChanged)).toEqual([0, 0, 3]);
    expect(r.recipe.steps[1]).toMatchObject({ fitted: { center: 86 } });
  });

  it('validation accepts a typed step on a derived column whose real type fits, and names one that does not', async () => {
    // Mean fill of age2: (60 + 80 + 118) / 3 = 86 in the two missing rows; trim of name_up.
    const ok = await applyRecipe(db, recipeOf('people', derive[0], derive[1], { kind: 'missing', column: 'age2', strategy: 'mean' }, { kind: 'text', column: 'name_up', op: 'trim' }));
    expect(await columnOf(db, ok.output, 'age2')).toEqual([60, 86, 80, 118, 86]);
    expect(await columnOf(db, ok.output, 'name_up')).toEqual(['ALICE', 'BOB', 'CAROL JONES', 'DAVE', 'EVE']);
    expect(ok.steps.map((s) => s.cellsChanged)).toEqual([0, 0, 2, 1]);

    const bad = applyRecipe(db, recipeOf('people', derive[1], { kind: 'scale', column: 'name_up', method: 'zscore' }));
    await expect(bad).rejects.toMatchObject({ stepIndex: 1, column: 'name_up' });
    await expect(bad).rejects.toThrow('step 2 (scale "name_up"): column "name_up" is VARCHAR, but this step needs a number');
  });
});
