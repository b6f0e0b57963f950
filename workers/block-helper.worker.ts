/// <reference lib="webworker" />
import { serveBlockJob, type BlockJob } from '../src/core/block-jobs';

/**
 * A helper thread, started by the mining or models worker (never by the page): for each run it is
 * sent the run's shared memory and works on row blocks until the run ends (src/core/block-pool.ts).
 */
self.onmessage = (e: MessageEvent<BlockJob>) => serveBlockJob(e.data);
self.postMessage('started');
