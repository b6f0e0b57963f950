/// <reference lib="webworker" />
import type { LogisticMemory } from '../src/core/models/logistic-blocks';
import { serveLogisticBlocks } from '../src/core/models/logistic-rows';

/**
 * A logistic-regression helper thread, started by the models worker (never by the page): for each
 * fit it is sent the fit's shared memory and works on row blocks until the fit ends (see
 * src/core/block-pool.ts).
 */
self.onmessage = (e: MessageEvent<LogisticMemory>) => serveLogisticBlocks(e.data);
self.postMessage('started');
