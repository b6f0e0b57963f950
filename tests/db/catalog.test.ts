// The table list the sidebar shows, on a real DuckDB-WASM engine.
import { describe, expect, it } from 'vitest';
import { listTables } from '../../src/services/db/catalog';
import type { DbConnector } from '../../src/services/db/connector';
import { freshDb } from './helpers';

describe('listTables', () => {
  it('lists tables with their rows and columns in creation order', async () => {
    const db = await freshDb();
    await db.query('CREATE TABLE b AS SELECT range AS x FROM range(3)');
    await db.query("CREATE TABLE a AS SELECT 'x' AS s, 1.5 AS v");
    expect(await listTables(db)).toEqual([
      { name: 'b', rows: 3, columns: [{ name: 'x', type: 'BIGINT' }] },
      { name: 'a', rows: 1, columns: [{ name: 's', type: 'VARCHAR' }, { name: 'v', type: 'DECIMAL(2,1)' }] },
    ]);
    await db.close();
  });

  // Regression: restoring a workspace with a recipe re-ran it while the sidebar refreshed; the
  // recipe's build table (<name>__s0) was listed, then renamed before it was counted, and the
  // restore failed with "Table with name customers_clean__s0 does not exist!".
  it('lists again when a table it listed is renamed or dropped before it is counted', async () => {
    const inner = await freshDb();
    await inner.query('CREATE TABLE keep AS SELECT 1 AS x');
    await inner.query('CREATE TABLE cleaned__s0 AS SELECT 2 AS x');
    let listings = 0;
    const racing: DbConnector = {
      ...inner,
      query: async (sql: string) => {
        const result = await inner.query(sql);
        // Another job renames the build table right after the first listing.
        if (sql.includes('duckdb_tables()') && ++listings === 1) await inner.query('ALTER TABLE cleaned__s0 RENAME TO cleaned');
        return result;
      },
    };
    const tables = await listTables(racing);
    expect(listings).toBe(2);
    expect(tables.map((t) => [t.name, t.rows])).toEqual([['keep', 1], ['cleaned', 1]]);
    await inner.close();
  });
});
