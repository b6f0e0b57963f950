import type { DbscanOptions, DbscanResult } from '../core/mining/dbscan';
import type { ElbowCurve, ElbowOptions } from '../core/mining/elbow';
import type { FrequentItemsetOptions, FrequentItemsets } from '../core/mining/fpgrowth';
import type { KMeansOptions, KMeansResult } from '../core/mining/kmeans';
import type { MiniBatchKMeansOptions } from '../core/mining/kmeans-minibatch';
import type { AssociationRules, RuleOptions } from '../core/mining/rules';
import type { Transactions } from '../core/mining/transactions';
import type { ProgressCallback } from '../core/progress';

export type { DbscanOptions, DbscanResult } from '../core/mining/dbscan';
export type { ElbowCurve, ElbowOptions } from '../core/mining/elbow';
export type { FrequentItemsetOptions, FrequentItemsets } from '../core/mining/fpgrowth';
export type { KMeansOptions, KMeansResult } from '../core/mining/kmeans';
export type { MiniBatchKMeansOptions } from '../core/mining/kmeans-minibatch';
export type { AssociationRules, RuleOptions } from '../core/mining/rules';
export type { Transactions } from '../core/mining/transactions';

/**
 * A feature matrix crossing the worker boundary: n rows × d features, row-major in `data`.
 * Transfer `data.buffer` (`Comlink.transfer(input, [input.data.buffer])`); the worker owns it after.
 */
export interface MatrixInput {
  data: Float64Array;
  n: number;
  d: number;
}

/** A feature matrix with one cluster label per row (for the silhouette). */
export interface LabelledMatrixInput extends MatrixInput {
  labels: Int32Array;
}

/** Options of {@link MiningApi.silhouette}. */
export interface SilhouetteOptions {
  /** Rows scored (seeded random sample); default all rows up to 10,000. */
  sampleSize?: number;
  /** Seed of the sample (default 0). */
  seed?: number;
}

/** Options of {@link MiningApi.kDistances}. */
export interface KDistanceOptions {
  /** Neighbour rank, the row itself counting as the first (use DBSCAN's minSamples). */
  k: number;
}

/** Frequent itemsets and the rules drawn from them. */
export interface MinedRules {
  itemsets: FrequentItemsets;
  rules: AssociationRules;
}

/**
 * The mining worker (workers/mining.worker.ts), a thin layer over src/core/mining. Every method
 * takes `(input, options, onProgress?)`: bulk input as typed arrays (transfer them), options as
 * plain data, and `onProgress` as a `Comlink.proxy` that the worker throttles to ≤ 10 calls/s.
 * Result typed arrays are transferred back. Cancelling is the client's job (terminate the worker);
 * errors arrive with their AppError `code` (see shared/comlink-errors.ts).
 */
export interface MiningApi {
  /** k-means (Lloyd, k-means++ starts); see core/mining/kmeans.ts `fitKMeans`. */
  kmeans(input: MatrixInput, options: KMeansOptions, onProgress?: ProgressCallback): Promise<KMeansResult>;
  /** Mini-batch k-means for large n; see core/mining/kmeans-minibatch.ts. */
  miniBatchKMeans(input: MatrixInput, options: MiniBatchKMeansOptions, onProgress?: ProgressCallback): Promise<KMeansResult>;
  /** Inertia for each k in a range (elbow chart), with the suggested k. */
  elbow(input: MatrixInput, options: ElbowOptions, onProgress?: ProgressCallback): Promise<ElbowCurve & { suggestedK: number }>;
  /** Mean silhouette coefficient of a labelling, in [−1, 1]. */
  silhouette(input: LabelledMatrixInput, options: SilhouetteOptions, onProgress?: ProgressCallback): Promise<number>;
  /** DBSCAN with scikit-learn's semantics; see core/mining/dbscan.ts. */
  dbscan(input: MatrixInput, options: DbscanOptions, onProgress?: ProgressCallback): Promise<DbscanResult>;
  /** Each row's distance to its k-th nearest row (k-distance chart for choosing eps). */
  kDistances(input: MatrixInput, options: KDistanceOptions, onProgress?: ProgressCallback): Promise<Float64Array>;
  /** Frequent itemsets by FP-Growth; see core/mining/fpgrowth.ts. */
  frequentItemsets(input: Transactions, options: FrequentItemsetOptions, onProgress?: ProgressCallback): Promise<FrequentItemsets>;
  /** Frequent itemsets, then association rules over the confidence and lift floors. */
  mineRules(input: Transactions, options: FrequentItemsetOptions & RuleOptions, onProgress?: ProgressCallback): Promise<MinedRules>;
}
