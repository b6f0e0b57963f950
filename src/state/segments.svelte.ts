import type { HeatmapData } from '../charts/heatmap';
import type { ScatterPoint } from '../charts/scatter';
import { suggestElbow } from '../core/mining/elbow';
import { errorMessage, isAbort } from '../core/errors';
import type { Progress } from '../core/progress';
import { buildFeatureMatrix, featureColumns, writeLabelColumn, type FeatureColumn, type FeatureMatrix, type Scaling } from '../services/db/features';
import { profileClusters } from '../services/db/segment-profile';
import { createMiningClient, type MiningClient } from '../services/workers/mining-client';
import { clusterSizes, pcaPicture, profileHeatmap, sampleMatrix } from './segment-view';
import { workspace } from './workspace.svelte';

/** The clustering method: k-means (Lloyd), mini-batch k-means (large tables) or DBSCAN. */
export type SegmentAlgorithm = 'kmeans' | 'minibatch' | 'dbscan';

/** A finished segmentation: what ran, and what it found. */
export interface SegmentResult {
  table: string;
  algorithm: SegmentAlgorithm;
  summary: string;
  features: string[];
  notes: string[];
  sizes: { cluster: number; size: number }[];
  heatmap: HeatmapData;
  pca: { points: ScatterPoint[]; ratio: number[] };
  rowIds: Int32Array;
  labels: Int32Array;
}

/** Yields to the event loop, so the main-thread steps around a job run as separate short tasks. */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Rows used by "Suggest k" / "Suggest eps" (a seeded sample beyond this). */
const SUGGEST_ROWS = 5000;

/** Progress of a worker job in the analyst's words: stage, then figures (iteration, inertia…). */
export function describeProgress(p: Progress): string {
  const figures = Object.entries(p.detail ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? +v.toPrecision(6) : v}`);
  const pct = p.fraction !== undefined ? ` (${Math.round(p.fraction * 100)} %)` : '';
  return `${p.stage}${pct}${figures.length ? ` · ${figures.join(' · ')}` : ''}`;
}

/**
 * The Segment stage: feature columns and scaling, the clustering method and its settings, helpers
 * that suggest k (elbow + silhouette) and eps (k-distance), the run itself in the mining worker,
 * and writing the clusters back into DuckDB as a column.
 */
export class Segments {
  table = $state<string | null>(null);
  available = $state<FeatureColumn[]>([]);
  chosen = $state<string[]>([]);
  scaling = $state<Scaling>('standardize');
  algorithm = $state<SegmentAlgorithm>('kmeans');
  k = $state(4);
  nInit = $state(10);
  maxIter = $state(300);
  seed = $state(0);
  batchSize = $state(1024);
  eps = $state(0.5);
  minSamples = $state(5);
  columnName = $state('cluster');

  running = $state<string | null>(null);
  progress = $state('');
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  result = $state.raw<SegmentResult | null>(null);
  elbow = $state.raw<{ points: { x: number; y: number }[]; suggested: number; silhouettes: { k: number; score: number }[]; rows: number; total: number } | null>(null);
  kDistance = $state.raw<{ points: { x: number; y: number }[]; suggested: number; k: number; rows: number; total: number } | null>(null);

  private client: MiningClient = createMiningClient();

  /** Picks the table to segment and, by default, its numeric columns other than ids. */
  async selectTable(name: string): Promise<void> {
    this.table = name;
    this.error = null;
    try {
      const cols = await featureColumns(workspace.db, name);
      if (this.table !== name) return;
      this.available = cols;
      this.chosen = cols.filter((c) => c.kind === 'numeric' && !/(^|_)id$/i.test(c.name)).map((c) => c.name);
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Stops the running job; earlier results stay. */
  cancel(): void {
    this.client.cancel();
  }

  /** Elbow curve (inertia for k = 1…10) and silhouettes for k = 2…8, on a sample of at most 5,000 rows. */
  suggestK(): Promise<void> {
    return this.job('Suggesting k', async (fm) => {
      const s = sampleMatrix(fm.data, fm.n, fm.d, SUGGEST_ROWS, this.seed);
      const maxK = Math.min(10, s.n);
      const curve = await this.client.elbow({ data: s.data.slice(), n: s.n, d: s.d }, { maxK, nInit: 3, seed: this.seed }, (p) => (this.progress = describeProgress(p)));
      const silhouettes: { k: number; score: number }[] = [];
      for (let k = 2; k <= Math.min(8, maxK); k++) {
        this.progress = `silhouette at k = ${k}`;
        const fit = await this.client.kmeans({ data: s.data.slice(), n: s.n, d: s.d }, { k, nInit: 3, seed: this.seed });
        const score = await this.client.silhouette({ data: s.data.slice(), n: s.n, d: s.d, labels: fit.labels }, { sampleSize: 2000, seed: this.seed });
        silhouettes.push({ k, score });
      }
      this.elbow = { points: Array.from(curve.ks, (k, i) => ({ x: k, y: curve.inertias[i] })), suggested: curve.suggestedK, silhouettes, rows: s.n, total: fm.n };
    });
  }

  /** Each row's distance to its minSamples-th neighbour, sorted (the k-distance chart), with the eps at its bend. */
  suggestEps(): Promise<void> {
    return this.job('Suggesting eps', async (fm) => {
      const s = sampleMatrix(fm.data, fm.n, fm.d, SUGGEST_ROWS, this.seed);
      const k = Math.min(this.minSamples, s.n);
      const dist = await this.client.kDistances({ data: s.data, n: s.n, d: s.d }, { k }, (p) => (this.progress = describeProgress(p)));
      const sorted = Float64Array.from(dist).sort().reverse();
      const rank = suggestElbow({ ks: Int32Array.from(sorted, (_, i) => i), inertias: sorted });
      // Many identical rows make the bend sit at distance 0, which DBSCAN refuses: take the
      // smallest positive k-distance instead.
      let eps = sorted[rank];
      if (!(eps > 0)) eps = sorted.filter((v) => v > 0).at(-1) ?? 0.1;
      this.kDistance = { points: Array.from(sorted, (y, x) => ({ x, y })), suggested: +eps.toPrecision(3), k, rows: s.n, total: fm.n };
    });
  }

  /** Runs the chosen method on the chosen features; a cancelled or failed run keeps the last result. */
  run(): Promise<void> {
    const algorithm = this.algorithm;
    return this.job('Segmenting', async (fm, table, columns) => {
      const input = { data: fm.data.slice(), n: fm.n, d: fm.d };
      const onProgress = (p: Progress) => (this.progress = describeProgress(p));
      let labels: Int32Array;
      let summary: string;
      if (algorithm === 'dbscan') {
        const r = await this.client.dbscan(input, { eps: this.eps, minSamples: this.minSamples }, onProgress);
        labels = r.labels;
        summary = `DBSCAN (eps ${this.eps}, min samples ${this.minSamples}): ${r.clusters} clusters, ${r.noise.toLocaleString('en-US')} noise rows.`;
      } else {
        const r = algorithm === 'minibatch'
          ? await this.client.miniBatchKMeans(input, { k: this.k, batchSize: this.batchSize, seed: this.seed }, onProgress)
          : await this.client.kmeans(input, { k: this.k, nInit: this.nInit, maxIter: this.maxIter, seed: this.seed }, onProgress);
        labels = r.labels;
        const threads = `${(r.threads ?? 1) > 1 ? ` on ${r.threads} threads` : ''}${r.kernel === 'wasm-simd' ? ' (WebAssembly SIMD)' : ''}`;
        summary = `${algorithm === 'minibatch' ? 'Mini-batch k-means' : 'k-means'} (k ${this.k}, seed ${this.seed}): inertia ${+r.inertia.toPrecision(6)} after ${r.iterations} iterations${r.converged ? '' : ' (not converged)'}${threads}.`;
      }
      this.progress = 'profiling clusters';
      const profile = await profileClusters(workspace.db, table, columns, fm.rowIds, labels);
      await nextTask();
      const pca = pcaPicture(fm.data, fm.n, fm.d, labels);
      await nextTask();
      this.result = { table, algorithm, summary, features: fm.names, notes: fm.notes, sizes: clusterSizes(labels), heatmap: profileHeatmap(profile), pca, rowIds: fm.rowIds, labels };
    });
  }

  /** Writes the last result's clusters into its table as an INTEGER column (DBSCAN noise is −1). */
  async save(): Promise<void> {
    const r = this.result;
    if (!r || this.running) return;
    this.running = 'Saving';
    this.error = null;
    this.notice = null;
    try {
      const replay = await writeLabelColumn(workspace.db, r.table, this.columnName, r.rowIds, r.labels);
      if (replay) workspace.rememberStatement(replay);
      await workspace.refresh();
      this.notice = `Saved the clusters as column ${this.columnName.trim()} of ${r.table}.${replay ? '' : ' (Too many rows to redo after an engine restart: save again if the engine restarts.)'}`;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.running = null;
    }
  }

  private async job(label: string, work: (fm: FeatureMatrix, table: string, columns: FeatureColumn[]) => Promise<void>): Promise<void> {
    const table = this.table;
    if (!table || this.running) return;
    const columns = this.available.filter((c) => this.chosen.includes(c.name));
    this.running = label;
    this.progress = 'reading features from DuckDB';
    this.error = null;
    this.notice = null;
    try {
      const fm = await buildFeatureMatrix(workspace.db, { table, columns: columns.map((c) => c.name), scaling: this.scaling });
      await work(fm, table, columns);
    } catch (err) {
      if (isAbort(err)) this.notice = `${label} was cancelled; earlier results are kept.`;
      else this.error = errorMessage(err);
    } finally {
      this.running = null;
      this.progress = '';
    }
  }
}

/** The app's Segment stage. */
export const segments = new Segments();
