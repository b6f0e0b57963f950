import { beforeAll, describe, expect, it } from 'vitest';
import { RecipeError } from '../../../src/core/recipe/errors';
import type { Recipe, RecipeStepBody } from '../../../src/core/recipe/types';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe, type AppliedStepReport } from '../../../src/services/db/recipe-run';
import { freshDb, rows } from '../helpers';
import { columnOf, loadFixtures, recipeOf } from './fixtures';

// Regression: when a step failed, the steps before it lost their reports (applyRecipe called
// onStep only after the whole plan had been counted). Fixture people (by id): ages 30, NULL, 40,
// 59, NULL; regions north, North, south, NULL, south; spend 10, 20, 30, 1000, 40; names
// ' alice ', 'BOB', 'carol jones', 'dave', 'eve'; scores '5', 'x', '7', NULL, '9'.
let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFixtures(db);
});

/** Applies a recipe that must fail; answers its error and the reports onStep delivered. */
async function failing(recipe: Recipe, preview = 0): Promise<{ err: RecipeError; reports: AppliedStepReport[] }> {
  const reports: AppliedStepReport[] = [];
  try {
    await applyRecipe(db, recipe, { preview, onStep: (r) => reports.push(r) });
  } catch (err) {
    expect(err).toBeInstanceOf(RecipeError);
    return { err: err as RecipeError, reports };
  }
  throw new Error('expected the recipe to fail');
}

const summary = (reports: AppliedStepReport[]) => reports.map((r) => [r.stepId, r.rowsIn, r.rowsOut, r.cellsChanged]);

async function relations(prefix: string): Promise<string[]> {
  return (await rows(db, `SELECT table_name AS n FROM information_schema.tables WHERE table_name LIKE '${prefix}%' ORDER BY 1`)).map((r) => String(r.n));
}

const earlier: RecipeStepBody[] = [
  { kind: 'text', column: 'region', op: 'lower' }, // North → north: 1 cell
  { kind: 'missing', column: 'age', strategy: 'mean' }, // (30 + 40 + 59) / 3 = 43 in 2 cells
  { kind: 'filter', conditions: [{ column: 'spend', op: '<', value: 100 }] }, // drops dave: 5 → 4
  { kind: 'cast', column: 'score', to: 'INTEGER' }, // '5', 'x', '7', '9': 'x' fails, 1 of 4
];

describe('a failing step leaves the earlier steps their reports', () => {
  it('a cast refused for failing on every row: steps 1–4 are reported with their counts and previews', async () => {
    // The previous cleaned table of the same name must stay as it was.
    const good = await applyRecipe(db, recipeOf('people', earlier[0]));
    const recipe = { ...recipeOf('people', ...earlier, { kind: 'cast', column: 'name', to: 'INTEGER' }), name: good.output };
    const { err, reports } = await failing(recipe, 5);
    expect(err).toMatchObject({ stepIndex: 4, column: 'name' });
    expect(err.message).toContain('step 5 (change type "name"): none of the 4 values of "name" could be converted');
    expect(summary(reports)).toEqual([
      ['s1', 5, 5, 1],
      ['s2', 5, 5, 2],
      ['s3', 5, 4, 0],
      ['s4', 4, 4, 1],
    ]);
    expect(reports[3].failures).toEqual([{ column: 'score', failed: 1, nonMissing: 4 }]);
    // Previews were read while the views existed: the two filled ages (BOB's and eve's), the row
    // the filter removed (dave) and the four it kept.
    const at = (p: { columns: { name: string }[] }, name: string) => p.columns.findIndex((c) => c.name === name);
    const filled = reports[1].after!;
    expect(filled.rows.map((r) => [r[at(filled, 'id')], r[at(filled, 'age')]])).toEqual([['2', '43.0'], ['5', '43.0']]);
    expect(reports[2].before!.rows.map((r) => r[at(reports[2].before!, 'id')])).toEqual(['4']);
    expect(reports[2].after!.rows.map((r) => r[at(reports[2].after!, 'id')])).toEqual(['1', '2', '3', '5']);
    expect(reports[3].columns.find((c) => c.name === 'score')).toEqual({ name: 'score', type: 'INTEGER' });
    // Step views before the failing one stay; its own and later ones are gone; the output is the old one.
    expect(await relations(`${good.output}__`)).toEqual([1, 2, 3, 4].map((i) => `${good.output}__s${i}`));
    expect(await columnOf(db, good.output, 'region')).toEqual(['north', 'north', 'south', null, 'south']);
    expect(await columnOf(db, good.output, 'age')).toEqual([30, null, 40, 59, null]);
    expect(await columnOf(db, 'people', 'region')).toEqual(['north', 'North', 'south', null, 'south']);
  });

  it('a step DuckDB refuses when its view is created: the row-dropping step before it reports its rows out', async () => {
    const { err, reports } = await failing(recipeOf('people', { kind: 'filter', conditions: [{ column: 'age', op: 'not-null' }] }, { kind: 'derive', name: 'bad', expression: 'age * no_such_column' }));
    expect(err).toMatchObject({ code: 'query-failed', stepIndex: 1 });
    expect(summary(reports)).toEqual([['s1', 5, 3, 0]]);
  });

  it('a step that fails at run time while the cleaned table is written: the earlier steps of its run are reported', async () => {
    // The trim changes ' alice ' only; CAST('ALICE' AS INTEGER) fails when the rows are read.
    const { err, reports } = await failing(recipeOf('people', earlier[0], { kind: 'text', column: 'name', op: 'trim' }, { kind: 'derive', name: 'n', expression: 'CAST(name AS INTEGER)' }));
    expect(err).toMatchObject({ code: 'query-failed', stepIndex: 2 });
    expect(err.message).toMatch(/^step 3 \(derive "n"\) failed: /);
    expect(summary(reports)).toEqual([
      ['s1', 5, 5, 1],
      ['s2', 5, 5, 1],
    ]);
  });

  it('a typed step on a derived column DuckDB typed otherwise: refused at its turn, after the earlier steps report', async () => {
    // The schema cannot type upper(name) before the run, so only the run refuses the scale.
    const { err, reports } = await failing(recipeOf('people', earlier[1], earlier[2], { kind: 'derive', name: 'name_up', expression: 'upper(name)' }, { kind: 'scale', column: 'name_up', method: 'zscore' }));
    expect(err).toMatchObject({ stepIndex: 3, column: 'name_up' });
    expect(summary(reports)).toEqual([
      ['s1', 5, 5, 2],
      ['s2', 5, 4, 0],
      ['s3', 4, 4, 0],
    ]);
    expect(reports[2].columns.at(-1)).toEqual({ name: 'name_up', type: 'VARCHAR' });
  });
});
