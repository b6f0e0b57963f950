import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { ENGINE_SETUP_SQL, type DbConnector, type FileSource } from './connector';
import { QueryError } from './query-error';

type NodeBlocking = typeof import('@duckdb/duckdb-wasm/blocking');

/**
 * DuckDB-WASM in Node through its node-blocking build: the same wasm engine the browser runs,
 * used by tests and benchmarks (never a mock). Calls are synchronous inside; the promise
 * interface matches the browser connector.
 */
export async function createNodeConnector(): Promise<DbConnector> {
  const require = createRequire(import.meta.url);
  const duckdb = require('@duckdb/duckdb-wasm/blocking') as NodeBlocking;
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  db.open({ path: ':memory:', query: { castBigIntToDouble: false } });
  const conn = db.connect();
  for (const sql of ENGINE_SETUP_SQL) conn.query(sql);

  const run = (sql: string): Table => {
    try {
      return conn.query(sql) as unknown as Table;
    } catch (err) {
      throw new QueryError(sql, err);
    }
  };

  return {
    async query(sql) {
      return run(sql);
    },
    async registerFile(name: string, source: FileSource) {
      if (source instanceof Uint8Array) db.registerFileBuffer(name, source);
      else if ('path' in source) db.registerFileURL(name, source.path, duckdb.DuckDBDataProtocol.NODE_FS, true);
      else db.registerFileBuffer(name, new Uint8Array(await source.arrayBuffer()));
    },
    async dropFile(name) {
      db.dropFile(name);
    },
    async insertArrowIPC(table, ipc, create) {
      try {
        conn.insertArrowFromIPCStream(ipc, { name: table, create });
      } catch (err) {
        throw new QueryError(`-- insert Arrow IPC into ${table}`, err);
      }
    },
    async copyFileToBuffer(name) {
      return db.copyFileToBuffer(name);
    },
    async version() {
      return db.getVersion();
    },
    async close() {
      conn.close();
      db.reset();
    },
  };
}
