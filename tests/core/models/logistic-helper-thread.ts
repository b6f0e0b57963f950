// A logistic helper thread for Node (worker_threads), as workers/logistic-helper.worker.ts is in
// the browser: it serves each fit's row blocks over the shared memory it is sent.
import { parentPort } from 'node:worker_threads';
import type { LogisticMemory } from '../../../src/core/models/logistic-blocks';
import { serveLogisticBlocks } from '../../../src/core/models/logistic-rows';

parentPort?.on('message', (memory: LogisticMemory) => serveLogisticBlocks(memory));
parentPort?.postMessage('started');
