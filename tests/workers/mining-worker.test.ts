import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { installErrorTransfer } from '../../src/shared/comlink-errors';
import type { MiningApi } from '../../src/shared/mining-api';
import type { Progress } from '../../src/core/progress';
import { miningWorker } from '../../workers/mining.worker';
import { readMatrix } from '../core/mining/load-fixtures';

// The worker's API served over a real MessageChannel, as in the browser: structured cloning,
// transfers, proxied progress callbacks and error codes all cross a port.
installErrorTransfer();
const channel = new MessageChannel();
Comlink.expose(miningWorker, channel.port1 as unknown as Comlink.Endpoint);
const remote = Comlink.wrap<MiningApi>(channel.port2 as unknown as Comlink.Endpoint);
afterAll(() => {
  remote[Comlink.releaseProxy]();
  channel.port1.close();
});

describe('mining worker API over Comlink', () => {
  it('clusters iris with the input transferred in and typed arrays back, reporting throttled progress', async () => {
    const iris = readMatrix('iris.csv', [0, 1, 2, 3]);
    const reports: number[] = [];
    const input = { data: iris.data, n: iris.n, d: iris.d };
    const result = await remote.kmeans(
      Comlink.transfer(input, [iris.data.buffer]),
      { k: 3, seed: 0 },
      Comlink.proxy((p: Progress) => void reports.push(p.fraction ?? -1)),
    );
    expect(iris.data.byteLength).toBe(0); // transferred, not copied
    expect(result.labels).toBeInstanceOf(Int32Array);
    expect(result.centroids).toBeInstanceOf(Float64Array);
    expect(result.inertia).toBeCloseTo(78.8514, 3);
    // Progress travels on the callback's own port, so it may land after the result.
    await vi.waitFor(() => expect(reports.at(-1)).toBe(1));
    expect(reports.length).toBeLessThan(10); // ~60 iterations in a burst, throttled to 10/s
  });

  it('runs DBSCAN, the k-distance chart, the elbow and the silhouette', async () => {
    const m = readMatrix('dbscan-blobs-2d.csv');
    const fit = await remote.dbscan({ ...m }, { eps: 0.3, minSamples: 6 });
    expect(fit.clusters).toBe(8);
    expect(fit.coreMask).toBeInstanceOf(Uint8Array);
    const k = await remote.kDistances({ ...m }, { k: 6 });
    expect(k.length).toBe(m.n);
    const elbow = await remote.elbow({ ...m }, { maxK: 4, nInit: 2 });
    expect(Array.from(elbow.ks)).toEqual([1, 2, 3, 4]);
    expect(elbow.suggestedK).toBeGreaterThanOrEqual(1);
    const s = await remote.silhouette({ ...m, labels: fit.labels }, {});
    expect(s).toBeGreaterThan(0);
  });

  it('mines rules and keeps the error code of a failure', async () => {
    const tx = { offsets: Int32Array.from([0, 2, 4, 5]), items: Int32Array.from([1, 2, 1, 2, 1]) };
    const { itemsets, rules } = await remote.mineRules(tx, { minCount: 2, minConfidence: 0.5 });
    expect(Array.from(itemsets.counts).sort()).toEqual([2, 2, 3]);
    expect(rules.conviction).toBeInstanceOf(Float64Array);
    expect(rules.counts.length).toBe(2);
    await expect(remote.frequentItemsets(tx, { minSupport: 2 })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(remote.kmeans({ data: new Float64Array(4), n: 2, d: 2 }, { k: 3 })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/got 3/),
    });
  });
});
