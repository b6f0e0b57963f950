import { beforeAll, describe, expect, it } from 'vitest';
import { localIngest } from '../../src/core/formats/parse';
import { listTables } from '../../src/services/db/catalog';
import type { DbConnector } from '../../src/services/db/connector';
import { loadFiles } from '../../src/services/db/ingest';
import { fileFrom, fileOf, freshDb, rows } from './helpers';

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
});

describe('CSV ingest through DuckDB-WASM', () => {
  it('sniffs a comma file with quoted fields and header', async () => {
    const [t] = await loadFiles(db, localIngest, { files: [fileOf('customers.csv', 'id,name,spend\n1,"Smith, Ann",10.5\n2,Bob,3\n')] });
    expect(t.table).toBe('customers');
    expect(t.rows).toBe(2);
    expect(t.dialect?.delimiter).toBe(',');
    expect(t.dialect?.header).toBe(true);
    expect(t.dialect?.types).toEqual({ id: 'BIGINT', name: 'VARCHAR', spend: 'DOUBLE' });
    expect(await rows(db, 'SELECT name FROM customers ORDER BY id')).toEqual([{ name: 'Smith, Ann' }, { name: 'Bob' }]);
  });

  it('reads TSV, semicolons and pipes', async () => {
    for (const [name, sep] of [['tabs.tsv', '\t'], ['semi.csv', ';'], ['pipe.txt', '|']] as const) {
      const [t] = await loadFiles(db, localIngest, { files: [fileOf(name, `a${sep}b\n1${sep}x\n2${sep}y\n`)] });
      expect(t.dialect?.delimiter).toBe(sep);
      expect(t.columns).toBe(2);
    }
  });

  it('reads a headerless file', async () => {
    const [t] = await loadFiles(db, localIngest, { files: [fileOf('nohead.csv', '1,2.5,x\n2,3.5,y\n3,4.5,z\n')] });
    expect(t.dialect?.header).toBe(false);
    expect(t.rows).toBe(3);
  });

  it('strips a UTF-8 BOM and reads Latin-1', async () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('name,city\nJosé,Köln\n')]);
    const [a] = await loadFiles(db, localIngest, { files: [fileOf('bom.csv', bom)] });
    expect(await rows(db, `SELECT * FROM ${a.table}`)).toEqual([{ name: 'José', city: 'Köln' }]);
    const latin = new Uint8Array([...new TextEncoder().encode('name,city\nJos'), 0xe9, ...new TextEncoder().encode(',K'), 0xf6, ...new TextEncoder().encode('ln\n')]);
    const [b] = await loadFiles(db, localIngest, { files: [fileOf('latin.csv', latin)] });
    expect(b.dialect?.encoding).toBe('latin-1');
    expect(await rows(db, `SELECT * FROM ${b.table}`)).toEqual([{ name: 'José', city: 'Köln' }]);
  });

  it('combines several files with the same columns into one table', async () => {
    const [t] = await loadFiles(db, localIngest, {
      files: [fileOf('jan.csv', 'id,amt\n1,2\n2,3\n'), fileOf('feb.csv', 'id,amt\n3,4\n')],
      table: 'orders_q1',
    });
    expect(t.rows).toBe(3);
    await expect(
      loadFiles(db, localIngest, { files: [fileOf('a.csv', 'id,amt\n1,2\n'), fileOf('b.csv', 'id,total\n1,2\n')] }),
    ).rejects.toThrow(/b\.csv has columns \(id, total\) that differ/);
  });

  it('applies the analyst’s dialect edits (types, delimiter)', async () => {
    const [t] = await loadFiles(db, localIngest, {
      files: [fileOf('codes.csv', 'zip,n\n01234,1\n99999,2\n')],
      csv: { dialect: { types: { zip: 'VARCHAR' } } },
    });
    expect(await rows(db, `SELECT zip FROM ${t.table} ORDER BY n`)).toEqual([{ zip: '01234' }, { zip: '99999' }]);
  });

  it('gives unique table names', async () => {
    const [a] = await loadFiles(db, localIngest, { files: [fileOf('dup.csv', 'a\n1\n')] });
    const [b] = await loadFiles(db, localIngest, { files: [fileOf('dup.csv', 'a\n1\n')] });
    expect([a.table, b.table]).toEqual(['dup', 'dup_2']);
  });
});

describe('JSON, NDJSON, Parquet and Excel ingest', () => {
  it('reads a JSON array of objects, nested values kept as JSON text', async () => {
    const [t] = await loadFiles(db, localIngest, {
      files: [fileOf('fb.json', JSON.stringify([{ id: 1, text: 'great', tags: ['a'], ok: true }, { id: 2, text: 'meh', score: 2.5 }]))],
    });
    expect(t.format).toBe('json');
    expect(await rows(db, `SELECT id, text, tags, ok, score FROM ${t.table} ORDER BY id`)).toEqual([
      { id: 1, text: 'great', tags: '["a"]', ok: true, score: null },
      { id: 2, text: 'meh', tags: null, ok: null, score: 2.5 },
    ]);
  });

  it('reads NDJSON', async () => {
    const [t] = await loadFiles(db, localIngest, { files: [fileOf('ev.ndjson', '{"a":1}\n\n{"a":2,"b":"x"}\n')] });
    expect(t.rows).toBe(2);
    expect(t.columns).toBe(2);
  });

  it('reads the Parquet that native DuckDB wrote', async () => {
    const [t] = await loadFiles(db, localIngest, { files: [fileFrom('tests/fixtures/ingest/orders.parquet')] });
    expect(t.format).toBe('parquet');
    expect(t.rows).toBe(1000);
    const [r] = await rows(db, `SELECT count(DISTINCT customer_id) AS c, round(sum(amount), 2) AS s, min(order_date)::VARCHAR AS d FROM ${t.table}`);
    // Figures from native DuckDB on the same file (scripts/make-ingest-fixtures.mjs).
    expect(r).toEqual({ c: 100, s: 50950, d: '2024-01-01' });
  });

  it('reads each sheet of an .xlsx workbook as a table', async () => {
    const tables = await loadFiles(db, localIngest, { files: [fileFrom('tests/fixtures/ingest/book.xlsx')] });
    expect(tables.map((t) => t.sheet)).toEqual(['Customers', 'Orders']);
    expect(tables[0].rows).toBe(3);
    const names = (await listTables(db)).map((t) => t.name);
    expect(names).toContain(tables[1].table);
  });
});
