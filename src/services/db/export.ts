import { RecordBatchStreamWriter, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { AbortError, AppError, throwIfAborted } from '../../core/errors';
import { encodeParquet, type ParquetWriteOptions } from '../../core/formats/parquet-write';
import { typeFamily } from '../../core/recipe/sql-text';
import type { DbConnector } from './connector';
import { countRows, relationColumns } from './recipe-report';
import { ident, literal } from './sql';

/** File formats a table can be exported as. */
export type ExportFormat = 'csv' | 'parquet' | 'arrow';

/** File extension and MIME type of each export format. */
export const EXPORT_FORMATS: Record<ExportFormat, { extension: string; mime: string; label: string }> = {
  csv: { extension: 'csv', mime: 'text/csv', label: 'CSV' },
  parquet: { extension: 'parquet', mime: 'application/vnd.apache.parquet', label: 'Parquet' },
  arrow: { extension: 'arrow', mime: 'application/vnd.apache.arrow.stream', label: 'Arrow IPC' },
};

/** Options of {@link exportTable}. */
export interface ExportOptions {
  /**
   * Rows fetched from DuckDB (and encoded) per chunk for Parquet and Arrow (default 16,384):
   * small enough that handling one chunk on the page's thread stays a short task.
   */
  chunkRows?: number;
  signal?: AbortSignal;
  /** Rows written so far and the total. */
  onProgress?: (rowsDone: number, rows: number) => void;
  /**
   * Serialises a query result to Arrow IPC stream bytes. The default is this bundle's apache-arrow
   * `tableToIPC`, the instance duckdb-wasm returns in the browser; under Node, duckdb-wasm's
   * node-blocking build returns the CommonJS copy's tables, so tests pass that copy's function.
   */
  toIPC?: (result: Table) => Uint8Array;
  /**
   * Encodes the Arrow IPC chunks as Parquet parts. The browser passes the ingest worker's
   * `parquetWrite`, so the encoding runs off the page's thread; the default encodes here.
   */
  parquetEncoder?: (chunks: ReadableStream<Uint8Array>, options: ParquetWriteOptions) => Promise<Uint8Array[]>;
}

/** An exported file: its bytes in parts (hand them to a Blob), the row count and any notes. */
export interface ExportedFile {
  fileName: string;
  mime: string;
  parts: Uint8Array[];
  bytes: number;
  rows: number;
  /** Columns written as text because the format has no matching type. */
  asText: string[];
}

/** Whether a column keeps its DuckDB type in Parquet/Arrow (else it is written as its text). */
function keepsType(type: string): boolean {
  const family = typeFamily(type);
  if (family === 'other') return type.toUpperCase() === 'BLOB';
  return !type.toUpperCase().startsWith('INTERVAL');
}

/** A SELECT of every column, with types the formats cannot hold rendered as text by DuckDB. */
async function exportSelect(db: DbConnector, table: string): Promise<{ select: string; asText: string[] }> {
  const columns = await relationColumns(db, table);
  const asText = columns.filter((c) => !keepsType(c.type)).map((c) => c.name);
  const list = columns.map((c) => (asText.includes(c.name) ? `${ident(c.name)}::VARCHAR AS ${ident(c.name)}` : ident(c.name)));
  return { select: `SELECT ${list.join(', ') || '*'} FROM ${ident(table)}`, asText };
}

/** The result as a table of this bundle's apache-arrow (re-read from IPC when another copy made it). */
function ownTable(result: Table, toIPC: (t: Table) => Uint8Array): Table {
  if (result instanceof Table) return result;
  return tableFromIPC(toIPC(result));
}

/**
 * Reads `select` chunk by chunk (LIMIT/OFFSET over a table's insertion order), calling `use` with
 * each chunk; yields to the event loop between chunks so the page stays responsive.
 */
async function forEachChunk(db: DbConnector, select: string, rows: number, options: ExportOptions, use: (chunk: Table) => void | Promise<void>): Promise<void> {
  const size = Math.max(1, Math.floor(options.chunkRows ?? 16_384));
  for (let offset = 0; offset < rows || offset === 0; offset += size) {
    throwIfAborted(options.signal);
    const chunk = await db.query(`${select} LIMIT ${size} OFFSET ${offset}`);
    await use(chunk);
    options.onProgress?.(Math.min(rows, offset + size), rows);
    await new Promise((r) => setTimeout(r, 0));
    if (rows === 0) break;
  }
}

/**
 * CSV by DuckDB's own writer (COPY … TO, header row, `,` delimiter, RFC 4180 quoting), which
 * runs inside the engine's worker; the file is then copied out of DuckDB's virtual file system.
 */
async function exportCsv(db: DbConnector, table: string, rows: number, options: ExportOptions): Promise<Uint8Array[]> {
  const tmp = `clientele-export-${Date.now().toString(36)}.csv`;
  throwIfAborted(options.signal);
  try {
    // An empty in-memory buffer first: DuckDB then writes into it, never onto a disk (Node).
    await db.registerFile(tmp, new Uint8Array(0));
    await db.query(`COPY (SELECT * FROM ${ident(table)}) TO ${literal(tmp)} (FORMAT csv, HEADER true, USE_TMP_FILE false)`);
    const bytes = await db.copyFileToBuffer(tmp);
    options.onProgress?.(rows, rows);
    return [bytes];
  } finally {
    await db.dropFile(tmp).catch(() => undefined);
  }
}

/** Arrow IPC stream: one schema, then a record batch per chunk. */
async function exportArrow(db: DbConnector, select: string, rows: number, options: ExportOptions): Promise<Uint8Array[]> {
  const toIPC = options.toIPC ?? ((t: Table) => tableToIPC(t, 'stream'));
  const writer = new RecordBatchStreamWriter();
  // Collect the writer's messages as they come, so the file is never copied into one buffer.
  const parts: Uint8Array[] = [];
  const collected = (async () => {
    for await (const part of writer) parts.push(part);
  })();
  try {
    await forEachChunk(db, select, rows, options, (chunk) => {
      const t = ownTable(chunk, toIPC);
      if (rows === 0) writer.write(t);
      else for (const b of t.batches) writer.write(b);
    });
  } finally {
    writer.finish();
    await collected;
  }
  return parts;
}

/** Rows per Parquet row group: small enough that closing one is a short step (see parquet-write.ts). */
const PARQUET_ROW_GROUP = 16_384;

/**
 * Parquet: chunks of `chunkRows` rows are fetched from DuckDB as Arrow IPC and handed, as a
 * stream the encoder pulls from, to `parquetEncoder` — in the browser the ingest worker (the
 * stream is transferred, so the encoding never runs on the page's thread), by default
 * {@link encodeParquet} in this thread (Node; parquet-wasm initialised with initParquet).
 */
async function exportParquet(db: DbConnector, select: string, rows: number, options: ExportOptions): Promise<Uint8Array[]> {
  const toIPC = options.toIPC ?? ((t: Table) => tableToIPC(t, 'stream'));
  const size = Math.max(1, Math.floor(options.chunkRows ?? 16_384));
  let offset = 0;
  const chunks = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (options.signal?.aborted) {
          controller.error(new AbortError());
          return;
        }
        if (offset >= rows && offset > 0) {
          controller.close();
          return;
        }
        const chunk = await db.query(`${select} LIMIT ${size} OFFSET ${offset}`);
        offset += size;
        options.onProgress?.(Math.min(rows, offset), rows);
        controller.enqueue(toIPC(chunk));
        if (rows === 0) controller.close();
      },
    },
    // One chunk ahead: the next query runs while the encoder works on the last one.
    { highWaterMark: 1 },
  );
  const encode = options.parquetEncoder ?? encodeParquet;
  try {
    const parts = await encode(chunks, { rowGroupRows: PARQUET_ROW_GROUP });
    throwIfAborted(options.signal);
    return parts;
  } catch (err) {
    // A cancelled export surfaces from the encoder (or the worker) as the stream's error.
    throwIfAborted(options.signal);
    throw err;
  }
}

/**
 * Exports a table as CSV, Parquet or Arrow IPC. Parquet and Arrow are built from Arrow chunks of
 * `chunkRows` rows fetched from DuckDB, so a million-row table never sits in one task; CSV is
 * written by DuckDB itself. Types Parquet/Arrow cannot hold (INTERVAL, nested, UUID…) are
 * written as DuckDB's text rendering and listed in `asText`. Cancelled by `signal` between chunks.
 */
export async function exportTable(db: DbConnector, table: string, format: ExportFormat, options: ExportOptions = {}): Promise<ExportedFile> {
  const rows = await countRows(db, table).catch((err: unknown) => {
    throw new AppError('not-found', `There is no table "${table}" to export: run the recipe (or load the table) first.`, { cause: err });
  });
  const spec = EXPORT_FORMATS[format];
  let parts: Uint8Array[];
  let asText: string[] = [];
  if (format === 'csv') parts = await exportCsv(db, table, rows, options);
  else {
    const s = await exportSelect(db, table);
    asText = s.asText;
    parts = format === 'arrow' ? await exportArrow(db, s.select, rows, options) : await exportParquet(db, s.select, rows, options);
  }
  return { fileName: `${table}.${spec.extension}`, mime: spec.mime, parts, bytes: parts.reduce((n, p) => n + p.length, 0), rows, asText };
}
