import { errorMessage, isAbort } from '../core/errors';
import { decodeColumn, type CodedColumn } from '../core/models/column-codes';
import { thresholdView } from '../core/models/evaluate';
import { coefficientTable, explainRow, type RowExplanation } from '../core/models/explain';
import { MODEL_KINDS, type ModelKind, type ModelSpec, type Task, type TrainedModel } from '../core/models/pipeline';
import type { FeatureColumn } from '../core/models/preprocess';
import { checkModelColumns, parseModel, serializeModel } from '../core/models/serialize';
import type { ModelRun } from '../core/models/train';
import { featureColumns } from '../services/db/features';
import { readModelData, suggestFeatures, targetInfo, type FeatureAdvice, type TargetInfo } from '../services/db/model-data';
import { tableCsv, topScores, writeScoreTable } from '../services/db/model-scores';
import { describe } from '../services/db/catalog';
import { ident } from '../services/db/sql';
import { createModelsClient, createModelsPool, type ModelsClient, type ModelsPool } from '../services/workers/models-client';
import { gridSpecs, tuningMetric, type ParamGrid, type TuneRow } from '../core/models/tune';
import { trainTestSplit } from '../core/models/split';
import { describeProgress } from './segments.svelte';
import { workspace } from './workspace.svelte';

/** A finished training run, with what the detail views need. */
export interface PredictResult {
  table: string;
  target: string;
  task: Task;
  classes: string[];
  features: string[];
  runs: ModelRun[];
  test: Int32Array;
  testTruth: Float64Array;
  /** The rows read (main-thread copy), for explaining single rows. */
  columns: FeatureColumn[];
  rowIds: Int32Array;
  split: string;
}

/** Settings the analyst can change per model family. */
export interface ModelChoice {
  kind: ModelKind;
  on: boolean;
}

function copyColumns(columns: CodedColumn[]): CodedColumn[] {
  return columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.slice() } : { ...c, codes: c.codes.slice() }));
}

/**
 * The Predict stage: a table and a target (the task follows from its type), feature advice and
 * the analyst's choice, models trained in the models worker on one seeded split, a leaderboard,
 * a threshold that re-scores the stored test probabilities live, explanations, and applying the
 * chosen (or a loaded) model to the whole table as a new DuckDB table.
 */
export class Predict {
  table = $state<string | null>(null);
  columns = $state<{ name: string; type: string }[]>([]);
  target = $state<string | null>(null);
  info = $state<TargetInfo | null>(null);
  advice = $state<FeatureAdvice[]>([]);
  chosen = $state<string[]>([]);
  choices = $state<ModelChoice[]>(MODEL_KINDS.map((k) => ({ kind: k.kind, on: k.kind === 'logistic' || k.kind === 'cart' || k.kind === 'ols' })));
  maxDepth = $state(5);
  nTrees = $state(100);
  C = $state(1);
  alpha = $state(1);
  balanced = $state(false);
  seed = $state(0);
  testFraction = $state(0.25);

  running = $state<string | null>(null);
  progress = $state('');
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  result = $state.raw<PredictResult | null>(null);
  selected = $state(0);
  threshold = $state(0.5);
  whyRow = $state(1);

  scoreKey = $state<string>('');
  scoreTable = $state('');
  scored = $state<string | null>(null);
  topRows = $state.raw<Record<string, string | number | null>[]>([]);
  loaded = $state.raw<TrainedModel | null>(null);

  tuneKind = $state<ModelKind>('cart');
  tuneGrid = $state<Record<string, string>>({ maxDepth: '2, 3, 5, 8', nTrees: '50, 100', C: '0.1, 1, 10', alpha: '0.1, 1, 10' });
  tuneFolds = $state(5);
  tuneRows = $state.raw<TuneRow[] | null>(null);
  tuneNote = $state('');

  private client: ModelsClient = createModelsClient();
  private pool: ModelsPool | null = null;

  /** The run shown in the detail views. */
  get run(): ModelRun | null {
    return this.result?.runs[this.selected] ?? null;
  }

  /** The model Apply uses: a loaded model file, else the selected run's. */
  get applyModel(): TrainedModel | null {
    return this.loaded ?? this.run?.model ?? null;
  }

  /** Confusion matrix, per-class figures and operating point at the slider's threshold. */
  view = $derived.by(() => {
    const r = this.result;
    const run = r?.runs[this.selected];
    if (!r || !run?.testProba || r.task !== 'classification') return null;
    return thresholdView(Int32Array.from(r.testTruth), run.testProba, r.classes.length, r.classes.length === 2 ? this.threshold : 0.5);
  });

  /** Coefficients of the selected model (linear models), else null. */
  coefficients = $derived(this.run?.model ? coefficientTable(this.run.model) : null);

  /** "Why" for the chosen row of the read data (1-based), or an error message. */
  why = $derived.by((): RowExplanation | string | null => {
    const r = this.result;
    const m = this.run?.model;
    if (!r || !m) return null;
    const row = Math.floor(this.whyRow) - 1;
    if (!(row >= 0 && row < r.rowIds.length)) return `Pick a row between 1 and ${r.rowIds.length.toLocaleString('en-US')}.`;
    try {
      return explainRow(m, r.columns, row);
    } catch (err) {
      return errorMessage(err);
    }
  });

  /** Picks the table; suggests a target named like an outcome (churn, target, label…). */
  async selectTable(name: string): Promise<void> {
    this.table = name;
    this.error = null;
    try {
      const cols = await describe(workspace.db, ident(name));
      if (this.table !== name) return;
      this.columns = cols;
      this.scoreTable = `${name}_scores`;
      const guess = cols.find((c) => /^(churn|churned|target|label|class|outcome|attrition|y)$/i.test(c.name)) ?? cols[cols.length - 1];
      if (guess) await this.selectTarget(guess.name);
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Picks the target: the task follows, the features are advised and chosen (flagged ones left out). */
  async selectTarget(name: string): Promise<void> {
    const table = this.table;
    if (!table) return;
    this.target = name;
    this.error = null;
    this.advice = [];
    try {
      const info = await targetInfo(workspace.db, table, name);
      const advice = await suggestFeatures(workspace.db, table, info);
      if (this.target !== name || this.table !== table) return;
      this.info = info;
      this.advice = advice;
      this.chosen = advice.filter((a) => a.flags.length === 0).map((a) => a.name);
      this.scoreKey = advice.find((a) => a.flags.includes('id-like'))?.name ?? '';
      for (const c of this.choices) {
        const fits = MODEL_KINDS.find((k) => k.kind === c.kind)!.tasks.includes(info.task);
        if (!fits) c.on = false;
      }
      if (!this.choices.some((c) => c.on)) for (const c of this.choices) c.on = info.task === 'regression' ? c.kind === 'ols' || c.kind === 'cart' : c.kind === 'logistic' || c.kind === 'cart';
    } catch (err) {
      this.info = null;
      this.error = errorMessage(err);
    }
  }

  /** The model specs to train, from the checked families and the shared settings. */
  specs(): ModelSpec[] {
    const task = this.info?.task;
    return this.choices
      .filter((c) => c.on && task && MODEL_KINDS.find((k) => k.kind === c.kind)!.tasks.includes(task))
      .map((c): ModelSpec => {
        const balanced = task === 'classification' && this.balanced ? { balanced: true } : {};
        if (c.kind === 'cart') return { kind: c.kind, params: { maxDepth: this.maxDepth, ...balanced } };
        if (c.kind === 'forest') return { kind: c.kind, params: { nTrees: this.nTrees, ...balanced } };
        if (c.kind === 'logistic' || c.kind === 'linear-svm' || c.kind === 'rbf-svm') return { kind: c.kind, params: { C: this.C, ...balanced } };
        if (c.kind === 'ridge') return { kind: c.kind, params: { alpha: this.alpha } };
        return { kind: c.kind };
      });
  }

  /** Trains the chosen models on one seeded split in the models worker. */
  async train(): Promise<void> {
    const table = this.table;
    const info = this.info;
    if (!table || !info || this.running) return;
    const specs = this.specs();
    if (specs.length === 0) {
      this.error = 'Choose at least one model to train.';
      return;
    }
    await this.job('Training', 'Training was cancelled; earlier results are kept.', async () => {
      const features = [...this.chosen];
      const data = await readModelData(workspace.db, { table, features, target: { name: info.name, task: info.task } });
      const columns = data.columns.map(decodeColumn);
      const target = data.target!.task === 'classification' ? { ...data.target!, codes: data.target!.codes.slice() } : { ...data.target!, values: data.target!.values.slice() };
      const r = await this.client.train(
        { columns: copyColumns(data.columns), target, targetName: info.name },
        { specs, seed: this.seed, testFraction: this.testFraction },
        (p) => (this.progress = describeProgress(p)),
      );
      const classes = data.target!.task === 'classification' ? data.target!.classes : [];
      this.result = {
        table, target: info.name, task: info.task, classes, features, runs: r.runs, test: r.test, testTruth: r.testTruth, columns, rowIds: data.rowIds,
        split: `${r.train.length.toLocaleString('en-US')} training rows, ${r.test.length.toLocaleString('en-US')} test rows (${info.task === 'classification' ? 'stratified, ' : ''}seed ${this.seed}).`,
      };
      const scored = r.runs.map((run, i) => ({ i, s: run.scores ? (run.scores.task === 'classification' ? (run.scores.auc ?? run.scores.accuracy) : run.scores.r2) : -Infinity }));
      this.selected = scored.sort((a, b) => b.s - a.s)[0].i;
      this.threshold = 0.5;
      this.whyRow = 1;
      const failed = r.runs.filter((run) => run.error);
      if (failed.length) this.notice = failed.map((run) => `${run.label} failed: ${run.error}`).join(' ');
    });
  }

  /** Stops the running job (training, scoring or a grid search). */
  cancel(): void {
    this.client.cancel();
    this.pool?.cancel();
  }

  /** The settings a family's grid varies. */
  static gridKeys(kind: ModelKind): (keyof ParamGrid)[] {
    return kind === 'cart' ? ['maxDepth'] : kind === 'forest' ? ['maxDepth', 'nTrees'] : kind === 'ridge' ? ['alpha'] : kind === 'ols' ? [] : ['C'];
  }

  /**
   * Grid search: every combination of the grid's values, k-fold cross-validated on the training
   * part of the same seeded split (the test part stays unseen), across a pool of workers.
   */
  async tune(): Promise<void> {
    const table = this.table;
    const info = this.info;
    if (!table || !info || this.running) return;
    const grid: ParamGrid = {};
    for (const key of Predict.gridKeys(this.tuneKind)) {
      const values = this.tuneGrid[key].split(/[,\s]+/).filter(Boolean).map(Number);
      const bad = values.find((v) => !(v > 0));
      if (bad !== undefined || values.length === 0) {
        this.error = `The ${key} values must be positive numbers separated by commas (got "${this.tuneGrid[key]}").`;
        return;
      }
      grid[key] = values;
    }
    const specs = gridSpecs(this.tuneKind, grid);
    await this.job('Tuning', 'Tuning was cancelled.', async () => {
      const data = await readModelData(workspace.db, { table, features: [...this.chosen], target: { name: info.name, task: info.task } });
      const target = data.target!;
      const split = trainTestSplit(data.n, { testFraction: this.testFraction, seed: this.seed, stratify: target.task === 'classification' ? target.codes : undefined });
      this.pool ??= createModelsPool();
      const started = performance.now();
      const rows = await this.pool.tune({ columns: data.columns, target, targetName: info.name }, { specs, folds: this.tuneFolds, seed: this.seed, rows: split.train }, (f) => (this.progress = `${specs.length} candidates × ${this.tuneFolds} folds on ${this.pool!.size} workers (${Math.round(f * 100)} %)`));
      this.tuneRows = rows.slice().sort((a, b) => (Number.isNaN(a.mean) ? 1 : Number.isNaN(b.mean) ? -1 : b.mean - a.mean));
      this.tuneNote = `${tuningMetric(target)}, mean of ${this.tuneFolds} folds on the ${split.train.length.toLocaleString('en-US')} training rows; ${this.pool.size} worker${this.pool.size > 1 ? 's' : ''}, ${((performance.now() - started) / 1000).toFixed(1)} s.`;
    });
  }

  /** Copies the best grid candidate's settings into the model settings and checks that family. */
  useBest(): void {
    const best = this.tuneRows?.[0];
    if (!best) return;
    const p = best.spec.params ?? {};
    if (p.maxDepth !== undefined) this.maxDepth = p.maxDepth;
    if (p.nTrees !== undefined) this.nTrees = p.nTrees;
    if (p.C !== undefined) this.C = p.C;
    if (p.alpha !== undefined) this.alpha = p.alpha;
    const choice = this.choices.find((c) => c.kind === best.spec.kind);
    if (choice) choice.on = true;
    this.notice = `Settings of ${best.label} copied; train again to see it on the test part.`;
  }

  /**
   * Scores every row of the current table with the Apply model (checking its columns first) and
   * writes the table `scoreTable` (key, probability, class, decile) into DuckDB.
   */
  async score(): Promise<void> {
    const model = this.applyModel;
    const table = this.table;
    if (!model || !table || this.running) return;
    await this.job('Scoring', 'Scoring was cancelled.', async () => {
      const available = await featureColumns(workspace.db, table);
      checkModelColumns(model, available, table);
      const data = await readModelData(workspace.db, { table, features: model.inputs.map((c) => c.name) });
      const p = await this.client.score({ columns: data.columns }, model, (q) => (this.progress = describeProgress(q)));
      const K = model.classes.length;
      const classification = model.task === 'classification';
      const probability = classification ? Float64Array.from({ length: data.n }, (_, i) => p.proba![i * K + (K === 2 ? 1 : p.values[i])]) : undefined;
      const predicted = classification ? { codes: Int32Array.from(p.values), classes: model.classes } : p.values;
      this.progress = 'writing the scores table';
      const output = this.scoreTable.trim() || `${table}_scores`;
      await writeScoreTable(workspace.db, { source: table, key: this.scoreKey || null, output }, { rowIds: data.rowIds, probability, predicted });
      await workspace.refresh(workspace.selected);
      this.scored = output;
      this.topRows = await topScores(workspace.db, output, 10);
      this.notice = `Scored ${data.n.toLocaleString('en-US')} rows of ${table} with ${model.label}: table ${output}.`;
    });
  }

  /** The scores table as CSV text. */
  async scoresCsv(): Promise<string | null> {
    if (!this.scored) return null;
    try {
      return await tableCsv(workspace.db, this.scored);
    } catch (err) {
      this.error = errorMessage(err);
      return null;
    }
  }

  /** The Apply model as JSON text (to download). */
  modelJson(): string | null {
    const m = this.applyModel;
    return m ? serializeModel(m) : null;
  }

  /** Reads a model file; it becomes the Apply model once its columns check out against the table. */
  async loadModel(text: string, fileName: string): Promise<void> {
    this.error = null;
    this.notice = null;
    try {
      const m = parseModel(text, fileName);
      if (this.table) checkModelColumns(m, await featureColumns(workspace.db, this.table), this.table);
      this.loaded = m;
      this.notice = `Loaded ${m.label} (predicts ${m.target}, ${m.inputs.length} input columns) from ${fileName}.`;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Goes back to applying the selected run's model. */
  unloadModel(): void {
    this.loaded = null;
  }

  /** Runs one job: progress shown while it runs, its error (or cancellation) shown after. */
  private async job(label: string, cancelled: string, work: () => Promise<void>): Promise<void> {
    this.running = label;
    this.progress = 'reading rows from DuckDB';
    this.error = null;
    this.notice = null;
    try {
      await work();
    } catch (err) {
      if (isAbort(err)) this.notice = cancelled;
      else this.error = errorMessage(err);
    } finally {
      this.running = null;
      this.progress = '';
    }
  }
}

/** The app's Predict stage. */
export const predict = new Predict();
