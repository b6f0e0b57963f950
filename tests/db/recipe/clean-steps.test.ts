import { beforeAll, describe, expect, it } from 'vitest';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe } from '../../../src/services/db/recipe-run';
import { freshDb, rows } from '../helpers';
import { columnOf, loadFixtures, recipeOf } from './fixtures';

// Expected values are worked out by hand from each method's definition on the fixture
// (people: ages 30, NULL, 40, 59, NULL; spend 10, 20, 30, 1000, 40), not computed by our code.
let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await loadFixtures(db);
});

describe('missing values', () => {
  it('fills with the mean (30+40+59)/3 = 43, frozen into the recipe', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'age', strategy: 'mean' }));
    expect(await columnOf(db, r.output, 'age')).toEqual([30, 43, 40, 59, 43]);
    expect(r.steps[0].cellsChanged).toBe(2);
    expect(r.recipe.steps[0]).toMatchObject({ fitted: { value: 43 } });
    expect(r.steps[0].sql).toContain("'43'::DOUBLE");
  });
  it('fills with the median 40, the mode, a constant, the previous value by id', async () => {
    const med = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'age', strategy: 'median' }));
    expect(await columnOf(db, med.output, 'age')).toEqual([30, 40, 40, 59, 40]);
    const mode = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'region', strategy: 'mode' }));
    expect(await columnOf(db, mode.output, 'region')).toEqual(['north', 'North', 'south', 'south', 'south']);
    const k = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'age', strategy: 'constant', value: 0 }));
    expect(await columnOf(db, k.output, 'age')).toEqual([30, 0, 40, 59, 0]);
    const prev = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'age', strategy: 'previous', orderBy: 'id' }));
    expect(await columnOf(db, prev.output, 'age')).toEqual([30, 30, 40, 59, 59]);
  });
  it('drops rows, or adds an is-missing indicator', async () => {
    const drop = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'age', strategy: 'drop-rows' }));
    expect(drop.steps[0]).toMatchObject({ rowsIn: 5, rowsOut: 3 });
    const ind = await applyRecipe(db, recipeOf('people', { kind: 'missing', column: 'age', strategy: 'mean', indicator: true }));
    expect(await columnOf(db, ind.output, 'age_missing')).toEqual([false, true, false, false, true]);
    expect(ind.steps[0].columnsAdded).toEqual(['age_missing']);
  });
});

describe('duplicates', () => {
  it('removes exact duplicate rows', async () => {
    const r = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe' }));
    expect(r.steps[0]).toMatchObject({ rowsIn: 5, rowsOut: 4 });
  });
  it('keeps the last order per customer by day', async () => {
    const r = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe', keys: ['cid'], keep: 'last', orderBy: 'day' }));
    expect(await columnOf(db, r.output, 'oid', 'cid')).toEqual([2, 3, 4]);
    const first = await applyRecipe(db, recipeOf('orders', { kind: 'dedupe', keys: ['cid'], keep: 'first', orderBy: 'day' }));
    expect(await columnOf(db, first.output, 'oid', 'cid')).toEqual([1, 3, 4]);
  });
});

describe('types and errors', () => {
  it('try_casts and counts the failures', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'cast', column: 'score', to: 'INTEGER' }));
    expect(await columnOf(db, r.output, 'score')).toEqual([5, null, 7, null, 9]);
    expect(r.steps[0].failures).toEqual([{ column: 'score', failed: 1, nonMissing: 4 }]);
    expect(r.columns.find((c) => c.name === 'score')?.type).toBe('INTEGER');
  });
  it('parses day/month/year dates with try_strptime', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'parse-date', column: 'joined', format: '%d/%m/%Y' }));
    const got = await rows(db, `SELECT joined::VARCHAR AS v FROM ${r.output} ORDER BY id`);
    expect(got.map((x) => x.v)).toEqual(['2024-02-01', '2024-03-15', null, '2023-12-31', null]);
    expect(r.steps[0].failures[0]).toMatchObject({ failed: 1, nonMissing: 4 });
  });
  it('trims, changes case and title-cases', async () => {
    const trim = await applyRecipe(db, recipeOf('people', { kind: 'text', column: 'name', op: 'trim' }));
    expect(await columnOf(db, trim.output, 'name')).toEqual(['alice', 'BOB', 'carol jones', 'dave', 'eve']);
    expect(trim.steps[0].cellsChanged).toBe(1);
    const title = await applyRecipe(db, recipeOf('people', { kind: 'text', column: 'name', op: 'trim' }, { kind: 'text', column: 'name', op: 'title' }));
    expect(await columnOf(db, title.output, 'name')).toEqual(['Alice', 'Bob', 'Carol Jones', 'Dave', 'Eve']);
    const up = await applyRecipe(db, recipeOf('people', { kind: 'text', column: 'region', op: 'upper' }));
    expect(await columnOf(db, up.output, 'region')).toEqual(['NORTH', 'NORTH', 'SOUTH', null, 'SOUTH']);
  });
  it('maps spellings through a mapping table, keeping or nulling the rest', async () => {
    const mapping = [{ from: 'north', to: 'N' }, { from: 'North', to: 'N' }];
    const keep = await applyRecipe(db, recipeOf('people', { kind: 'map-values', column: 'region', mapping }));
    expect(await columnOf(db, keep.output, 'region')).toEqual(['N', 'N', 'south', null, 'south']);
    expect(keep.steps[0].cellsChanged).toBe(2);
    const nul = await applyRecipe(db, recipeOf('people', { kind: 'map-values', column: 'region', mapping, unmatched: 'null' }));
    expect(await columnOf(db, nul.output, 'region')).toEqual(['N', 'N', null, null, null]);
  });
  it('replaces by regular expression', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'regex-replace', column: 'name', pattern: '[aeiou]', replacement: '' }));
    expect(await columnOf(db, r.output, 'name')).toEqual([' lc ', 'BOB', 'crl jns', 'dv', 'v']);
  });
  it('applies a range rule: out of range → NULL, or clipped', async () => {
    const nul = await applyRecipe(db, recipeOf('people', { kind: 'range-rule', column: 'spend', max: 100, action: 'null' }));
    expect(await columnOf(db, nul.output, 'spend')).toEqual([10, 20, 30, null, 40]);
    const clip = await applyRecipe(db, recipeOf('people', { kind: 'range-rule', column: 'spend', min: 15, max: 100, action: 'clip' }));
    expect(await columnOf(db, clip.output, 'spend')).toEqual([15, 20, 30, 100, 40]);
  });
});

describe('outliers', () => {
  // spend sorted 10, 20, 30, 40, 1000: Q1 = 20, Q3 = 40 (linear interpolation), IQR 20 → fences [-10, 70].
  it('IQR fences: flag, clip, drop', async () => {
    const flag = await applyRecipe(db, recipeOf('people', { kind: 'outliers', column: 'spend', method: 'iqr', action: 'flag' }));
    expect(flag.recipe.steps[0]).toMatchObject({ fitted: { low: -10, high: 70 } });
    expect(await columnOf(db, flag.output, 'spend_outlier')).toEqual([false, false, false, true, false]);
    const clip = await applyRecipe(db, recipeOf('people', { kind: 'outliers', column: 'spend', method: 'iqr', action: 'clip' }));
    expect(await columnOf(db, clip.output, 'spend')).toEqual([10, 20, 30, 70, 40]);
    const drop = await applyRecipe(db, recipeOf('people', { kind: 'outliers', column: 'spend', method: 'iqr', action: 'drop' }));
    expect(drop.steps[0]).toMatchObject({ rowsOut: 4 });
  });
  it('z-score fences: mean 220 ± k × sample sd √190250', async () => {
    const r = await applyRecipe(db, recipeOf('people', { kind: 'outliers', column: 'spend', method: 'zscore', k: 1, action: 'flag' }));
    const f = (r.recipe.steps[0] as { fitted: { low: number; high: number } }).fitted;
    expect(f.low).toBeCloseTo(220 - Math.sqrt(190250), 9);
    expect(f.high).toBeCloseTo(220 + Math.sqrt(190250), 9);
    expect(await columnOf(db, r.output, 'spend_outlier')).toEqual([false, false, false, true, false]);
  });
});
