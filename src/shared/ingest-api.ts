import type { ParquetWriteOptions } from '../core/formats/parquet-write';
import type { SheetIPC } from '../core/formats/xlsx';

/** Arrow IPC bytes for one table read from a file, with notes for the analyst. */
export interface ParsedTable {
  ipc: Uint8Array;
  rows: number;
  /** Column names that had to change (blank or repeated). */
  renamed: string[];
}

/**
 * Parsing that runs in workers/ingest.worker.ts (off the main thread): formats DuckDB-WASM cannot
 * read itself without downloading an extension. Input is a File/Blob (cheap to post: a reference)
 * or bytes; output is Arrow IPC, transferred back.
 */
export interface IngestApi {
  parquet(file: Blob | Uint8Array, fileName: string): Promise<ParsedTable>;
  json(file: Blob | Uint8Array, fileName: string, ndjson: boolean): Promise<ParsedTable>;
  xlsx(file: Blob | Uint8Array, fileName: string): Promise<SheetIPC[]>;
  /** The built-in demo CRM dataset (seeded), one Arrow IPC table per entity. */
  demo(seed: number): Promise<{ name: string; ipc: Uint8Array }[]>;
  /**
   * Writes Parquet from a stream of Arrow IPC chunks (one schema), pulled as the encoder needs
   * them: the stream is transferred (its chunks then cross one by one), the file's parts come
   * back transferred. An error of the stream (a cancelled export) rejects.
   */
  parquetWrite(chunks: ReadableStream<Uint8Array>, options: ParquetWriteOptions): Promise<Uint8Array[]>;
}
