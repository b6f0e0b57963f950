import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbConnector } from '../../src/services/db/connector';
import { restoreWorkspaceTables, tablesToWorkspaceFiles } from '../../src/services/db/privacy-workspace';
import { jsonWorkspaceFile, openWorkspace, sealWorkspace } from '../../src/core/privacy/workspace-bundle';
import { newSalt } from '../../src/core/privacy/crypto-envelope';
import { freshDb, rows } from './helpers';

// duckdb-wasm's node-blocking build returns tables of the CommonJS apache-arrow (see tablesToWorkspaceFiles).
const cjsArrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
const toIPC = (t: unknown) => cjsArrow.tableToIPC(t as InstanceType<typeof cjsArrow.Table>, 'stream');

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
});
afterAll(async () => {
  await db?.close();
});

describe('encrypted workspace with DuckDB tables', () => {
  it('saves tables, seals, opens and restores them with the same rows and types', async () => {
    await db.query(`CREATE TABLE "Customers 2024" AS SELECT * FROM (VALUES
      (1::BIGINT, 'Ann Lee', 'ann@example.com', DATE '2024-03-15', TIMESTAMP '2024-03-15 10:30:00', 12.50::DECIMAL(10,2), 3.25::DOUBLE, true, NULL::VARCHAR),
      (2::BIGINT, 'Bob Ray', NULL, NULL, NULL, NULL, NULL, NULL, 'x')
    ) t(id, name, email, signup, seen_at, balance, score, active, note)`);
    await db.query('CREATE TABLE empty_one (a INTEGER, b VARCHAR)');
    const before = await rows(db, 'SELECT * FROM "Customers 2024" ORDER BY id');
    const typesBefore = await rows(db, 'DESCRIBE "Customers 2024"');
    const files = [...(await tablesToWorkspaceFiles(db, ['Customers 2024', 'empty_one'], toIPC)), jsonWorkspaceFile('settings.json', { v: 1 })];
    const sealed = await sealWorkspace(files, 'a long workspace passphrase', { salt: newSalt() });
    await db.query('DROP TABLE "Customers 2024"; DROP TABLE empty_one');
    const restored = await restoreWorkspaceTables(db, await openWorkspace(sealed, 'a long workspace passphrase'));
    expect(restored).toEqual(['Customers 2024', 'empty_one']);
    expect(await rows(db, 'SELECT * FROM "Customers 2024" ORDER BY id')).toEqual(before);
    const typesAfter = await rows(db, 'DESCRIBE "Customers 2024"');
    expect(typesAfter.map((r) => r.column_type)).toEqual(typesBefore.map((r) => r.column_type));
    expect(await rows(db, 'SELECT count(*) AS n FROM empty_one')).toEqual([{ n: 0 }]);
  });
});

describe('tablesToWorkspaceFiles', () => {
  it('refuses to save a table it could not serialise instead of saving nothing', async () => {
    await db.query('CREATE TABLE t1 AS SELECT 1 AS a');
    const err = await tablesToWorkspaceFiles(db, ['t1'], () => new Uint8Array(0)).catch((e) => e);
    expect(err.code).toBe('query-failed');
  });
});
