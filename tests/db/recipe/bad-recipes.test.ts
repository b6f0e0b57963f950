import { beforeAll, describe, expect, it } from 'vitest';
import { RecipeError } from '../../../src/core/recipe/errors';
import { withSource } from '../../../src/core/recipe/recipe-json';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe } from '../../../src/services/db/recipe-run';
import { freshDb, rows } from '../helpers';
import { columnOf, loadFixtures, recipeOf } from './fixtures';

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFixtures(db);
});

async function failure(p: Promise<unknown>): Promise<RecipeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RecipeError);
    return err as RecipeError;
  }
  throw new Error('expected the recipe to fail');
}

async function relations(): Promise<string[]> {
  return (await rows(db, `SELECT table_name AS n FROM information_schema.tables ORDER BY 1`)).map((r) => String(r.n));
}

/** The fixture tables, unchanged. */
async function expectPeopleIntact() {
  expect(await columnOf(db, 'people', 'name')).toEqual([' alice ', 'BOB', 'carol jones', 'dave', 'eve']);
  expect(await columnOf(db, 'people', 'age')).toEqual([30, null, 40, 59, null]);
}

describe('bad recipes give a clear message and leave the data as it was', () => {
  it('a step on a column an earlier step dropped fails validation before anything runs', async () => {
    const before = await relations();
    const recipe = recipeOf('people', { kind: 'aggregate', groupBy: ['region'], measures: [{ name: 'n', fn: 'count' }] }, { kind: 'missing', column: 'age', strategy: 'mean' });
    const err = await failure(applyRecipe(db, recipe));
    expect(err.message).toMatch(/^step 2 \(missing values "age"\): column "age" does not exist: it was dropped or renamed by an earlier step/);
    expect(err).toMatchObject({ code: 'invalid-argument', column: 'age', stepId: 's2', stepIndex: 1 });
    expect(await relations()).toEqual(before);
    await expectPeopleIntact();
  });

  it('a cast that fails on every row', async () => {
    const before = await relations();
    const err = await failure(applyRecipe(db, recipeOf('people', { kind: 'text', column: 'name', op: 'trim' }, { kind: 'cast', column: 'name', to: 'INTEGER' })));
    expect(err.message).toContain('step 2 (change type "name"): none of the 5 values of "name" could be converted');
    expect(err).toMatchObject({ column: 'name', stepIndex: 1 });
    // Step 1's view stays (earlier steps intact); nothing else was created.
    const after = await relations();
    expect(after.filter((r) => !before.includes(r))).toHaveLength(1);
    await expectPeopleIntact();
  });

  it('a join on keys of different types', async () => {
    const err = await failure(applyRecipe(db, recipeOf('orders', { kind: 'join', table: 'orders_text', how: 'left', on: [{ left: 'cid', right: 'cid' }] })));
    expect(err.message).toBe('step 1 (join "orders_text"): key "cid" is INTEGER here but "cid" is VARCHAR in "orders_text": add a "change type" step so both keys have the same type.');
  });

  it('appending a table whose columns differ in type', async () => {
    const err = await failure(applyRecipe(db, recipeOf('orders', { kind: 'append', tables: ['orders_text'] })));
    expect(err.message).toBe('step 1 (append tables): column "cid" is INTEGER here but VARCHAR in "orders_text": add a "change type" step so both match.');
  });

  it('a step that needs a number on a text column, and a join to a missing table', async () => {
    const err = await failure(applyRecipe(db, recipeOf('people', { kind: 'outliers', column: 'name', method: 'iqr', action: 'clip' })));
    expect(err.message).toContain('column "name" is VARCHAR, but this step needs a number');
    const join = await failure(applyRecipe(db, recipeOf('people', { kind: 'join', table: 'nope', how: 'left', on: [{ left: 'id', right: 'id' }] })));
    expect(join.message).toContain('there is no table "nope"');
  });

  it('a DuckDB error at run time names the step, keeps earlier steps and the previous cleaned table', async () => {
    const good = recipeOf('people', { kind: 'text', column: 'name', op: 'trim' });
    await applyRecipe(db, good);
    const bad = { ...good, steps: [...good.steps, { id: 'bad', enabled: true, kind: 'derive' as const, name: 'n', expression: 'CAST(name AS INTEGER)' }] };
    const err = await failure(applyRecipe(db, bad));
    expect(err.message).toMatch(/^step 2 \(derive "n"\) failed: Conversion Error: .*alice.*Change or disable this step; the source table and the steps before it are unchanged\.$/s);
    expect(err).toMatchObject({ code: 'query-failed', stepId: 'bad' });
    expect(await columnOf(db, `${good.name}__s1`, 'name')).toEqual(['alice', 'BOB', 'carol jones', 'dave', 'eve']);
    expect(await columnOf(db, good.name, 'name')).toEqual(['alice', 'BOB', 'carol jones', 'dave', 'eve']);
    expect((await relations()).includes(`${good.name}__s2`)).toBe(false);
    await expectPeopleIntact();
  });

  it("ends DuckDB's message with one stop, whatever punctuation it ends in", async () => {
    for (const expression of ['nosuch_function(age)', 'age + no_such_column']) {
      const bad = recipeOf('people', { kind: 'derive', name: 'n', expression });
      const err = await failure(applyRecipe(db, bad));
      expect(err.message).toMatch(/^step 1 \(derive "n"\) failed: .+ Change or disable this step;/s);
      expect(err.message).not.toMatch(/[.!?]\. Change or disable/);
    }
  });
});

describe('outputs', () => {
  it('refuses an output name that would overwrite a table the recipe reads', async () => {
    const r = { ...recipeOf('orders', { kind: 'join', table: 'people', how: 'left', on: [{ left: 'cid', right: 'id' }] }), name: 'people' };
    await expect(applyRecipe(db, r)).rejects.toThrow('The cleaned table needs a name other than the table "people" it reads: rename the recipe.');
    await expectPeopleIntact();
  });
  it('can end in a view instead of a table, and shows before/after previews', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'text', column: 'name', op: 'upper' }), { output: 'view', preview: 2 });
    expect((await rows(db, `SELECT table_type AS t FROM information_schema.tables WHERE table_name = '${r.output}'`))[0].t).toBe('VIEW');
    // The rows upper() changed ('BOB' is upper case already), the step's column first.
    expect(r.steps[0].before?.rows.map((x) => x[0])).toEqual([' alice ', 'carol jones']);
    expect(r.steps[0].after?.rows.map((x) => x[0])).toEqual([' ALICE ', 'CAROL JONES']);
    expect(r.steps[0].after?.columns.slice(0, 3)).toEqual([{ name: 'name', type: 'VARCHAR' }, { name: 'id', type: 'INTEGER' }, { name: 'age', type: 'INTEGER' }]);
  });
});

describe('re-applying a recipe to another table', () => {
  it('reuses frozen statistics unless asked to refit', async () => {
    const first = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'age', strategy: 'mean' }));
    await db.query(`CREATE OR REPLACE TABLE people_dec AS SELECT * REPLACE (CASE WHEN age IS NULL THEN NULL ELSE 10 END AS age) FROM people`);
    const frozen = await applyRecipe(db, withSource(first.recipe, 'people_dec', 'dec_frozen'));
    expect(frozen.recipe.steps[0]).toMatchObject({ fitted: { value: 43 } });
    expect(await columnOf(db, 'dec_frozen', 'age')).toEqual([10, 43, 10, 10, 43]);
    const refit = await applyRecipe(db, withSource(first.recipe, 'people_dec', 'dec_refit'), { refit: true });
    expect(refit.recipe.steps[0]).toMatchObject({ fitted: { value: 10 } });
    expect(await columnOf(db, 'dec_refit', 'age')).toEqual([10, 10, 10, 10, 10]);
  });

  it('names a missing or retyped column', async () => {
    const first = await applyRecipe(db, recipeOf('people', { kind: 'text', column: 'name', op: 'trim' }));
    await db.query(`CREATE OR REPLACE TABLE people_noage AS SELECT * EXCLUDE (age) FROM people`);
    const missing = await failure(applyRecipe(db, withSource(first.recipe, 'people_noage', 'x1')));
    expect(missing.message).toBe('"people_noage" has no column "age", which the recipe was made with: rename the column in the file, or edit the steps that use it.');
    await db.query(`CREATE OR REPLACE TABLE people_txt AS SELECT * REPLACE (age::VARCHAR AS age) FROM people`);
    const retyped = await failure(applyRecipe(db, withSource(first.recipe, 'people_txt', 'x2')));
    expect(retyped.message).toContain('column "age" of "people_txt" is VARCHAR, but the recipe was made when it was INTEGER');
    expect(retyped.column).toBe('age');
  });
});
