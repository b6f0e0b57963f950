import { beforeAll, describe, expect, it } from 'vitest';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe } from '../../../src/services/db/recipe-run';
import { freshDb, rows } from '../helpers';
import { columnOf, loadFixtures, recipeOf } from './fixtures';

// Hand-worked expectations on the fixture: spend 10, 20, 30, 1000, 40 (mean 220, sample variance
// 761000 / 4 = 190250, min 10, max 1000); ages 30, NULL, 40, 59, NULL.
let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFixtures(db);
  await db.query(`CREATE TABLE strata AS SELECT i AS id, CASE WHEN i <= 6 THEN 'A' ELSE 'B' END AS g FROM range(1, 11) t(i)`);
});

describe('transforms', () => {
  it('standardizes with the sample sd, and min-max scales', async () => {
    const z = await applyRecipe(db, recipeOf('people', { kind: 'scale', column: 'spend', method: 'zscore' }));
    const sd = Math.sqrt(190250);
    const got = (await columnOf(db, z.output, 'spend')) as number[];
    [10, 20, 30, 1000, 40].forEach((x, i) => expect(got[i]).toBeCloseTo((x - 220) / sd, 12));
    const mm = await applyRecipe(db, recipeOf('people', { kind: 'scale', column: 'spend', method: 'minmax', as: 'spend01' }));
    const m = (await columnOf(db, mm.output, 'spend01')) as number[];
    [0, 10 / 990, 20 / 990, 1, 30 / 990].forEach((x, i) => expect(m[i]).toBeCloseTo(x, 12));
    expect(mm.steps[0].columnsAdded).toEqual(['spend01']);
  });
  it('log1p', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'log1p', column: 'spend' }));
    const got = (await columnOf(db, r.output, 'spend')) as number[];
    [11, 21, 31, 1001, 41].forEach((x, i) => expect(got[i]).toBeCloseTo(Math.log(x), 12));
  });
  it('bins: equal width on ages 30..59 (edges 30, 39.67, 49.33, 59) and quantile halves of spend (median 30)', async () => {
    const ew = await applyRecipe(db, recipeOf('people', { kind: 'bin', column: 'age', method: 'equal-width', bins: 3 }));
    expect(await columnOf(db, ew.output, 'age')).toEqual([1, null, 2, 3, null]);
    const q = await applyRecipe(db, recipeOf('people', { kind: 'bin', column: 'spend', method: 'quantile', bins: 2, as: 'spend_half' }));
    expect(q.recipe.steps[0]).toMatchObject({ fitted: { edges: [10, 30, 1000] } });
    expect(await columnOf(db, q.output, 'spend_half')).toEqual([1, 1, 2, 2, 2]);
  });
  it('one-hot encodes sorted categories (NULL → all zeros)', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'one-hot', column: 'region' }));
    expect(r.steps[0].columnsAdded).toEqual(['region_North', 'region_north_2', 'region_south']);
    expect(r.steps[0].columnsRemoved).toEqual(['region']);
    expect(await columnOf(db, r.output, 'region_south')).toEqual([0, 0, 1, 0, 1]);
    expect(await columnOf(db, r.output, 'region_North')).toEqual([0, 1, 0, 0, 0]);
  });
  it('label-encodes with the mapping recorded, or by an explicit order', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'encode', column: 'region', start: 1 }));
    expect(r.recipe.steps[0]).toMatchObject({ fitted: { mapping: [{ value: 'North', code: 1 }, { value: 'north', code: 2 }, { value: 'south', code: 3 }] } });
    expect(await columnOf(db, r.output, 'region')).toEqual([2, 1, 3, null, 3]);
    const o = await applyRecipe(db, recipeOf('people', { kind: 'encode', column: 'region', order: ['south', 'north'] }));
    expect(await columnOf(db, o.output, 'region')).toEqual([1, null, 0, null, 0]);
  });
  it('derives a column from an expression', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'derive', name: 'double_spend', expression: 'spend * 2' }));
    expect(await columnOf(db, r.output, 'double_spend')).toEqual([20, 40, 60, 2000, 80]);
  });
});

describe('sampling and filters', () => {
  it('a hash sample is fixed (materialized) and the same for the same seed', async () => {
    const a = await applyRecipe(db, recipeOf('people', { kind: 'sample', rows: 2, seed: 7 }));
    const b = await applyRecipe(db, recipeOf('people', { kind: 'sample', rows: 2, seed: 7 }));
    expect(a.rows).toBe(2);
    expect(await columnOf(db, a.output, 'id')).toEqual(await columnOf(db, b.output, 'id'));
    const kind = await rows(db, `SELECT table_type FROM information_schema.tables WHERE table_name = '${a.steps[0].relation}'`);
    expect(kind[0].table_type).toBe('BASE TABLE');
    const pct = await applyRecipe(db, recipeOf('people', { kind: 'sample', percent: 40, seed: 1 }));
    expect(pct.rows).toBe(2);
  });
  it('a stratified 50% sample keeps half of each group (6 A → 3, 4 B → 2)', async () => {
    const r = await applyRecipe(db, recipeOf('strata', { kind: 'sample', percent: 50, seed: 3, stratifyBy: 'g' }));
    expect(await rows(db, `SELECT g, count(*) AS n FROM ${r.output} GROUP BY g ORDER BY g`)).toEqual([{ g: 'A', n: 3 }, { g: 'B', n: 2 }]);
  });
  it('DuckDB reservoir sampling with REPEATABLE', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'sample', rows: 3, seed: 5, method: 'reservoir' }));
    expect(r.rows).toBe(3);
    const pct = await applyRecipe(db, recipeOf('strata', { kind: 'sample', percent: 50, seed: 5, method: 'reservoir' }));
    expect(pct.rows).toBe(5);
  });
  it('filters by structured conditions or SQL', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'filter', conditions: [{ column: 'spend', op: '>', value: 15 }, { column: 'region', op: 'not-null' }] }));
    expect(await columnOf(db, r.output, 'id')).toEqual([2, 3, 5]);
    const any = await applyRecipe(db, recipeOf('people', { kind: 'filter', match: 'any', conditions: [{ column: 'region', op: 'in', values: ['north', 'North'] }, { column: 'name', op: 'contains', value: 'ev' }] }));
    expect(await columnOf(db, any.output, 'id')).toEqual([1, 2, 5]);
    const sql = await applyRecipe(db, recipeOf('people', { kind: 'filter', sql: 'age IS NULL' }));
    expect(await columnOf(db, sql.output, 'id')).toEqual([2, 5]);
  });
});

describe('integration', () => {
  it('joins with a key-match report (left, inner, full)', async () => {
    const on = [{ left: 'cid', right: 'id' }];
    const left = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe' }, { kind: 'join', table: 'people', how: 'left', on }));
    // orders after dedupe: cid 1, 1, 2, 9. people ids 1..5: 9 has no partner; 3, 4, 5 have no order; cid 1 repeats.
    expect(left.steps[1].join).toEqual({ unmatchedLeft: 1, unmatchedRight: 3, duplicateLeft: 1, duplicateRight: 0 });
    expect(left.rows).toBe(4);
    expect(await columnOf(db, left.output, 'name', 'oid')).toEqual([' alice ', ' alice ', 'BOB', null]);
    const inner = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe' }, { kind: 'join', table: 'people', how: 'inner', on }));
    expect(inner.rows).toBe(3);
    const full = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe' }, { kind: 'join', table: 'people', how: 'full', on }));
    expect(full.rows).toBe(7);
  });
  it('same-named keys appear once; clashing columns get the suffix', async () => {
    await db.query(`CREATE OR REPLACE TABLE cust AS SELECT id AS cid, name, 1 AS amount FROM people`);
    const r = await applyRecipe(db, recipeOf('orders', { kind: 'join', table: 'cust', how: 'full', on: [{ left: 'cid', right: 'cid' }] }));
    expect(r.columns.map((c) => c.name)).toEqual(['oid', 'cid', 'amount', 'day', 'name', 'amount_right']);
    expect(await columnOf(db, r.output, 'cid', 'cid')).toEqual([1, 1, 2, 3, 4, 5, 9, 9]);
  });
  it('joins on two keys', async () => {
    const r = await applyRecipe(db, recipeOf('orders', { kind: 'join', table: 'orders_feb', how: 'full', on: [{ left: 'cid', right: 'cid' }, { left: 'oid', right: 'oid' }] }));
    expect(r.steps[0].join).toEqual({ unmatchedLeft: 5, unmatchedRight: 1, duplicateLeft: 1, duplicateRight: 0 });
    expect(r.rows).toBe(6);
    expect(r.columns.map((c) => c.name)).toEqual(['oid', 'cid', 'amount', 'day', 'day_right', 'amount_right']);
  });
  it('appends tables by column name', async () => {
    const r = await applyRecipe(db, recipeOf('orders', { kind: 'append', tables: ['orders_feb'] }));
    expect(r.rows).toBe(6);
    expect(await columnOf(db, r.output, 'amount', 'day')).toEqual([10, 5, 7, 7, 20, 50]);
  });
  it('aggregates to one row per customer', async () => {
    const r = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe' }, {
      kind: 'aggregate', groupBy: ['cid'],
      measures: [{ name: 'orders', fn: 'count' }, { name: 'total', fn: 'sum', column: 'amount' }, { name: 'last_amount', fn: 'last', column: 'amount', orderBy: 'day' }, { name: 'avg', fn: 'mean', column: 'amount' }],
    }));
    expect(await rows(db, `SELECT * FROM ${r.output} ORDER BY cid`)).toEqual([
      { cid: 1, orders: 2, total: 30, last_amount: 20, avg: 15 },
      { cid: 2, orders: 1, total: 5, last_amount: 5, avg: 5 },
      { cid: 9, orders: 1, total: 7, last_amount: 7, avg: 7 },
    ]);
  });
});
