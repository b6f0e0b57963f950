import type { IngestApi } from '../../shared/ingest-api';
import { createWorkerHandle } from './worker-client';

/** The ingest worker, wrapped: calls that can be cancelled (terminate + fresh worker next time). */
export interface IngestClient extends IngestApi {
  /** Stops the running parse; its promise rejects with an AbortError. */
  cancel(): void;
}

/** Creates the client; the worker (workers/ingest.worker.ts) starts on first use. */
export function createIngestClient(): IngestClient {
  const worker = createWorkerHandle<IngestApi>(
    () => new Worker(new URL('../../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' }),
    'file reader',
  );
  return {
    parquet: (file, name) => worker.call((api) => api.parquet(file, name)),
    json: (file, name, ndjson) => worker.call((api) => api.json(file, name, ndjson)),
    xlsx: (file, name) => worker.call((api) => api.xlsx(file, name)),
    demo: (seed) => worker.call((api) => api.demo(seed)),
    cancel: () => worker.cancel(),
  };
}
