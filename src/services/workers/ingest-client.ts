import * as Comlink from 'comlink';
import { AbortError, AppError } from '../../core/errors';
import { installErrorTransfer } from '../../shared/comlink-errors';
import type { IngestApi } from '../../shared/ingest-api';

/** The ingest worker, wrapped: calls that can be cancelled (terminate + fresh worker next time). */
export interface IngestClient extends IngestApi {
  /** Stops the running parse; its promise rejects with an AbortError. */
  cancel(): void;
}

/** Creates the client; the worker starts on first use. */
export function createIngestClient(): IngestClient {
  installErrorTransfer();
  let worker: Worker | null = null;
  let remote: Comlink.Remote<IngestApi> | null = null;
  const pending = new Set<(err: Error) => void>();

  const stop = (err: Error) => {
    worker?.terminate();
    worker = null;
    remote = null;
    for (const reject of [...pending]) reject(err);
    pending.clear();
  };
  const ensure = (): Comlink.Remote<IngestApi> => {
    if (!remote) {
      worker = new Worker(new URL('../../../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
      worker.addEventListener('error', (e) => stop(new AppError('engine-crashed', `The file reader stopped (${e.message || 'worker error'}). Try the file again.`)));
      remote = Comlink.wrap<IngestApi>(worker);
    }
    return remote;
  };
  const track = <T>(run: (api: Comlink.Remote<IngestApi>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.add(reject);
      run(ensure())
        .then(resolve, (err) => {
          // A parser trapped (e.g. parquet-wasm panicking on a fuzzed file): its wasm memory may
          // be inconsistent, so the next call gets a fresh worker.
          if ((err as { code?: string })?.code === 'engine-crashed') {
            worker?.terminate();
            worker = null;
            remote = null;
          }
          reject(err);
        })
        .finally(() => pending.delete(reject));
    });

  return {
    parquet: (file, name) => track((api) => api.parquet(file, name)),
    json: (file, name, ndjson) => track((api) => api.json(file, name, ndjson)),
    xlsx: (file, name) => track((api) => api.xlsx(file, name)),
    demo: (seed) => track((api) => api.demo(seed)),
    cancel: () => stop(new AbortError()),
  };
}
