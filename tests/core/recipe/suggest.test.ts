import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spellingGroups, suggestionChecks, suggestSteps, type CheckRows, type ProfiledColumn } from '../../../src/core/recipe/suggest';

// A small dirty customers table. Its defects are written into the rows below, so the expected
// suggestions follow from the data's definition: 3 duplicated ids (1, 2, 3 appear twice),
// signup dates as %d/%m/%Y text, region spellings 'East'/'east'/' East ' and 'West'/'WEST' plus
// two blanks, ages 150 and -2 (outside 0–120) and one missing, a heavily right-skewed income,
// a text score that holds numbers, and one row repeated exactly (id 1).
const ROWS: [number, string, string | null, number | null, number, string][] = [
  [1, '05/01/2024', 'East', 34, 20, '7'],
  [1, '05/01/2024', 'East', 34, 20, '7'],
  [2, '17/02/2024', 'east', 150, 25, '3'],
  [2, '18/02/2024', ' East ', 41, 22, '9'],
  [3, '01/03/2024', 'West', null, 30, '4'],
  [3, '02/03/2024', 'WEST', 28, 18, '5'],
  [4, '30/04/2024', 'West', -2, 26, '6'],
  [5, '12/05/2024', '', 55, 24, '2'],
  [6, '13/06/2024', ' ', 61, 21, '8'],
  [7, '14/07/2024', 'North', 23, 19, '1'],
  [8, '15/08/2024', 'North', 37, 23, '10'],
  [9, '16/09/2024', null, 45, 27, '3'],
  [10, '17/10/2024', 'North', 52, 2400, '4'],
];

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let columns: ProfiledColumn[];
let results: CheckRows;

const objects = async (sql: string) => {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
};

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  const values = ROWS.map((r) => `(${r[0]}, '${r[1]}', ${r[2] === null ? 'NULL' : `'${r[2]}'`}, ${r[3] ?? 'NULL'}, ${r[4]}, '${r[5]}')`).join(', ');
  await conn.run(`CREATE TABLE customers (customer_id INTEGER, signup VARCHAR, region VARCHAR, age INTEGER, income DOUBLE, score VARCHAR)`);
  await conn.run(`INSERT INTO customers VALUES ${values}`);
  // The profile as services/db/profile.ts computes it, here by native DuckDB.
  const cols = (await objects(`SELECT column_name AS name, column_type AS type FROM (DESCRIBE customers)`)) as { name: string; type: string }[];
  columns = [];
  for (const c of cols) {
    const q = `"${c.name}"`;
    const numeric = c.type === 'INTEGER' || c.type === 'DOUBLE';
    const [o] = await objects(
      `SELECT count(*)::INT AS rows, (count(*) - count(${q}))::INT AS missing, count(DISTINCT ${q})::INT AS distinct` +
        (numeric ? `, min(${q})::DOUBLE AS min, max(${q})::DOUBLE AS max, avg(${q}) AS mean, stddev_samp(${q}) AS std, quantile_cont(${q}, 0.25) AS q1, quantile_cont(${q}, 0.5) AS median, quantile_cont(${q}, 0.75) AS q3` : '') +
        ` FROM customers`,
    );
    columns.push({
      name: c.name, type: c.type, rows: Number(o.rows), missing: Number(o.missing), distinct: Number(o.distinct),
      number: numeric ? { min: Number(o.min), max: Number(o.max), mean: Number(o.mean), std: Number(o.std), q1: Number(o.q1), median: Number(o.median), q3: Number(o.q3) } : undefined,
    });
  }
  results = {};
  for (const check of suggestionChecks('customers', columns)) results[check.id] = await objects(check.sql);
});
afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

const find = (key: string) => suggestSteps(columns, results).find((s) => s.key === key);

describe('suggested steps from the profile and the checks (checks run by native DuckDB)', () => {
  it('finds the exact duplicate row and the 3 duplicated ids', () => {
    expect(find('dedupe')).toMatchObject({ message: '1 row is an exact duplicate of another: remove duplicates?', step: { kind: 'dedupe' } });
    expect(find('dedupe:customer_id')).toMatchObject({ message: 'customer_id has 3 duplicates: keep one row per customer_id?', step: { kind: 'dedupe', keys: ['customer_id'] } });
  });

  it('recognises text dates with their format and text numbers', () => {
    expect(find('parse-date:signup')).toMatchObject({ step: { kind: 'parse-date', column: 'signup', format: '%d/%m/%Y', to: 'DATE' } });
    expect(find('parse-date:signup')!.message).toBe('signup is text that looks like dates (%d/%m/%Y): parse it as dates?');
    expect(find('cast:score')).toMatchObject({ step: { kind: 'cast', column: 'score', to: 'DOUBLE' } });
    expect(find('cast:region')).toBeUndefined();
  });

  it('maps spellings that differ by case/whitespace to the most frequent one, blanks to missing', () => {
    const s = find('map-values:region')!;
    expect(s.step).toEqual({
      kind: 'map-values',
      column: 'region',
      unmatched: 'keep',
      mapping: [
        { from: ' East ', to: 'East' }, { from: 'east', to: 'East' },
        { from: 'WEST', to: 'West' },
        { from: '', to: null }, { from: ' ', to: null },
      ],
    });
    expect(s.message).toMatch(/^region has spellings differing only by case\/whitespace \('East' \/ ' East ' \/ 'east'; 'West' \/ 'WEST'\) and 2 blank values/);
  });

  it('flags ages outside 0–120, fills missing age, and log-transforms the skewed income', () => {
    expect(find('range-rule:age')).toMatchObject({ message: 'age has 2 values outside 0–120, implausible for an age: set them to missing?', step: { kind: 'range-rule', column: 'age', min: 0, max: 120, action: 'null' } });
    // age: 12 values, mean 46.5, median 39, sd 36.6 (the 150 pulls the mean up): Pearson’s
    // skewness 3·(46.5 − 39)/36.6 ≈ 0.62 > 0.5 → the median is the safer fill.
    expect(find('missing:age')).toMatchObject({ message: '1 missing value in age: fill with the median (the values are skewed)?', step: { kind: 'missing', column: 'age', strategy: 'median' } });
    // score has no missing values, income is complete: no fill suggested.
    expect(find('missing:income')).toBeUndefined();
    expect(find('missing:region')!.step).toMatchObject({ kind: 'missing', column: 'region', strategy: 'mode' });
    expect(find('log1p:income')).toMatchObject({ step: { kind: 'log1p', column: 'income', as: 'income_log' } });
    expect(find('log1p:income')!.message).toMatch(/^income is heavily skewed \(mean 206 vs median 23\.0\)/);
    expect(find('log1p:age')).toBeUndefined();
  });

  it('leaves out suggestions the recipe already holds', () => {
    const taken = suggestSteps(columns, results, [{ kind: 'range-rule', column: 'age', min: 0, max: 120, action: 'clip', id: 'a', enabled: true }]);
    expect(taken.some((s) => s.key === 'range-rule:age')).toBe(false);
    expect(taken.some((s) => s.key === 'missing:age')).toBe(true);
  });

  it('groups spellings only when they collide after trim + lower-case', () => {
    expect(spellingGroups([{ value: 'A', n: 1 }, { value: 'b', n: 5 }, { value: 'B ', n: 2 }])).toEqual([{ canonical: 'b', spellings: ['B '] }]);
    expect(spellingGroups([{ value: 'x', n: 1 }, { value: 'y', n: 1 }])).toEqual([]);
  });
});
