import { errorMessage } from '../core/errors';
import type { ModelKind, ModelSpec } from '../core/models/pipeline';
import { trainTestSplit } from '../core/models/split';
import { gridSpecs, parseRange, randomSpecs, searchKeys, tuningMetric, type ParamGrid, type ParamRanges, type TuneRow } from '../core/models/tune';
import { readModelData } from '../services/db/model-data';
import type { Predict } from './predict.svelte';
import { workspace } from './workspace.svelte';

/**
 * The Predict room's tuning: grid search (every combination of the grid's values) or random
 * search (seeded draws from the ranges) over one model family's settings, k-fold cross-validated
 * on the training part of the room's seeded split, across the pool of models workers. Reads the
 * room's table, target, features, seed and test share; runs as one of its jobs.
 */
export class PredictTuning {
  kind = $state<ModelKind>('cart');
  grid = $state<Record<string, string>>({ maxDepth: '2, 3, 5, 8', nTrees: '50, 100', C: '0.1, 1, 10', gamma: '0.001, 0.01, 0.1', alpha: '0.1, 1, 10' });
  /** Grid search (every combination) or random search (`iterations` seeded draws from `ranges`). */
  search = $state<'grid' | 'random'>('grid');
  ranges = $state<Record<string, string>>({ maxDepth: '2 - 12', nTrees: '20 - 300', C: '0.001 - 1000', gamma: '0.0001 - 10', alpha: '0.001 - 1000' });
  iterations = $state(10);
  /** Which search the results table shows. */
  done = $state<'grid' | 'random'>('grid');
  folds = $state(5);
  rows = $state.raw<TuneRow[] | null>(null);
  note = $state('');

  constructor(private readonly room: Predict) {}

  /** The settings a family's search varies. */
  static keys(kind: ModelKind): ReturnType<typeof searchKeys> {
    return searchKeys(kind);
  }

  /** The candidates of the current search, or an error message naming the bad setting. */
  private candidates(): ModelSpec[] | string {
    const grid: ParamGrid = {};
    const ranges: ParamRanges = {};
    try {
      for (const key of PredictTuning.keys(this.kind)) {
        if (this.search === 'random') {
          ranges[key] = parseRange(key, this.ranges[key]);
          continue;
        }
        const values = this.grid[key].split(/[,\s]+/).filter(Boolean).map(Number);
        if (values.length === 0 || values.some((v) => !(v > 0))) return `The ${key} values must be positive numbers separated by commas (got "${this.grid[key]}").`;
        grid[key] = values;
      }
      return this.search === 'random' ? randomSpecs(this.kind, ranges, { iterations: this.iterations, seed: this.room.seed }) : gridSpecs(this.kind, grid);
    } catch (err) {
      return errorMessage(err);
    }
  }

  /** Runs the search and fills `rows` (best first) and `note`. */
  async run(): Promise<void> {
    const room = this.room;
    const table = room.table;
    const info = room.info;
    if (!table || !info || room.running) return;
    const search = this.search;
    const specs = this.candidates();
    if (typeof specs === 'string') {
      room.error = specs;
      return;
    }
    await room.job('Tuning', 'Tuning was cancelled.', async () => {
      const data = await readModelData(workspace.db, { table, features: [...room.chosen], target: { name: info.name, task: info.task } });
      const target = data.target!;
      const split = trainTestSplit(data.n, { testFraction: room.testFraction, seed: room.seed, stratify: target.task === 'classification' ? target.codes : undefined });
      const pool = room.pool;
      const started = performance.now();
      const rows = await pool.tune({ columns: data.columns, target, targetName: info.name }, { specs, folds: this.folds, seed: room.seed, rows: split.train }, (f) => (room.progress = `${specs.length} candidates × ${this.folds} folds on ${pool.size} workers (${Math.round(f * 100)} %)`));
      this.done = search;
      this.rows = rows.slice().sort((a, b) => (Number.isNaN(a.mean) ? 1 : Number.isNaN(b.mean) ? -1 : b.mean - a.mean));
      this.note = `${search === 'random' ? `${specs.length} random candidates (seed ${room.seed}); ` : ''}${tuningMetric(target)}, mean of ${this.folds} folds on the ${split.train.length.toLocaleString('en-US')} training rows; ${pool.size} worker${pool.size > 1 ? 's' : ''}, ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    });
  }

  /** Copies the best candidate's settings into the room's model settings and checks that family. */
  useBest(): void {
    const best = this.rows?.[0];
    if (!best) return;
    const room = this.room;
    const p = best.spec.params ?? {};
    if (p.maxDepth !== undefined) room.maxDepth = p.maxDepth;
    if (p.nTrees !== undefined) room.nTrees = p.nTrees;
    if (p.C !== undefined) room.C = p.C;
    if (p.gamma !== undefined) room.gamma = p.gamma;
    if (p.alpha !== undefined) room.alpha = p.alpha;
    const choice = room.choices.find((c) => c.kind === best.spec.kind);
    if (choice) choice.on = true;
    room.notice = `Settings of ${best.label} copied; train again to see it on the test part.`;
  }
}
