import type { Table } from 'apache-arrow';
import { AppError } from '../../core/errors';
import { jsonWorkspaceFile, openWorkspace, packWorkspace, readWorkspaceJson, sealWorkspace, unpackWorkspace, type WorkspaceFile } from '../../core/privacy/workspace-bundle';
import type { DbConnector } from '../db/connector';
import { tablesToWorkspaceFiles } from '../db/privacy-workspace';

/**
 * A whole session as one file: every table as an Arrow IPC stream (privacy-workspace.ts: exact
 * DuckDB types come back through `tables.json`, and duckdb-wasm reads Arrow IPC natively, so a
 * restore is one insert per table with no Parquet writer or reader in the path), plus
 * `settings.json` (the rooms' settings, the pseudonymization secret when encrypted). Encrypted
 * files are passphrase envelopes (crypto-envelope.ts); plain ones are the bare container.
 */

/** Name of the settings file inside a workspace. */
export const SETTINGS_FILE = 'settings.json';

/** The `settings.json` of a workspace. */
export interface WorkspaceSettings {
  version: 1;
  /** ISO time of the save. */
  savedAt: string;
  /** Settings each room chose to keep, by room id (see saved-workspaces.svelte.ts). */
  parts: Record<string, unknown>;
}

const ENVELOPE = [0x43, 0x4c, 0x54, 0x45]; // 'CLTE'

/** True when `bytes` is a passphrase envelope rather than a plain workspace. */
export function isEncryptedWorkspace(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ENVELOPE.every((m, i) => bytes[i] === m);
}

/**
 * Serialises `tables` and `settings` into one workspace file, sealed under `passphrase` when one
 * is given. `toIPC` is for Node tests (see tablesToWorkspaceFiles).
 */
export async function encodeWorkspace(
  db: DbConnector,
  tables: readonly string[],
  settings: WorkspaceSettings,
  passphrase: string | null,
  toIPC?: (t: Table) => Uint8Array,
): Promise<Uint8Array> {
  const files = [...(await tablesToWorkspaceFiles(db, tables, toIPC)), jsonWorkspaceFile(SETTINGS_FILE, settings)];
  return passphrase === null ? packWorkspace(files) : sealWorkspace(files, passphrase);
}

/**
 * Opens a workspace file. An encrypted one needs the passphrase (`wrong-passphrase`, `tampered`
 * from the envelope); a plain one ignores it.
 */
export async function decodeWorkspace(bytes: Uint8Array, passphrase: string | null): Promise<{ files: WorkspaceFile[]; settings: WorkspaceSettings }> {
  let files: WorkspaceFile[];
  if (isEncryptedWorkspace(bytes)) {
    if (!passphrase) throw new AppError('wrong-passphrase', 'this workspace is encrypted: type its passphrase to open it.');
    files = await openWorkspace(bytes, passphrase);
  } else {
    files = unpackWorkspace(bytes);
  }
  const settings = readWorkspaceJson<WorkspaceSettings>(files, SETTINGS_FILE);
  if (settings.version !== 1) throw new AppError('unsupported-format', `the workspace's settings have version ${settings.version}: update Clientele to open it.`);
  return { files, settings };
}
