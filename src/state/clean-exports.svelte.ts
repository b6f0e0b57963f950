import { errorMessage, isAbort } from '../core/errors';
import { recipeToJson } from '../core/recipe';
import type { ExportFormat } from '../services/db/export';
import { exportRecipeScript } from '../services/db/recipe-run';
import type { CleanRoom } from './clean.svelte';
import { ingestWorker } from './engine';
import { workspace } from './workspace.svelte';

/** A file ready to save. */
export interface Download {
  fileName: string;
  blob: Blob;
}

/**
 * The Clean room's exports: the recipe as JSON (statistics frozen when the applied run is
 * current) or as a standalone .sql script for the DuckDB CLI, and the cleaned table as CSV,
 * Parquet or Arrow IPC (chunked, with progress, cancellable).
 */
export class CleanExports {
  /** What the running table export is doing, or null. */
  exporting = $state<string | null>(null);
  error = $state<string | null>(null);
  private controller: AbortController | null = null;

  constructor(private readonly room: CleanRoom) {}

  /** The recipe as a JSON file: the applied one (statistics frozen) when it is current, with the source's columns. */
  recipeJson(): Download {
    const room = this.room;
    return { fileName: `${room.output}.recipe.json`, blob: new Blob([recipeToJson(room.exportableRecipe())], { type: 'application/json' }) };
  }

  /** The applied recipe as a standalone .sql script for the DuckDB CLI. */
  async recipeSql(): Promise<Download | null> {
    this.error = null;
    const applied = this.room.currentApplied();
    if (!applied) {
      this.error = 'Run the recipe first (it must run without errors): the script freezes the statistics the run computed.';
      return null;
    }
    try {
      const sql = await exportRecipeScript(workspace.db, applied);
      return { fileName: `${this.room.output}.sql`, blob: new Blob([sql], { type: 'application/sql' }) };
    } catch (err) {
      this.error = errorMessage(err);
      return null;
    }
  }

  /** The cleaned table as a CSV, Parquet or Arrow IPC file (chunked; cancellable with {@link cancel}). */
  async table(format: ExportFormat): Promise<Download | null> {
    this.error = null;
    const room = this.room;
    const table = room.output;
    if (room.outputRows === null || !room.tableColumns(table)) {
      this.error = `There is no cleaned table "${table}" yet: run the recipe first.`;
      return null;
    }
    const ctl = new AbortController();
    this.controller = ctl;
    this.exporting = `Exporting ${table}…`;
    try {
      const { exportTable, EXPORT_FORMATS } = await import('../services/db/export');
      const file = await exportTable(workspace.db, table, format, {
        signal: ctl.signal,
        // Parquet is encoded in the ingest worker: the page's thread only fetches the chunks.
        parquetEncoder: (chunks, options) => ingestWorker().parquetWrite(chunks, options),
        onProgress: (done, rows) => (this.exporting = `Exporting ${table} as ${EXPORT_FORMATS[format].label}: ${done.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows`),
      });
      if (file.asText.length) room.notice = `Written as text (no ${EXPORT_FORMATS[format].label} type): ${file.asText.join(', ')}.`;
      return { fileName: file.fileName, blob: new Blob(file.parts as BlobPart[], { type: file.mime }) };
    } catch (err) {
      if (!isAbort(err)) this.error = errorMessage(err);
      return null;
    } finally {
      this.exporting = null;
      this.controller = null;
    }
  }

  /** Stops a running table export. */
  cancel(): void {
    this.controller?.abort();
  }
}
