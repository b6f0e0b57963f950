import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetToIPC } from '../../src/core/formats/parquet';
import { localIngest } from '../../src/core/formats/parse';
import type { DbConnector } from '../../src/services/db/connector';
import { exportTable, type ExportOptions } from '../../src/services/db/export';
import { createIngestClient } from '../../src/services/workers/ingest-client';
import { freshDb, rows } from './helpers';

// duckdb-wasm's node-blocking build returns tables of the CommonJS apache-arrow (see export.ts).
const cjsArrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
const toIPC: ExportOptions['toIPC'] = (t) => cjsArrow.tableToIPC(t as unknown as InstanceType<typeof cjsArrow.Table>, 'stream');

const N = 20_000;
const CHUNK = 4_096;
const dir = mkdtempSync(join(tmpdir(), 'export-'));
// Every type the cleaned tables hold, with NULLs, text that needs CSV quoting, and an INTERVAL
// (no Parquet/Arrow counterpart in our writers: exported as text).
const CREATE = `CREATE TABLE t AS SELECT
  range::BIGINT AS id,
  (range % 100)::INTEGER AS small,
  CASE WHEN range % 11 = 0 THEN NULL ELSE range / 7.0 END::DOUBLE AS x,
  CASE WHEN range % 13 = 0 THEN NULL ELSE 'name "' || (range % 97) || '", ok' || CASE WHEN range % 500 = 0 THEN chr(10) || 'line 2' ELSE '' END END AS label,
  DATE '2020-01-01' + (range % 1500)::INTEGER AS day,
  TIMESTAMP '2021-03-04 05:06:07' + to_seconds(range * 37) AS at,
  (range % 3 = 0) AS flag,
  (range / 100)::DECIMAL(18,2) AS amount,
  to_days((range % 40)::INTEGER) AS wait
FROM range(${N})`;

let db: DbConnector;
let native: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  db = await freshDb();
  await db.query(CREATE);
  native = await DuckDBInstance.create(':memory:');
  conn = await native.connect();
});
afterAll(() => {
  conn?.closeSync();
  native?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

const nativeRows = async (sql: string) => (await conn.runAndReadAll(sql)).getRows().map((r) => r.map((v) => (v === null ? null : String(v))));

describe('exporting a table (real DuckDB-WASM; files read back by native DuckDB)', () => {
  it('Parquet keeps every type and row, written in chunks', async () => {
    const progress: number[] = [];
    const file = await exportTable(db, 't', 'parquet', { chunkRows: CHUNK, toIPC, onProgress: (done) => progress.push(done) });
    expect(file.fileName).toBe('t.parquet');
    expect(file.rows).toBe(N);
    expect(file.asText).toEqual(['wait']);
    expect(progress).toHaveLength(Math.ceil(N / CHUNK));
    expect(progress.at(-1)).toBe(N);
    const bytes = Buffer.concat(file.parts);
    const path = join(dir, 't.parquet');
    writeFileSync(path, bytes);
    // Native DuckDB's own Parquet reader: same types and the same rows as the source table.
    const types = await nativeRows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${path}'))`);
    expect(types).toEqual([
      ['id', 'BIGINT'], ['small', 'INTEGER'], ['x', 'DOUBLE'], ['label', 'VARCHAR'], ['day', 'DATE'],
      ['at', 'TIMESTAMP'], ['flag', 'BOOLEAN'], ['amount', 'DECIMAL(18,2)'], ['wait', 'VARCHAR'],
    ]);
    const canon = `SELECT COLUMNS(*)::VARCHAR FROM ORDER BY id`;
    const theirs = await nativeRows(canon.replace('FROM', `FROM read_parquet('${path}')`));
    const ours = (await rows(db, canon.replace('FROM', 'FROM t'))).map((o) => Object.values(o).map((v) => (v === null ? null : String(v))));
    expect(theirs.length).toBe(N);
    expect(theirs).toEqual(ours);
    // And our own Parquet reader (the app's load path) gives the table back unchanged.
    await db.insertArrowIPC('back', await parquetToIPC(bytes, 't.parquet'), true);
    expect(await rows(db, `SELECT count(*) AS n FROM (SELECT * EXCLUDE (wait) FROM t EXCEPT ALL SELECT * EXCLUDE (wait) FROM back)`)).toEqual([{ n: 0 }]);
    // Rows keep the table's order.
    expect(await nativeRows(`SELECT count(*) FROM (SELECT id, row_number() OVER () - 1 AS i FROM read_parquet('${path}')) WHERE id <> i`)).toEqual([['0']]);
  });

  it('Parquet encoded across a worker boundary (chunks pulled through a transferred stream, as in the browser) is the same file', async () => {
    // The ingest worker's API served on a MessageChannel: the stream and the parts cross a real port.
    const channel = new MessageChannel();
    Comlink.expose(localIngest, channel.port1 as unknown as Comlink.Endpoint);
    const client = createIngestClient(() => Object.assign(channel.port2, { terminate: () => channel.port1.close() }) as unknown as Worker);
    let calls = 0;
    const parquetEncoder: ExportOptions['parquetEncoder'] = (chunks, options) => (calls++, client.parquetWrite(chunks, options));
    try {
      const here = await exportTable(db, 't', 'parquet', { chunkRows: CHUNK, toIPC });
      const progress: number[] = [];
      const across = await exportTable(db, 't', 'parquet', { chunkRows: CHUNK, toIPC, parquetEncoder, onProgress: (done) => progress.push(done) });
      expect(progress).toEqual([4_096, 8_192, 12_288, 16_384, 20_000]);
      expect(calls).toBe(1);
      expect(across.parts.length).toBeGreaterThan(1);
      expect(Buffer.concat(across.parts).equals(Buffer.concat(here.parts))).toBe(true);
      // Cancelled half-way: the stream's error reaches the encoder on the other side, the export rejects.
      const ctl = new AbortController();
      const run = exportTable(db, 't', 'parquet', { chunkRows: CHUNK, toIPC, parquetEncoder, signal: ctl.signal, onProgress: (done) => done >= 8_192 && ctl.abort() });
      await expect(run).rejects.toMatchObject({ code: 'aborted' });
    } finally {
      channel.port1.close();
      channel.port2.close();
    }
  });

  it('Arrow IPC keeps every type and row', async () => {
    const file = await exportTable(db, 't', 'arrow', { chunkRows: CHUNK, toIPC });
    const bytes = Buffer.concat(file.parts);
    const table = tableFromIPC(bytes);
    expect(table.numRows).toBe(N);
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'id:Int64', 'small:Int32', 'x:Float64', 'label:Utf8', 'day:Date32<DAY>', 'at:Timestamp<MICROSECOND>', 'flag:Bool', 'amount:Decimal[18e+2]', 'wait:Utf8',
    ]);
    await db.insertArrowIPC('back_arrow', bytes, true);
    expect(await rows(db, `SELECT count(*) AS n FROM (SELECT * EXCLUDE (wait) FROM t EXCEPT ALL SELECT * EXCLUDE (wait) FROM back_arrow)`)).toEqual([{ n: 0 }]);
    expect(await rows(db, `SELECT count(*) AS n FROM back_arrow b JOIN t USING (id) WHERE b.wait <> t.wait::VARCHAR`)).toEqual([{ n: 0 }]);
  });

  it('CSV, written by DuckDB, reads back in native DuckDB with the same values', async () => {
    const file = await exportTable(db, 't', 'csv');
    const path = join(dir, 't.csv');
    writeFileSync(path, Buffer.concat(file.parts));
    const columns = `{'id': 'BIGINT', 'small': 'INTEGER', 'x': 'DOUBLE', 'label': 'VARCHAR', 'day': 'DATE', 'at': 'TIMESTAMP', 'flag': 'BOOLEAN', 'amount': 'DECIMAL(18,2)', 'wait': 'INTERVAL'}`;
    const canon = `SELECT COLUMNS(*)::VARCHAR FROM ORDER BY id`;
    const theirs = await nativeRows(canon.replace('FROM', `FROM read_csv('${path}', header = true, columns = ${columns})`));
    const ours = (await rows(db, canon.replace('FROM', 'FROM t'))).map((o) => Object.values(o).map((v) => (v === null ? null : String(v))));
    expect(theirs.length).toBe(N);
    expect(theirs).toEqual(ours);
  });

  it('stops between chunks when cancelled, and names a missing table', async () => {
    const ctl = new AbortController();
    const seen: number[] = [];
    const run = exportTable(db, 't', 'parquet', { chunkRows: CHUNK, toIPC, signal: ctl.signal, onProgress: (d) => (seen.push(d), ctl.abort()) });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(seen.length).toBeLessThan(3);
    await expect(exportTable(db, 'nope', 'csv')).rejects.toThrow(/no table "nope"/);
  });
});
