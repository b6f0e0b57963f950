import { beforeAll, describe, expect, it } from 'vitest';
import { guardUserSql, splitStatements } from '../../src/services/db/guard';
import type { DbConnector } from '../../src/services/db/connector';
import { freshDb } from './helpers';

let db: DbConnector;
beforeAll(async () => {
  db = await freshDb();
});

describe('DuckDB never reaches for the network', () => {
  it('does not autoload the readers that live in downloadable extensions', async () => {
    await expect(db.query("SELECT * FROM read_parquet('x.parquet')")).rejects.toThrow(/exists in the parquet extension/);
    await expect(db.query("SELECT * FROM read_json_auto('x.json')")).rejects.toThrow(/exists in the json extension/);
  });

  it('has autoinstall and autoload off, and the configuration locked', async () => {
    const t = await db.query("SELECT current_setting('autoinstall_known_extensions') AS i, current_setting('autoload_known_extensions') AS l, current_setting('lock_configuration') AS k");
    expect(t.get(0)?.toJSON()).toEqual({ i: false, l: false, k: true });
    await expect(db.query('SET autoload_known_extensions = true')).rejects.toThrow(/configuration has been locked/);
    await expect(db.query('SET autoinstall_known_extensions = true')).rejects.toThrow(/configuration has been locked/);
  });

  it('has no extension loaded beyond the built-in ones', async () => {
    const t = await db.query("SELECT extension_name FROM duckdb_extensions() WHERE loaded AND extension_name NOT IN ('core_functions', 'parquet_shim') ORDER BY 1");
    const loaded = t.toArray().map((r) => String(r.extension_name));
    expect(loaded.filter((n) => ['httpfs', 'aws', 'azure', 'json', 'parquet', 'motherduck'].includes(n))).toEqual([]);
  });
});

describe('the SQL console guard', () => {
  it.each([
    ['LOAD httpfs', /LOAD is refused/],
    ['INSTALL httpfs', /INSTALL is refused/],
    ['force install spatial', /FORCE INSTALL is refused/],
    ["SELECT * FROM read_csv('https://example.com/a.csv')", /Remote locations \(https:\/\/…\) are refused/],
    ["SELECT * FROM 's3://bucket/orders.parquet'", /Remote locations \(s3:\/\/…\) are refused/],
    ["ATTACH 'md:my_db'", /ATTACH statements are refused/],
    ['SET autoload_known_extensions = true', /SET statements are refused/],
    ["CREATE SECRET (TYPE s3, KEY_ID 'x')", /CREATE SECRET statements are refused/],
    ['SELECT 1; LOAD httpfs', /LOAD is refused/],
  ])('refuses %s', (sql, message) => {
    expect(() => guardUserSql(sql)).toThrow(message);
  });

  it('lets ordinary SQL through, split into statements', () => {
    expect(guardUserSql("SELECT 'a;b' AS s; -- note; here\nFROM t")).toEqual(["SELECT 'a;b' AS s", 'FROM t']);
    expect(splitStatements('/* x; */ SELECT 1;;')).toEqual(['SELECT 1']);
    expect(() => guardUserSql('   ')).toThrow(/Type a SQL query first/);
  });
});
