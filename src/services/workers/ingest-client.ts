import * as Comlink from 'comlink';
import type { IngestApi } from '../../shared/ingest-api';
import { createWorkerHandle } from './worker-client';

/** The ingest worker, wrapped: calls that can be cancelled (terminate + fresh worker next time). */
export interface IngestClient extends IngestApi {
  /** Stops the running parse; its promise rejects with an AbortError. */
  cancel(): void;
}

function spawnIngestWorker(): Worker {
  return new Worker(new URL('../../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
}

/**
 * Creates the client; the worker (workers/ingest.worker.ts, or what `spawn` starts: Node tests
 * serve the API on a MessageChannel) starts on first use.
 */
export function createIngestClient(spawn: () => Worker = spawnIngestWorker): IngestClient {
  const worker = createWorkerHandle<IngestApi>(spawn, 'file reader');
  return {
    parquet: (file, name) => worker.call((api) => api.parquet(file, name)),
    json: (file, name, ndjson) => worker.call((api) => api.json(file, name, ndjson)),
    xlsx: (file, name) => worker.call((api) => api.xlsx(file, name)),
    demo: (seed) => worker.call((api) => api.demo(seed)),
    // The stream itself is transferred: the worker pulls chunks from this thread as it encodes.
    parquetWrite: (chunks, options) => worker.call((api) => api.parquetWrite(Comlink.transfer(chunks, [chunks]), options)),
    cancel: () => worker.cancel(),
  };
}
