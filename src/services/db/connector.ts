import type { Table } from 'apache-arrow';

/** Where a registered file's bytes come from: a browser File (read on demand), bytes, or a path. */
export type FileSource = File | Uint8Array | { path: string };

/**
 * The one DuckDB interface every caller uses. The browser implementation runs DuckDB-WASM in its
 * own worker (wasm-connector.ts); the Node implementation runs the same engine through
 * duckdb-wasm's node-blocking build (node-connector.ts), so the same SQL and tests run in both.
 * Bulk results come back as Arrow tables (never arrays of row objects).
 */
export interface DbConnector {
  /** Runs one or more statements and returns the last result as an Arrow table. */
  query(sql: string): Promise<Table>;
  /** Registers a file under `name` so SQL can read it (`read_csv('name')`). */
  registerFile(name: string, source: FileSource): Promise<void>;
  /** Forgets a registered file. */
  dropFile(name: string): Promise<void>;
  /** Loads Arrow IPC stream bytes into `table` (created when `create`, else appended). */
  insertArrowIPC(table: string, ipc: Uint8Array, create: boolean): Promise<void>;
  /** Copies a file that DuckDB wrote (e.g. COPY … TO 'x.csv') out as bytes. */
  copyFileToBuffer(name: string): Promise<Uint8Array>;
  /** Version string of the DuckDB engine. */
  version(): Promise<string>;
  /** Frees the engine. */
  close(): Promise<void>;
}

/**
 * Statements run on every new engine before any user SQL: DuckDB must never reach for the
 * network. DuckDB-WASM 1.32 would otherwise auto-install the parquet/json/httpfs extensions from
 * DuckDB's public extension repository on first use. The configuration is then locked, so user SQL cannot turn
 * autoloading back on.
 */
export const ENGINE_SETUP_SQL = [
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
  'SET allow_community_extensions = false',
  'SET lock_configuration = true',
];
