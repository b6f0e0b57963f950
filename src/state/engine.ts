import { createWasmConnector, type BrowserDb } from '../services/db/wasm-connector';
import { createIngestClient, type IngestClient } from '../services/workers/ingest-client';

let db: BrowserDb | null = null;
let ingest: IngestClient | null = null;

/** The page's one DuckDB engine (started on first use). */
export function engine(): BrowserDb {
  db ??= createWasmConnector();
  return db;
}

/** The page's file-parsing worker client. */
export function ingestWorker(): IngestClient {
  ingest ??= createIngestClient();
  return ingest;
}
