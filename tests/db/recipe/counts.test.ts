import { beforeAll, describe, expect, it } from 'vitest';
import { RecipeError } from '../../../src/core/recipe/errors';
import type { RecipeStepBody } from '../../../src/core/recipe/types';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe } from '../../../src/services/db/recipe-run';
import { freshDb, rows } from '../helpers';
import { columnOf, loadFixtures, recipeOf } from './fixtures';

// The counts of several steps are read in one query per run of row-keeping steps; these pin
// that they are the numbers each step has on its own input (worked out by hand on the fixture:
// people ages 30, NULL, 40, 59, NULL; regions north, North, south, NULL, south).
let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFixtures(db);
});

describe('per-step counts read together', () => {
  it('counts each step over its own input, through steps that rewrite the same column', async () => {
    const steps: RecipeStepBody[] = [
      { kind: 'text', column: 'region', op: 'lower' }, // North → north: 1
      { kind: 'missing', column: 'region', strategy: 'constant', value: 'north' }, // the NULL: 1
      { kind: 'missing', column: 'age', strategy: 'mean' }, // two NULLs → 43
      { kind: 'encode', column: 'region', order: ['north', 'south'], start: 1 }, // text → code: all 5
      { kind: 'derive', name: 'older', expression: 'age > 40' }, // new column, no cells changed
      { kind: 'filter', conditions: [{ column: 'older', op: '=', value: true }] }, // 43, 43, 59 stay
      { kind: 'scale', column: 'age', method: 'minmax' }, // 3 rows in, all change
    ];
    const r = await applyRecipe(db, recipeOf('people', ...steps));
    expect(r.steps.map((s) => [s.rowsIn, s.rowsOut, s.cellsChanged])).toEqual([
      [5, 5, 1],
      [5, 5, 1],
      [5, 5, 2],
      [5, 5, 5],
      [5, 5, 0],
      [5, 3, 0],
      [3, 3, 3],
    ]);
    expect(r.rows).toBe(3);
    expect(await columnOf(db, r.output, 'region')).toEqual([1, 1, 2]);
  });

  it('counts an encoded text value as unchanged only where it reads as its own code', async () => {
    await db.query(`CREATE OR REPLACE TABLE codes AS SELECT * FROM (VALUES (1, '1'), (2, 'north'), (3, NULL), (4, 'x')) t(id, v)`);
    for (const as of [undefined, 'v2']) {
      for (const output of ['table', 'view'] as const) {
        const r = await applyRecipe(db, recipeOf('codes', { kind: 'encode', column: 'v', order: ['north', '1'], as }, { kind: 'scale', column: 'id', method: 'minmax' }), { output });
        // north → 0 and x → NULL change; '1' → 1 reads the same; NULL stays NULL. With `as`, v is kept.
        expect(r.steps[0].cellsChanged).toBe(as ? 0 : 2);
      }
    }
  });

  it('counts conversion failures of a cast in the middle of a run', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'text', column: 'score', op: 'trim' }, { kind: 'cast', column: 'score', to: 'INTEGER' }, { kind: 'missing', column: 'score', strategy: 'constant', value: 0 }));
    expect(r.steps[1].failures).toEqual([{ column: 'score', failed: 1, nonMissing: 4 }]);
    expect(r.steps[1].cellsChanged).toBe(1);
    expect(r.steps[2].cellsChanged).toBe(2);
  });

  it('names the earlier step when a cast converts nothing and a later expression fails at run time', async () => {
    const err = await applyRecipe(db, recipeOf('people', { kind: 'cast', column: 'name', to: 'INTEGER' }, { kind: 'derive', name: 'n', expression: 'CAST(region AS INTEGER)' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecipeError);
    expect(err).toMatchObject({ stepIndex: 0, column: 'name' });
    expect((err as Error).message).toContain('none of the 5 values of "name" could be converted');
  });

  it('names the step whose statistics cannot be computed after a cast that converted nothing', async () => {
    const err = await applyRecipe(db, recipeOf('people', { kind: 'cast', column: 'name', to: 'INTEGER' }, { kind: 'missing', column: 'name', strategy: 'mean' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ stepIndex: 0 });
  });
});

describe('counts read while the cleaned table is written', () => {
  it('counts steps before a last filter over every row, and the table has only the kept rows and columns', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'age', strategy: 'mean' }, { kind: 'text', column: 'name', op: 'trim' }, { kind: 'filter', conditions: [{ column: 'age', op: '>', value: 35 }] }));
    expect(r.steps.map((s) => [s.rowsIn, s.rowsOut, s.cellsChanged])).toEqual([[5, 5, 2], [5, 5, 1], [5, 4, 0]]);
    expect(r.rows).toBe(4);
    expect(r.columns.map((c) => c.name)).toEqual(['id', 'name', 'age', 'region', 'spend', 'joined', 'score']);
    expect(await columnOf(db, r.output, 'name')).toEqual(['BOB', 'carol jones', 'dave', 'eve']);
    expect((await rows(db, `SELECT table_name AS n FROM information_schema.tables WHERE table_name = '${r.output}__s0'`)).length).toBe(0);
  });
  it('ends in dropping rows with missing values or outliers', async () => {
    const drop = await applyRecipe(db, recipeOf('people', { kind: 'text', column: 'region', op: 'upper' }, { kind: 'missing', column: 'age', strategy: 'drop-rows' })); // 4 regions change case
    expect(drop.steps.map((s) => [s.rowsIn, s.rowsOut, s.cellsChanged])).toEqual([[5, 5, 4], [5, 3, 0]]);
    const out = await applyRecipe(db, recipeOf('people', { kind: 'cast', column: 'score', to: 'INTEGER' }, { kind: 'outliers', column: 'spend', method: 'iqr', action: 'drop' }), { report: false });
    expect(out.steps[0].failures).toEqual([{ column: 'score', failed: 1, nonMissing: 4 }]);
    expect(out.rows).toBe(4);
  });
  it('keeps the previous cleaned table when the counts refuse a step', async () => {
    const first = await applyRecipe(db, recipeOf('people', { kind: 'text', column: 'name', op: 'upper' }));
    const again = { ...first.recipe, steps: [...first.recipe.steps, { id: 'c', enabled: true, kind: 'cast' as const, column: 'name', to: 'INTEGER' as const }] };
    await expect(applyRecipe(db, again)).rejects.toThrow('none of the 5 values of "name" could be converted');
    expect(await columnOf(db, first.output, 'name')).toEqual([' ALICE ', 'BOB', 'CAROL JONES', 'DAVE', 'EVE']);
    expect((await rows(db, `SELECT table_name AS n FROM information_schema.tables WHERE table_name LIKE '${first.output}__s%' ORDER BY 1`)).map((x) => x.n)).toEqual([`${first.output}__s1`]);
  });
});

describe('remove duplicates', () => {
  it('keeps a table without duplicate rows as a view over it, in its order', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'dedupe' }, { kind: 'text', column: 'name', op: 'upper' }));
    expect(r.steps[0]).toMatchObject({ rowsIn: 5, rowsOut: 5 });
    expect(r.statements[0]).toMatch(/^CREATE OR REPLACE VIEW /);
    expect(await columnOf(db, r.output, 'id')).toEqual([1, 2, 3, 4, 5]);
  });
  it('proves no duplicates from a column that increases row by row, or else from one hash per row', async () => {
    await db.query(`CREATE OR REPLACE TABLE people_rev AS SELECT * FROM people ORDER BY id DESC`);
    for (const source of ['people', 'people_rev']) {
      const r = await applyRecipe(db, recipeOf(source, { kind: 'dedupe' }));
      expect(r.statements[0]).toMatch(/^CREATE OR REPLACE VIEW /);
      expect(r.rows).toBe(5);
    }
  });
  it('still removes duplicates, by every column or by keys', async () => {
    const all = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe' }));
    expect(all.steps[0]).toMatchObject({ rowsIn: 5, rowsOut: 4 });
    expect(await rows(db, `SELECT count(*)::INTEGER AS n FROM (SELECT DISTINCT * FROM ${all.output})`)).toEqual([{ n: 4 }]);
    const unique = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe', keys: ['oid', 'day'] }));
    expect(unique.steps[0]).toMatchObject({ rowsIn: 5, rowsOut: 4 });
    const none = await applyRecipe(db, recipeOf('people', { kind: 'dedupe', keys: ['id'] }));
    expect(none.steps[0]).toMatchObject({ rowsIn: 5, rowsOut: 5 });
  });
});
