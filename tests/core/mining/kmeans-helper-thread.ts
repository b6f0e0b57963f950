// A k-means helper thread for Node (worker_threads), as workers/kmeans-helper.worker.ts is in the
// browser: it serves each run's blocks over the shared memory it is sent.
import { parentPort } from 'node:worker_threads';
import type { HamerlyMemory } from '../../../src/core/mining/kmeans-hamerly';
import { serveHamerlyBlocks } from '../../../src/core/mining/kmeans-pool';

parentPort?.on('message', (memory: HamerlyMemory) => serveHamerlyBlocks(memory));
parentPort?.postMessage('started');
