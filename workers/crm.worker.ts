/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { runClvJob } from '../src/core/crm/clv-job';
import { throttleProgress } from '../src/core/progress';
import { installErrorTransfer } from '../src/shared/comlink-errors';
import type { CrmApi } from '../src/shared/crm-api';

installErrorTransfer();

/** CRM model fits off the main thread: a thin layer over src/core/crm, results transferred. */
const api = {
  async fitClv(input, options, onProgress) {
    const r = runClvJob(input, options, throttleProgress(onProgress));
    return Comlink.transfer(r, [r.pAlive.buffer, r.expectedTransactions.buffer, r.expectedSpend.buffer, r.clv.buffer] as ArrayBuffer[]);
  },
} satisfies CrmApi;

Comlink.expose(api);
