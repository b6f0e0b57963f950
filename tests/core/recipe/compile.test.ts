import { describe, expect, it } from 'vitest';
import { compileRecipe, compileStep, exportRecipeSql } from '../../../src/core/recipe/compile';
import { increasingColumnSql } from '../../../src/core/recipe/compile-clean';
import { runCountQuery } from '../../../src/core/recipe/count-sql';
import { fitStep, oneHotColumnNames } from '../../../src/core/recipe/fit';
import { parseRecipe, recipeToJson } from '../../../src/core/recipe/recipe-json';
import { validateRecipe } from '../../../src/core/recipe/schema';
import { isSingleExpression, numberLiteral } from '../../../src/core/recipe/sql-text';
import type { ColumnType, OutlierStep, Recipe } from '../../../src/core/recipe/types';

const COLS: ColumnType[] = [
  { name: 'id', type: 'BIGINT' },
  { name: 'age', type: 'INTEGER' },
  { name: 'region', type: 'VARCHAR' },
];
const none = () => undefined;

const recipe = (steps: object[]): Recipe => ({
  version: 1,
  name: 'clean',
  source: 'raw',
  steps: steps.map((s, i) => ({ ...s, id: `s${i + 1}`, enabled: true })) as Recipe['steps'],
});

describe('compiling steps to SQL', () => {
  it('chains views named <recipe>__sN over the previous one and ends with the table', () => {
    const r = recipe([
      { kind: 'text', column: 'region', op: 'lower' },
      { kind: 'missing', column: 'age', strategy: 'constant', value: 0 },
    ]);
    r.steps.splice(1, 0, { id: 'off', enabled: false, kind: 'text', column: 'region', op: 'upper' });
    expect(compileRecipe(r, COLS, none).map((s) => s.sql)).toEqual([
      'CREATE OR REPLACE VIEW "clean__s1" AS SELECT * REPLACE (lower("region") AS "region") FROM "raw"',
      `CREATE OR REPLACE VIEW "clean__s3" AS SELECT * REPLACE (coalesce("age", CAST('0'::DOUBLE AS INTEGER)) AS "age") FROM "clean__s1"`,
      'CREATE OR REPLACE TABLE "clean" AS SELECT * FROM "clean__s3"',
    ]);
  });

  it('freezes fitted statistics as exact literals', () => {
    const outliers: OutlierStep = { kind: 'outliers', column: 'age', method: 'iqr', action: 'clip' };
    const fitted = fitStep(outliers, [{ a: 20, b: 40 }], COLS, 'step 1');
    expect(fitted.fitted).toEqual({ low: -10, high: 70 });
    const sql = compileStep(fitted, 0, '"raw"', COLS, none).select;
    expect(sql).toBe(`SELECT * REPLACE (CASE WHEN "age" < '-10'::DOUBLE THEN '-10'::DOUBLE WHEN "age" > '70'::DOUBLE THEN '70'::DOUBLE ELSE "age"::DOUBLE END AS "age") FROM "raw"`);
    expect(numberLiteral(0.1 + 0.2)).toBe(`'0.30000000000000004'::DOUBLE`);
  });

  it('refuses to compile a step whose statistics are not computed', () => {
    expect(() => compileRecipe(recipe([{ kind: 'scale', column: 'age', method: 'zscore' }]), COLS, none)).toThrow(/step 1 \(scale "age"\): its statistics are not computed yet: apply the recipe/);
  });

  it('samples by a seeded hash of every column, as a table', () => {
    const c = compileStep({ kind: 'sample', rows: 10, seed: 7 }, 0, '"raw"', COLS, none);
    expect(c.materialize).toBe(true);
    expect(c.select).toBe('SELECT * FROM "raw" ORDER BY hash(7, "id", "age", "region") LIMIT 10');
  });

  it('quotes every name and value', () => {
    const c = compileStep({ kind: 'map-values', column: 'a"b', mapping: [{ from: "O'Brien", to: 'OBrien' }] }, 0, '"raw"', [{ name: 'a"b', type: 'VARCHAR' }], none);
    expect(c.select).toBe(`SELECT * REPLACE (CASE "a""b" WHEN 'O''Brien' THEN 'OBrien' ELSE "a""b" END AS "a""b") FROM "raw"`);
  });

  it('tries to prove no duplicates from the number and date columns, or the keys', () => {
    expect(increasingColumnSql({ kind: 'dedupe' }, '"raw"', COLS)).toBe('SELECT count(*) <= 1 OR greatest(count_if(u0), count_if(u1)) = count(*) - 1 AS "unique" FROM (SELECT "id" > lag("id") OVER () AS u0, "age" > lag("age") OVER () AS u1 FROM "raw")');
    expect(increasingColumnSql({ kind: 'dedupe', keys: ['region'] }, '"raw"', COLS)).toContain('"region" > lag("region") OVER () AS u0');
    expect(increasingColumnSql({ kind: 'dedupe' }, '"raw"', [{ name: 'region', type: 'VARCHAR' }])).toBeNull();
  });

  it('one-hot names differ in more than case (DuckDB names are case-insensitive)', () => {
    expect(oneHotColumnNames('r', ['North', 'north', 'NORTH', 'south'])).toEqual(['r_North', 'r_north_2', 'r_NORTH_3', 'r_south']);
  });
});

describe('counting a run of steps in one query', () => {
  it('carries each old value along and reads the new one from the step that wrote it', () => {
    const steps = [{ kind: 'text', column: 'region', op: 'trim' }, { kind: 'text', column: 'region', op: 'lower' }] as const;
    const counted = steps.map((s) => ({ compiled: compileStep(s, 0, '"raw"', COLS, none), recompile: (over: string) => compileStep(s, 0, over, COLS, none) }));
    const q = runCountQuery('"raw"', counted, true, COLS.map((c) => c.name));
    // trim() is evaluated once, by the rebuilt step 1; the last step's new value is its expression.
    expect(q.sql.match(/trim\(/g)).toHaveLength(1);
    expect(q.sql).toContain('lower("region") AS "__rc1_n0"');
    expect(q.read({ rows_in: 7n, f0: 2n, f1: 3n })).toEqual({ rowsIn: 7, steps: [{ cellsChanged: 2, failures: [] }, { cellsChanged: 3, failures: [] }] });
  });
  it('keeps its carried names apart from the columns', () => {
    const cols = [...COLS, { name: '__rc_x', type: 'INTEGER' }];
    const s = { kind: 'text', column: 'region', op: 'trim' } as const;
    const q = runCountQuery('"raw"', [{ compiled: compileStep(s, 0, '"raw"', cols, none), recompile: (o) => compileStep(s, 0, o, cols, none) }], true, cols.map((c) => c.name));
    expect(q.sql).toContain('"___rc0_o0"');
  });
});

describe('validation names the step, the column and what to do', () => {
  it('an unknown column, with a near miss', () => {
    expect(() => validateRecipe(recipe([{ kind: 'text', column: 'Region', op: 'trim' }]), COLS, none)).toThrow('step 1 (clean text "Region"): column "Region" does not exist: did you mean "region"?');
  });
  it('a text step on a number', () => {
    expect(() => validateRecipe(recipe([{ kind: 'text', column: 'age', op: 'trim' }]), COLS, none)).toThrow('column "age" is INTEGER, but this step needs text');
  });
  it('typed SQL must be one expression', () => {
    expect(isSingleExpression("name = 'a;b'")).toBe(true);
    expect(isSingleExpression('1; DROP TABLE raw')).toBe(false);
    expect(() => validateRecipe(recipe([{ kind: 'filter', sql: 'true; DROP TABLE raw' }]), COLS, none)).toThrow(/one SQL expression/);
  });
  it('a new column may not clash with an existing one', () => {
    expect(() => validateRecipe(recipe([{ kind: 'scale', column: 'age', method: 'zscore', as: 'ID' }]), COLS, none)).toThrow('a column named "ID" already exists');
  });
});

describe('recipe JSON', () => {
  it('round-trips', () => {
    const r = recipe([{ kind: 'cast', column: 'age', to: 'DOUBLE' }]);
    expect(parseRecipe(recipeToJson(r))).toEqual(r);
  });
  it('refuses other versions, unknown kinds and missing fields with the step named', () => {
    expect(() => parseRecipe('{"version": 9, "name": "a", "source": "b", "steps": []}')).toThrow(/version 9 is not supported/);
    expect(() => parseRecipe('not json')).toThrow(/not a recipe file/);
    expect(() => parseRecipe({ version: 1, name: 'a', source: 'b', steps: [{ id: 'x', enabled: true, kind: 'explode' }] })).toThrow(/step 1 has an unknown kind "explode"/);
    expect(() => parseRecipe({ version: 1, name: 'a', source: 'b', steps: [{ id: 'x', enabled: true, kind: 'cast', column: 'age', to: 'TEXT; DROP' }] })).toThrow(/step 1 \(cast\): field "to" must be one of BOOLEAN/);
  });
  it('the script reads placeholder CSVs with the recorded types', () => {
    const sql = exportRecipeSql(recipe([{ kind: 'text', column: 'region', op: 'trim' }]), COLS, none);
    expect(sql).toContain(`CREATE OR REPLACE TABLE "raw" AS SELECT CAST("id" AS BIGINT) AS "id", CAST("age" AS INTEGER) AS "age", CAST("region" AS VARCHAR) AS "region" FROM read_csv('raw.csv');`);
    // The cleaned table last, then the step view it read, which is no longer needed.
    expect(sql.trim().endsWith('CREATE OR REPLACE TABLE "clean" AS SELECT * FROM "clean__s1";\n\n-- The intermediate step views and tables are no longer needed.\nDROP VIEW IF EXISTS "clean__s1";')).toBe(true);
  });
});
