import { beforeAll, describe, expect, it } from 'vitest';
import type { DbConnector } from '../../../src/services/db/connector';
import { applyRecipe } from '../../../src/services/db/recipe-run';
import type { StepReport } from '../../../src/services/db/recipe-step-report';
import type { RecipeStepBody } from '../../../src/core/recipe/types';
import { freshDb } from '../helpers';
import { recipeOf } from './fixtures';

// Six customers, two without an age (ids 2 and 4) and two regions spelled off ('NORTH ', 'South').
// Every expected preview below is read off this table by hand from the step's definition.
const SIX = `
CREATE OR REPLACE TABLE six (id INTEGER, age INTEGER, region VARCHAR, score VARCHAR);
INSERT INTO six VALUES
  (1, 30, 'north', '5'),
  (2, NULL, 'NORTH ', 'x'),
  (3, 40, 'south', '7'),
  (4, NULL, 'north', '08'),
  (5, 50, 'South', '9'),
  (6, 20, 'south', NULL);`;

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
  await db.query(SIX);
});

/** The report of the last step of a recipe over `six`, previewing `n` rows. */
async function previewOf(n: number, ...bodies: RecipeStepBody[]): Promise<StepReport> {
  const r = await applyRecipe(db, recipeOf('six', ...bodies), { preview: n });
  return r.steps.at(-1)!;
}
const names = (p: StepReport['before']) => p!.columns.map((c) => c.name);

describe('previews of steps that rewrite columns: the rows they changed, the same rows before and after', () => {
  it('a median fill of 2 missing ages among 6 rows previews exactly those 2 rows', async () => {
    // median(30, 40, 50, 20) = 35
    const s = await previewOf(5, { kind: 'missing', column: 'age', strategy: 'median' });
    expect(s.previewRows).toBe('changed');
    expect(names(s.before)).toEqual(['age', 'id', 'region', 'score']);
    expect(s.before!.rows).toEqual([[null, '2', 'NORTH ', 'x'], [null, '4', 'north', '08']]);
    expect(names(s.after)).toEqual(['age', 'id', 'region', 'score']);
    expect(s.after!.rows).toEqual([['35.0', '2', 'NORTH ', 'x'], ['35.0', '4', 'north', '08']]);
    expect(s.after!.changed).toEqual([[true, false, false, false], [true, false, false, false]]);
  });

  it('puts an added indicator column beside the filled one, first in the after table', async () => {
    const s = await previewOf(5, { kind: 'missing', column: 'age', strategy: 'constant', value: 0, indicator: true });
    expect(names(s.after)).toEqual(['age', 'age_missing', 'id', 'region', 'score']);
    expect(s.after!.rows.map((r) => r.slice(0, 3))).toEqual([['0', 'true', '2'], ['0', 'true', '4']]);
    expect(s.after!.changed![0]).toEqual([true, false, false, false, false]);
  });

  it('a value map previews the mapped spellings only', async () => {
    const s = await previewOf(5, { kind: 'map-values', column: 'region', mapping: [{ from: 'NORTH ', to: 'north' }, { from: 'South', to: 'south' }] });
    expect(s.cellsChanged).toBe(2);
    expect(s.before!.rows.map((r) => r.slice(0, 2))).toEqual([['NORTH ', '2'], ['South', '5']]);
    expect(s.after!.rows.map((r) => r.slice(0, 2))).toEqual([['north', '2'], ['south', '5']]);
  });

  it('stops at the preview size', async () => {
    const s = await previewOf(1, { kind: 'text', column: 'region', op: 'upper' });
    // 'NORTH ' is already upper case: rows 1, 3, 4, 5, 6 change; the first is row 1.
    expect(s.before!.rows).toEqual([['north', '1', '30', '5']]);
    expect(s.after!.rows).toEqual([['NORTH', '1', '30', '5']]);
  });

  it('a cast previews the rows whose text changed or whose conversion failed', async () => {
    // '5' → 5 reads the same; 'x' fails (NULL); '08' → 8.
    const s = await previewOf(5, { kind: 'cast', column: 'score', to: 'INTEGER' });
    expect(s.before!.rows.map((r) => [r[0], r[1]])).toEqual([['x', '2'], ['08', '4']]);
    expect(s.after!.rows.map((r) => [r[0], r[1]])).toEqual([[null, '2'], ['8', '4']]);
    expect(s.after!.columns[0]).toEqual({ name: 'score', type: 'INTEGER' });
  });

  it('the second step of a recipe previews over its own input', async () => {
    const s = await previewOf(5, { kind: 'text', column: 'region', op: 'trim' }, { kind: 'text', column: 'region', op: 'lower' });
    // After the trim: 'NORTH' and 'South' are the only values lower() changes.
    expect(s.before!.rows.map((r) => [r[0], r[1]])).toEqual([['NORTH', '2'], ['South', '5']]);
    expect(s.after!.rows.map((r) => [r[0], r[1]])).toEqual([['north', '2'], ['south', '5']]);
  });

  it('fill with the previous value (a window) is computed over every row, not the picked ones', async () => {
    // Ordered by id: row 2 takes row 1's 30, row 4 takes row 3's 40; alone, they would have no previous row.
    const s = await previewOf(5, { kind: 'missing', column: 'age', strategy: 'previous', orderBy: 'id' });
    expect(s.previewRows).toBe('changed');
    expect(s.before!.rows.map((r) => [r[0], r[1]])).toEqual([[null, '2'], [null, '4']]);
    expect(s.after!.rows.map((r) => [r[0], r[1]])).toEqual([['30', '2'], ['40', '4']]);
  });

  it('says so when the step changed no cell, and shows the first rows on both sides', async () => {
    const s = await previewOf(2, { kind: 'missing', column: 'id', strategy: 'constant', value: 0 });
    expect(s.cellsChanged).toBe(0);
    expect(s.previewRows).toBe('unchanged');
    expect(s.before!.rows).toEqual([['1', '30', 'north', '5'], ['2', null, 'NORTH ', 'x']]);
    expect(s.after!.rows).toEqual(s.before!.rows);
    expect(s.after!.changed).toEqual([[false, false, false, false], [false, false, false, false]]);
  });
});

describe('previews of steps that add columns or drop rows', () => {
  it('a derived column is first in the after table, for the same rows as before', async () => {
    const s = await previewOf(2, { kind: 'derive', name: 'age2', expression: 'age * 2' });
    expect(s.previewRows).toBe('same');
    expect(s.before!.rows).toEqual([['1', '30', 'north', '5'], ['2', null, 'NORTH ', 'x']]);
    expect(names(s.after)).toEqual(['age2', 'id', 'age', 'region', 'score']);
    expect(s.after!.rows).toEqual([['60', '1', '30', 'north', '5'], [null, '2', null, 'NORTH ', 'x']]);
  });

  it('a derived window over every row is not recomputed over the previewed rows alone', async () => {
    const s = await previewOf(2, { kind: 'derive', name: 'n', expression: 'count(*) OVER ()' });
    expect(s.after!.rows.map((r) => r[0])).toEqual(['6', '6']);
  });

  it('one-hot: the removed column first before, the indicator columns first after', async () => {
    const s = await previewOf(1, { kind: 'one-hot', column: 'region' });
    expect(names(s.before)[0]).toBe('region');
    expect(names(s.after).slice(-3)).toEqual(['id', 'age', 'score']);
    expect(names(s.after)[0]).toMatch(/^region_/);
  });

  it('a filter previews the rows it removed beside the first rows it kept', async () => {
    // age >= 30 removes the rows without an age (2, 4) and the 20-year-old (6).
    const s = await previewOf(5, { kind: 'filter', conditions: [{ column: 'age', op: '>=', value: 30 }] });
    expect(s).toMatchObject({ rowsIn: 6, rowsOut: 3, previewRows: 'removed' });
    expect(s.before!.rows.map((r) => r[0])).toEqual(['2', '4', '6']);
    expect(s.after!.rows.map((r) => r[0])).toEqual(['1', '3', '5']);
  });

  it('a filter that removes nothing shows the first rows', async () => {
    const s = await previewOf(2, { kind: 'filter', conditions: [{ column: 'id', op: '>', value: 0 }] });
    expect(s).toMatchObject({ rowsIn: 6, rowsOut: 6, previewRows: 'first' });
    expect(s.before!.rows.map((r) => r[0])).toEqual(['1', '2']);
  });

  it('dedupe and sample (whole-table steps) show the first rows of input and output', async () => {
    const d = await previewOf(3, { kind: 'dedupe', keys: ['region'] });
    expect(d.previewRows).toBe('first');
    expect(d.before!.rows.map((r) => r[0])).toEqual(['1', '2', '3']);
    expect(d.after!.rows).toHaveLength(3);
    const s = await previewOf(2, { kind: 'sample', method: 'hash', rows: 2, seed: 1 });
    expect(s).toMatchObject({ rowsIn: 6, previewRows: 'first' });
  });
});
