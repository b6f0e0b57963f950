import { tableToIPC, type Table } from 'apache-arrow';
import { AppError } from '../../core/errors';
import { jsonWorkspaceFile, readWorkspaceJson, type WorkspaceFile } from '../../core/privacy/workspace-bundle';
import type { DbConnector } from './connector';
import { describe } from './catalog';
import { ident } from './sql';

/**
 * Moves DuckDB tables in and out of a workspace bundle (core/privacy/workspace-bundle.ts): each
 * table becomes `tables/<name>.arrow`, an Arrow IPC stream of the whole table (duckdb-wasm 1.32
 * cannot write Parquet without its extension; a Parquet writer would make bundles smaller), and
 * `tables.json` lists the tables with their DuckDB column types and row counts, so a restore
 * recreates exact types (DECIMAL scale, DATE vs TIMESTAMP) and empty tables keep their columns.
 */

/** The `tables.json` manifest of a workspace. */
export interface WorkspaceTablesManifest {
  version: 1;
  tables: { name: string; file: string; rows: number; columns: { name: string; type: string }[] }[];
}

/** Name of the manifest file inside a workspace bundle. */
export const TABLES_MANIFEST = 'tables.json';
const STAGE = '__clientele_restore_stage';

/** The bundle file name of a table. */
export function workspaceTableFileName(table: string): string {
  return `tables/${table}.arrow`;
}

/**
 * Each table as a workspace file (Arrow IPC stream), in the order given, then the manifest.
 * `toIPC` serialises a query result; the default is this bundle's apache-arrow `tableToIPC`, which
 * is the instance duckdb-wasm returns in the browser. (Under Node, duckdb-wasm's node-blocking
 * build `require`s the CommonJS copy of apache-arrow, so tests pass that copy's `tableToIPC`.)
 */
export async function tablesToWorkspaceFiles(
  db: DbConnector,
  tables: readonly string[],
  toIPC: (result: Table) => Uint8Array = (t) => tableToIPC(t, 'stream'),
): Promise<WorkspaceFile[]> {
  const files: WorkspaceFile[] = [];
  const manifest: WorkspaceTablesManifest = { version: 1, tables: [] };
  for (const table of tables) {
    const columns = await describe(db, ident(table));
    const result = await db.query(`SELECT * FROM ${ident(table)}`);
    const bytes = toIPC(result);
    // A result from another apache-arrow instance serialises to nothing: never save that silently.
    if (bytes.length === 0) throw new AppError('query-failed', `table "${table}" could not be serialised for the workspace; nothing was saved.`);
    const file = workspaceTableFileName(table);
    files.push({ name: file, bytes });
    manifest.tables.push({ name: table, file, rows: result.numRows, columns });
  }
  files.push(jsonWorkspaceFile(TABLES_MANIFEST, manifest));
  return files;
}

/**
 * Loads the tables listed in an opened workspace's manifest into DuckDB, replacing a table of the
 * same name only once its new copy has loaded. Returns the table names, in manifest order.
 */
export async function restoreWorkspaceTables(db: DbConnector, files: readonly WorkspaceFile[]): Promise<string[]> {
  const manifest = readWorkspaceJson<WorkspaceTablesManifest>(files, TABLES_MANIFEST);
  if (manifest.version !== 1) throw new AppError('unsupported-format', `the workspace's table list has version ${manifest.version}: update Clientele to open it.`);
  const restored: string[] = [];
  for (const entry of manifest.tables) {
    const file = files.find((f) => f.name === entry.file);
    if (!file) throw new AppError('bad-input', `the workspace lists table "${entry.name}" but has no "${entry.file}".`, { file: entry.file });
    const columns = entry.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
    await db.query(`CREATE OR REPLACE TABLE ${ident(STAGE)} (${columns})`);
    try {
      // A copy: duckdb-wasm transfers the buffer to its worker, and every file is a view into the
      // one unpacked bundle, which the first transfer would otherwise detach for all the others.
      if (entry.rows > 0) await db.insertArrowIPC(STAGE, file.bytes.slice(), false);
      await db.query('BEGIN TRANSACTION');
      try {
        await db.query(`DROP TABLE IF EXISTS ${ident(entry.name)}; ALTER TABLE ${ident(STAGE)} RENAME TO ${ident(entry.name)}`);
        await db.query('COMMIT');
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${ident(STAGE)}`);
    }
    restored.push(entry.name);
  }
  return restored;
}
