// A helper thread for Node (worker_threads), as workers/block-helper.worker.ts is in the browser:
// it serves each run's row blocks (k-means or logistic) over the shared memory it is sent.
import { parentPort } from 'node:worker_threads';
import { serveBlockJob, type BlockJob } from '../../src/core/block-jobs';

parentPort?.on('message', (job: BlockJob) => serveBlockJob(job));
parentPort?.postMessage('started');
