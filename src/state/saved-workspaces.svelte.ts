import { AppError, errorMessage } from '../core/errors';
import type { WorkspaceFile } from '../core/privacy/workspace-bundle';
import { restoreWorkspaceTables } from '../services/db/privacy-workspace';
import {
  deleteWorkspaceFile,
  formatBytes,
  listWorkspaceFiles,
  opfsAvailable,
  readWorkspaceFile,
  requestPersistentStorage,
  storageFigures,
  writeWorkspaceFile,
  type SavedWorkspaceInfo,
  type StorageFigures,
} from '../services/storage/opfs';
import { decodeWorkspace, encodeWorkspace, isEncryptedWorkspace, type WorkspaceSettings } from '../services/storage/workspace-file';
import { privacy } from './privacy.svelte';
import { workspace } from './workspace.svelte';

/**
 * A room's settings kept in a workspace: `save` returns JSON-able settings (told whether the save
 * is encrypted, so secrets stay out of plain saves); `restore` takes them back.
 */
export interface WorkspacePart {
  save(context: { encrypted: boolean }): unknown;
  restore(value: unknown): void | Promise<void>;
  /** Resolves once the room's work in progress that writes tables (a recipe run) has ended. */
  settle?(): Promise<void>;
}

const parts = new Map<string, WorkspacePart>();

/** Lets a room keep its settings (recipes, model or chart settings) in saved workspaces, under `id`. */
export function registerWorkspacePart(id: string, part: WorkspacePart): void {
  parts.set(id, part);
}

registerWorkspacePart('privacy', { save: ({ encrypted }) => privacy.saveSettings(encrypted), restore: (v) => privacy.restoreSettings(v) });

/**
 * Workspaces saved in this browser (OPFS, services/storage/opfs.ts) and as files: save the whole
 * session (every table, every registered room's settings), optionally encrypted; list; restore
 * (tables of the same name are replaced once their saved copy has loaded, others are added);
 * export and import one encrypted file.
 */
export class SavedWorkspaces {
  list = $state<SavedWorkspaceInfo[]>([]);
  figures = $state<StorageFigures | null>(null);
  persistence = $state<'unknown' | 'granted' | 'denied' | 'unsupported'>('unknown');
  busy = $state<string | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  readonly available = opfsAvailable();

  /** Re-reads the saved list and the storage figures. */
  async refresh(): Promise<void> {
    if (!this.available) return;
    try {
      [this.list, this.figures] = await Promise.all([listWorkspaceFiles(), storageFigures()]);
      if (this.persistence === 'unknown' && (await navigator.storage.persisted?.())) this.persistence = 'granted';
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Asks the browser to keep this site's storage under pressure, and shows its answer. */
  async requestPersistence(): Promise<void> {
    this.persistence = await requestPersistentStorage().catch(() => 'unsupported' as const);
  }

  private settings(encrypted: boolean): WorkspaceSettings {
    return { version: 1, savedAt: new Date().toISOString(), parts: Object.fromEntries([...parts].map(([id, p]) => [id, p.save({ encrypted })])) };
  }

  private async encode(passphrase: string | null): Promise<Uint8Array> {
    // A room may be writing tables (a recipe run builds `<name>__s0`, then renames it): the save
    // waits for that, then lists the tables as they are.
    await Promise.all([...parts.values()].map((p) => p.settle?.()));
    await workspace.refresh();
    const tables = workspace.tables.map((t) => t.name);
    if (tables.length === 0) throw new AppError('invalid-argument', 'there are no tables to save: load or open some data first.');
    return encodeWorkspace(workspace.db, tables, this.settings(passphrase !== null), passphrase);
  }

  private async job(label: string, work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = label;
    this.error = null;
    this.notice = null;
    try {
      await work();
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = null;
      await this.refresh();
    }
  }

  /** Saves the session under `name` in this browser; encrypted when a passphrase is given. */
  async save(name: string, passphrase: string | null): Promise<void> {
    await this.job(`Saving "${name.trim()}"…`, async () => {
      const bytes = await this.encode(passphrase);
      const saved = await writeWorkspaceFile(name, bytes);
      this.notice = `Saved "${saved.name}" (${workspace.tables.length} tables, ${formatBytes(saved.bytes)}${saved.encrypted ? ', encrypted' : ', not encrypted'}).`;
      // The first save is when keeping storage starts to matter: ask then, and show the answer.
      if (this.persistence === 'unknown') await this.requestPersistence();
    });
  }

  /** Restores the saved workspace `name`: its tables replace tables of the same name, others are added. */
  async restore(name: string, passphrase: string | null): Promise<void> {
    await this.job(`Opening "${name}"…`, async () => {
      await this.restoreBytes(name, await readWorkspaceFile(name), passphrase);
    });
  }

  /** Deletes the saved workspace `name` from this browser. */
  async remove(name: string): Promise<void> {
    await this.job(`Deleting "${name}"…`, async () => {
      await deleteWorkspaceFile(name);
      this.notice = `Deleted the saved workspace "${name}".`;
    });
  }

  /**
   * The session as one encrypted file for the component to download (a passphrase is required:
   * the file leaves the browser); null when it could not be made (the error is shown).
   */
  async exportFile(passphrase: string): Promise<{ fileName: string; blob: Blob } | null> {
    let file: { fileName: string; blob: Blob } | null = null;
    await this.job('Encrypting the workspace file…', async () => {
      if (!passphrase) throw new AppError('invalid-argument', 'type a passphrase: a workspace file is always encrypted, since it leaves the browser.');
      const bytes = await this.encode(passphrase);
      file = { fileName: `clientele-workspace-${new Date().toISOString().slice(0, 10)}.clw`, blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }) };
      this.notice = `Exported the workspace as one encrypted file (${formatBytes(bytes.length)}).`;
    });
    return file;
  }

  /** Opens a workspace file picked from disk. */
  async importFile(file: File, passphrase: string | null): Promise<void> {
    await this.job(`Opening ${file.name}…`, async () => {
      await this.restoreBytes(file.name, new Uint8Array(await file.arrayBuffer()), passphrase);
    });
  }

  /** True when the saved workspace `name` needs a passphrase. */
  isEncrypted(name: string): boolean {
    return this.list.find((w) => w.name === name)?.encrypted ?? false;
  }

  private async restoreBytes(label: string, bytes: Uint8Array, passphrase: string | null): Promise<void> {
    // Decrypting and unpacking happen before any table is touched: a wrong passphrase or a
    // damaged file changes nothing.
    const { files, settings } = await decodeWorkspace(bytes, isEncryptedWorkspace(bytes) ? passphrase : null);
    const tables = await restoreWorkspaceTables(workspace.db, files);
    const kept: readonly WorkspaceFile[] = files;
    workspace.rememberJob(async (db) => void (await restoreWorkspaceTables(db, kept)));
    for (const [id, value] of Object.entries(settings.parts ?? {})) await parts.get(id)?.restore(value);
    await workspace.refresh(tables[0] ?? null);
    const sizes = tables.map((t) => {
      const n = workspace.tables.find((x) => x.name === t)?.rows ?? 0;
      return `${t} (${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'})`;
    });
    this.notice = `Restored ${tables.length} tables from "${label}": ${sizes.join(', ')}.`;
  }
}

/** The app's one list of saved workspaces. */
export const savedWorkspaces = new SavedWorkspaces();
