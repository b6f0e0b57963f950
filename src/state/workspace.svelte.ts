import { AppError, errorMessage, isAbort, AbortError } from '../core/errors';
import { listTables, memoryUsage, renameTable, dropTable, type TableSummary } from '../services/db/catalog';
import type { CsvDialect } from '../services/db/csv';
import { loadFiles, type IngestFile, type LoadedTable, type LoadRequest } from '../services/db/ingest';
import { ident } from '../services/db/sql';
import type { BrowserDb } from '../services/db/wasm-connector';
import type { DbConnector } from '../services/db/connector';
import { loadSample, prefetchDemo, SAMPLES, type SampleId } from './samples';
import { engine, ingestWorker } from './engine';

/** A loaded table and, when it came from files, how it was loaded. */
export interface TableEntry extends TableSummary {
  source?: LoadedTable;
}

/** An error shown where the action happened. */
export interface ShownError {
  message: string;
  file?: string;
  line?: number;
}

/** What the engine must redo to rebuild the workspace after a crash or a cancelled job. */
type ReplayStep =
  | { kind: 'load'; request: LoadRequest; tables: string[] }
  | { kind: 'sample'; id: SampleId }
  | { kind: 'sql'; sql: string }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'drop'; name: string }
  | { kind: 'job'; run: (db: DbConnector) => Promise<void>; key?: string };

/** Longest a single load statement may run before the engine is restarted (a hang guard). */
const LOAD_TIME_LIMIT_MS = 180_000;

async function headOf(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, 65536).arrayBuffer());
}

/** A connector whose every query carries a time limit. */
function limited(db: BrowserDb, timeoutMs: number): DbConnector {
  return { ...db, query: (sql: string) => db.query(sql, { timeoutMs }) };
}

/**
 * The workspace: the tables in DuckDB, which one is selected, loading and its errors. The only
 * caller of the db/ingest services for tables; components read its fields and call its methods.
 */
export class Workspace {
  tables = $state<TableEntry[]>([]);
  selected = $state<string | null>(null);
  busy = $state<string | null>(null);
  loadError = $state<ShownError | null>(null);
  notice = $state<string | null>(null);
  memory = $state<string>('');
  engineInfo = $state<string>('');
  /** Bumped whenever table contents may have changed, so views refetch. */
  revision = $state(0);

  private sources = new Map<string, LoadedTable>();
  private replayLog: ReplayStep[] = [];
  private renameListeners: ((from: string, to: string) => void | Promise<void>)[] = [];
  private replaying = false;

  get db(): BrowserDb {
    return engine();
  }

  get current(): TableEntry | null {
    return this.tables.find((t) => t.name === this.selected) ?? null;
  }

  /** Starts the engine and opens the built-in sample. */
  async start(sample: SampleId = 'demo-crm'): Promise<void> {
    this.db.onRestart((reason) => void this.recover(reason));
    if (sample === 'demo-crm') prefetchDemo(ingestWorker());
    await this.run('Starting the database engine…', async () => {
      const [version, bundle] = await Promise.all([this.db.version(), this.db.bundle()]);
      this.engineInfo = `DuckDB ${version} (${bundle === 'coi' ? 'multi-threaded' : bundle} build)`;
    });
    await this.openSample(sample);
  }

  /** Loads a built-in sample dataset. */
  async openSample(id: SampleId): Promise<void> {
    const label = SAMPLES.find((s) => s.id === id)?.label ?? id;
    await this.run(`Loading the ${label} sample…`, async () => {
      const made = await loadSample(this.db, ingestWorker(), id, this.tables.map((t) => t.name));
      this.replayLog.push({ kind: 'sample', id });
      await this.refresh(made[0]);
    });
  }

  /** Loads files the analyst picked or dropped. */
  async openFiles(files: File[], options: { combine?: boolean; skipBadRows?: boolean } = {}): Promise<void> {
    if (files.length === 0) return;
    const groups: File[][] = options.combine ? [files] : files.map((f) => [f]);
    for (const group of groups) {
      const names = group.map((f) => f.name).join(', ');
      await this.run(`Loading ${names}…`, async () => {
        const ingestFiles: IngestFile[] = await Promise.all(group.map(async (f) => ({ name: f.name, size: f.size, source: f, head: await headOf(f) })));
        const request: LoadRequest = { files: ingestFiles, csv: { skipBadRows: options.skipBadRows } };
        const loaded = await loadFiles(limited(this.db, LOAD_TIME_LIMIT_MS), ingestWorker(), request);
        for (const t of loaded) this.sources.set(t.table, t);
        this.replayLog.push({ kind: 'load', request: { ...request, table: loaded.length === 1 ? loaded[0].table : undefined }, tables: loaded.map((t) => t.table) });
        await this.refresh(loaded[0].table);
        const notes = loaded.flatMap((t) => t.notes);
        this.notice = `Loaded ${loaded.map((t) => `${t.table} (${t.rows.toLocaleString('en-US')} rows × ${t.columns} columns)`).join(', ')}.${notes.length ? ' ' + notes.join(' ') : ''}`;
      });
    }
  }

  /** Reloads a CSV table with a dialect the analyst edited; the old table stays until the new one loads. */
  async reloadWithDialect(table: string, dialect: Partial<CsvDialect>, skipBadRows: boolean): Promise<void> {
    const source = this.sources.get(table);
    const step = this.replayLog.find((s): s is Extract<ReplayStep, { kind: 'load' }> => s.kind === 'load' && s.tables.includes(table));
    if (!source || !step) return;
    await this.run(`Reloading ${table} with the new dialect…`, async () => {
      const request: LoadRequest = { ...step.request, table: `${table}__reload`, csv: { dialect, skipBadRows } };
      const [loaded] = await loadFiles(limited(this.db, LOAD_TIME_LIMIT_MS), ingestWorker(), request);
      await this.db.query(`DROP TABLE ${ident(table)}; ALTER TABLE ${ident(loaded.table)} RENAME TO ${ident(table)}`);
      const entry = { ...loaded, table };
      this.sources.set(table, entry);
      step.request = { ...request, table };
      await this.refresh(table);
      this.notice = `Reloaded ${table}: ${loaded.rows.toLocaleString('en-US')} rows × ${loaded.columns} columns.${loaded.notes.length ? ' ' + loaded.notes.join(' ') : ''}`;
    });
  }

  /** Renames a table. */
  async rename(from: string, to: string): Promise<void> {
    await this.run(`Renaming ${from}…`, async () => {
      await renameTable(this.db, from, to);
      const source = this.sources.get(from);
      if (source) {
        this.sources.delete(from);
        this.sources.set(to.trim(), { ...source, table: to.trim() });
      }
      this.replayLog.push({ kind: 'rename', from, to: to.trim() });
      for (const listener of this.renameListeners) await listener(from, to.trim());
      await this.refresh(this.selected === from ? to.trim() : this.selected);
    });
  }

  /** Calls `listener` after a table is renamed from the sidebar (a room follows its table). */
  onRename(listener: (from: string, to: string) => void | Promise<void>): void {
    this.renameListeners.push(listener);
  }

  /** Drops a table. */
  async drop(name: string): Promise<void> {
    await this.run(`Dropping ${name}…`, async () => {
      await dropTable(this.db, name);
      this.sources.delete(name);
      this.replayLog.push({ kind: 'drop', name });
      await this.refresh(this.selected === name ? null : this.selected);
    });
  }

  /** Records a console statement that changed tables, so a restart can redo it. */
  rememberStatement(sql: string): void {
    this.replayLog.push({ kind: 'sql', sql });
  }

  /**
   * Records a change made from bytes or a secret rather than SQL text (a restore, a keyed
   * transform), so a restart can redo it. With a `key`, an earlier job of the same key is
   * forgotten (a recipe run again replaces its table: only the latest run is redone).
   */
  rememberJob(run: (db: DbConnector) => Promise<void>, key?: string): void {
    if (key !== undefined) this.replayLog = this.replayLog.filter((s) => !(s.kind === 'job' && s.key === key));
    this.replayLog.push({ kind: 'job', run, key });
  }

  /** The built-in samples opened in this session, and whether any file was loaded (share links carry samples only). */
  get origin(): { samples: SampleId[]; uploads: boolean } {
    return { samples: this.replayLog.flatMap((s) => (s.kind === 'sample' ? [s.id] : [])), uploads: this.replayLog.some((s) => s.kind === 'load') };
  }

  /** Cancels the running job: the engine restarts and the workspace is rebuilt. */
  cancel(): void {
    ingestWorker().cancel();
    this.db.restart(new AbortError('Cancelled.'));
  }

  /** Re-reads the table list and memory figure; selects `select` (or keeps the selection). */
  async refresh(select: string | null = this.selected): Promise<void> {
    const list = await listTables(this.db);
    this.tables = list.map((t) => ({ ...t, source: this.sources.get(t.name) }));
    const names = new Set(list.map((t) => t.name));
    this.selected = select && names.has(select) ? select : (list[0]?.name ?? null);
    const mem = await memoryUsage(this.db);
    this.memory = `${mem.used} of ${mem.limit}`;
    this.revision++;
  }

  /** Source info (dialect, rejects) of a table loaded from files. */
  sourceOf(name: string): LoadedTable | undefined {
    return this.sources.get(name);
  }

  private async run(label: string, job: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.loadError = null;
    this.notice = null;
    try {
      await job();
    } catch (err) {
      if (!isAbort(err)) {
        const e = err as Partial<AppError>;
        this.loadError = { message: errorMessage(err), file: e.file, line: e.line };
      }
      await this.refresh().catch(() => undefined);
    } finally {
      if (this.busy === label) this.busy = null;
    }
  }

  /** After an engine restart: reload every file and redo every change, in order. */
  private async recover(reason: AppError): Promise<void> {
    if (this.replaying) return;
    this.replaying = true;
    const steps = [...this.replayLog];
    this.busy = 'The engine restarted: reloading your tables…';
    const failures: string[] = [];
    for (const step of steps) {
      try {
        if (step.kind === 'sample') await loadSample(this.db, ingestWorker(), step.id, []);
        else if (step.kind === 'load') {
          const loaded = await loadFiles(this.db, ingestWorker(), step.request);
          for (const t of loaded) this.sources.set(t.table, t);
        } else if (step.kind === 'sql') await this.db.query(step.sql);
        else if (step.kind === 'rename') await renameTable(this.db, step.from, step.to);
        else if (step.kind === 'job') await step.run(this.db);
        else await dropTable(this.db, step.name);
      } catch (err) {
        failures.push(errorMessage(err));
      }
    }
    this.replaying = false;
    this.busy = null;
    await this.refresh().catch(() => undefined);
    if (!isAbort(reason)) {
      this.loadError = {
        message: `${reason.message}${failures.length ? ` Some steps could not be redone: ${failures.join(' ')}` : ' All tables were reloaded.'}`,
      };
    } else {
      this.notice = 'Cancelled. Your tables are as they were.';
    }
  }
}

/** The app's one workspace. */
export const workspace = new Workspace();
