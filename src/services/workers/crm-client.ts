import type { CrmApi } from '../../shared/crm-api';
import { createWorkerHandle, progressProxy, sendTransferred } from './worker-client';

/** The CRM worker, wrapped; `cancel()` terminates a running fit. */
export interface CrmClient extends CrmApi {
  cancel(): void;
}

/** Creates the client; the worker (workers/crm.worker.ts) starts on first use. */
export function createCrmClient(): CrmClient {
  const worker = createWorkerHandle<CrmApi>(
    () => new Worker(new URL('../../../workers/crm.worker.ts', import.meta.url), { type: 'module', name: 'crm' }),
    'lifetime-value fit',
  );
  return {
    fitClv: (input, options, onProgress) => worker.call((api) => api.fitClv(sendTransferred(input), options, progressProxy(onProgress))),
    cancel: () => worker.cancel(),
  };
}
