/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { fitDbscan, kDistances } from '../src/core/mining/dbscan';
import { elbowCurve, suggestElbow } from '../src/core/mining/elbow';
import { frequentItemsets } from '../src/core/mining/fpgrowth';
import { fitKMeansShared } from '../src/core/mining/kmeans';
import { blockRowsFor } from '../src/core/mining/kmeans-hamerly';
import { fitMiniBatchKMeans } from '../src/core/mining/kmeans-minibatch';
import { mineRules } from '../src/core/mining/rules';
import { silhouetteScore } from '../src/core/mining/silhouette';
import { throttleProgress } from '../src/core/progress';
import { installErrorTransfer } from '../src/shared/comlink-errors';
import type { MiningApi } from '../src/shared/mining-api';
import { helperThreads } from './helper-threads';

/**
 * Clustering and basket mining off the main thread: a thin layer over src/core/mining. Progress
 * is throttled to 10 reports a second; result typed arrays are transferred, not copied.
 * Exported for tests, which expose it on a MessageChannel; in a worker it exposes itself.
 */
export const miningWorker = {
  async kmeans(input, options, onProgress) {
    // A table of more than one block of rows shares its iterations with helper threads.
    const helpers = (input.n > blockRowsFor(input.n) ? await kmeansHelpers() : undefined) ?? { size: 0, post: () => {} };
    const r = await fitKMeansShared(input.data, input.n, input.d, options, helpers, undefined, throttleProgress(onProgress));
    return Comlink.transfer(r, buffers(r.labels, r.centroids));
  },
  async miniBatchKMeans(input, options, onProgress) {
    const r = fitMiniBatchKMeans(input.data, input.n, input.d, options, undefined, throttleProgress(onProgress));
    return Comlink.transfer(r, buffers(r.labels, r.centroids));
  },
  async elbow(input, options, onProgress) {
    const curve = elbowCurve(input.data, input.n, input.d, options, undefined, throttleProgress(onProgress));
    const r = { ...curve, suggestedK: suggestElbow(curve) };
    return Comlink.transfer(r, buffers(r.ks, r.inertias));
  },
  async silhouette(input, options, onProgress) {
    const score = silhouetteScore(input.data, input.n, input.d, input.labels, options.sampleSize, options.seed);
    onProgress?.({ stage: 'done', fraction: 1, detail: { silhouette: score } });
    return score;
  },
  async dbscan(input, options, onProgress) {
    const r = fitDbscan(input.data, input.n, input.d, options, undefined, throttleProgress(onProgress));
    return Comlink.transfer(r, buffers(r.labels, r.coreMask));
  },
  async kDistances(input, options, onProgress) {
    const r = kDistances(input.data, input.n, input.d, options.k, undefined, throttleProgress(onProgress));
    return Comlink.transfer(r, buffers(r));
  },
  async frequentItemsets(input, options, onProgress) {
    const r = frequentItemsets(input, options, undefined, throttleProgress(onProgress));
    return Comlink.transfer(r, buffers(r.offsets, r.items, r.counts));
  },
  async mineRules(input, options, onProgress) {
    const r = mineRules(input, options, undefined, throttleProgress(onProgress));
    const { itemsets: s, rules: q } = r;
    return Comlink.transfer(
      r,
      buffers(s.offsets, s.items, s.counts, q.antecedentOffsets, q.antecedentItems, q.consequentOffsets, q.consequentItems,
        q.counts, q.support, q.confidence, q.lift, q.leverage, q.conviction),
    );
  },
} satisfies MiningApi;

/** The k-means helper threads (see helper-threads.ts). */
const kmeansHelpers = helperThreads(() => new Worker(new URL('./block-helper.worker.ts', import.meta.url), { type: 'module', name: 'block-helper' }));

/** The distinct transferable buffers behind some typed arrays (a buffer listed twice cannot be posted). */
function buffers(...arrays: ArrayBufferView[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}

if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  installErrorTransfer();
  Comlink.expose(miningWorker);
}
