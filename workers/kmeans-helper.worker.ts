/// <reference lib="webworker" />
import type { HamerlyMemory } from '../src/core/mining/kmeans-hamerly';
import { serveHamerlyBlocks } from '../src/core/mining/kmeans-pool';

/**
 * A k-means helper thread, started by the mining worker (never by the page): for each run it is
 * sent the run's shared memory and works on row blocks until the run ends (see kmeans-pool.ts).
 */
self.onmessage = (e: MessageEvent<HamerlyMemory>) => serveHamerlyBlocks(e.data);
self.postMessage('started');
