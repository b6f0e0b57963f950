import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { localIngest } from '../../src/core/formats/parse';
import type { DbConnector } from '../../src/services/db/connector';
import { loadFiles } from '../../src/services/db/ingest';
import { kindOf, profileTable, type TableProfile } from '../../src/services/db/profile';
import { fileFrom, fileOf, freshDb } from './helpers';

interface PandasColumn {
  missing: number;
  distinct: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  '25%'?: number;
  '50%'?: number;
  '75%'?: number;
  top?: [string, number][];
}
/** pandas 1.5.3's describe()/nunique()/value_counts() on the same file (make-pandas-profile.py). */
const pandas = JSON.parse(readFileSync('tests/fixtures/profile/penguins-pandas.json', 'utf8')) as { rows: number; columns: Record<string, PandasColumn> };

let db: DbConnector;
let penguins: TableProfile;
beforeAll(async () => {
  db = await freshDb();
  const [t] = await loadFiles(db, localIngest, { files: [fileFrom('public/samples/penguins.csv')] });
  penguins = await profileTable(db, t.table);
});

describe('column profiles agree with pandas on penguins.csv', () => {
  it('has every column and the row count', () => {
    expect(penguins.rows).toBe(pandas.rows);
    expect(penguins.columns.map((c) => c.name).sort()).toEqual(Object.keys(pandas.columns).sort());
  });

  it.each(Object.keys(pandas.columns))('%s: missing, distinct, and numeric summaries', (name) => {
    const ours = penguins.columns.find((c) => c.name === name)!;
    const ref = pandas.columns[name];
    expect(ours.missing).toBe(ref.missing);
    expect(ours.distinct).toBe(ref.distinct);
    if (ref.mean !== undefined) {
      const n = ours.number!;
      expect(n.mean).toBeCloseTo(ref.mean, 9);
      expect(n.std!).toBeCloseTo(ref.std!, 9);
      expect(n.min).toBe(ref.min);
      expect(n.max).toBe(ref.max);
      expect(n.q1).toBeCloseTo(ref['25%']!, 9);
      expect(n.median).toBeCloseTo(ref['50%']!, 9);
      expect(n.q3).toBeCloseTo(ref['75%']!, 9);
      expect(n.histogram.reduce((s, b) => s + b.count, 0)).toBe(pandas.rows - ref.missing);
    } else {
      expect(ours.text!.top.slice(0, 3).map((t) => [t.value, t.count])).toEqual(ref.top);
    }
  });
});

describe('profiles of dates, booleans and edge cases', () => {
  it('gives date ranges and counts by month', async () => {
    const [t] = await loadFiles(db, localIngest, { files: [fileOf('days.csv', 'd,flag\n2024-01-31,true\n2024-02-01,false\n2024-02-29,true\n,\n')] });
    const p = await profileTable(db, t.table);
    const d = p.columns[0];
    expect(d.kind).toBe('date');
    expect(d.date).toEqual({ min: '2024-01-31', max: '2024-02-29', byMonth: [{ month: '2024-01', count: 1 }, { month: '2024-02', count: 2 }] });
    expect(d.missing).toBe(1);
    const flag = p.columns[1];
    expect(flag.kind).toBe('boolean');
    expect(flag.text!.top).toEqual([{ value: 'true', count: 2 }, { value: 'false', count: 1 }]);
  });

  it('handles an all-null column, a constant column and an empty table', async () => {
    const [t] = await loadFiles(db, localIngest, { files: [fileOf('odd.csv', 'a,b\n,5\n,5\n')] });
    const p = await profileTable(db, t.table);
    expect(p.columns[0]).toMatchObject({ missing: 2, distinct: 0, missingPct: 100 });
    expect(p.columns[1].number).toMatchObject({ min: 5, max: 5, std: 0 });
    expect(p.columns[1].number!.histogram).toEqual([{ x0: 5, x1: 6, count: 2 }]);
    const [e] = await loadFiles(db, localIngest, { files: [fileOf('empty.csv', 'x,y\n')] });
    const pe = await profileTable(db, e.table);
    expect(pe.rows).toBe(0);
    expect(pe.columns.map((c) => c.missing)).toEqual([0, 0]);
  });

  it('profiles a table whose columns are named like the profile query’s aliases', async () => {
    // Regression: GROUP BY b bound to the table's column "b" instead of the histogram bucket.
    const [t] = await loadFiles(db, localIngest, { files: [fileOf('aliases.csv', 'a,b,i,n,v,m\n1,2,3,4,x,2024-01-01\n3,4,5,6,y,2024-02-01\n')] });
    const p = await profileTable(db, t.table);
    expect(p.columns.map((c) => c.missing)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(p.columns[0].number!.histogram.map((h) => h.count)).toEqual([1, 1]);
    expect(p.columns[4].text!.top).toEqual([{ value: 'x', count: 1 }, { value: 'y', count: 1 }]);
    expect(p.columns[5].date!.byMonth.map((m) => m.month)).toEqual(['2024-01', '2024-02']);
  });

  it('profiles only the first columns of a very wide table', async () => {
    await db.query(`CREATE TABLE wide AS SELECT ${Array.from({ length: 300 }, (_, i) => `${i} AS c${i}`).join(', ')}`);
    const p = await profileTable(db, 'wide', { maxColumns: 50 });
    expect(p.columnsTotal).toBe(300);
    expect(p.columns).toHaveLength(50);
  });

  it('classifies DuckDB types', () => {
    expect(['BIGINT', 'DOUBLE', 'DECIMAL(18,3)', 'UTINYINT'].map(kindOf)).toEqual(['number', 'number', 'number', 'number']);
    expect(['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'].map(kindOf)).toEqual(['date', 'date', 'date']);
    expect(['VARCHAR', 'BOOLEAN', 'INTEGER[]'].map(kindOf)).toEqual(['text', 'boolean', 'other']);
  });
});
