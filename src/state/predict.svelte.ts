import { errorMessage, isAbort } from '../core/errors';
import { decodeColumn, type CodedColumn } from '../core/models/column-codes';
import { thresholdView } from '../core/models/evaluate';
import { coefficientTable, explainRow, type RowExplanation } from '../core/models/explain';
import { MODEL_KINDS, modelLabel, type ModelKind, type ModelSpec, type Task, type TrainedModel } from '../core/models/pipeline';
import type { FeatureColumn } from '../core/models/preprocess';
import { checkModelColumns, parseModel, serializeModel } from '../core/models/serialize';
import type { ModelRun } from '../core/models/train';
import { featureColumns } from '../services/db/features';
import { readModelData, suggestFeatures, targetInfo, type FeatureAdvice, type TargetInfo } from '../services/db/model-data';
import { keyValues, rowsWithKey, tableCsv, topScores, writeScoreTable } from '../services/db/model-scores';
import { createModelsClient, createModelsPool, type ModelsClient, type ModelsPool } from '../services/workers/models-client';
import type { TrainInput } from '../shared/models-api';
import { describeProgress } from './segments.svelte';
import { predictMlp } from './neural.svelte';
import { workspace } from './workspace.svelte';
import { chooseTable } from './table-choice';
import { PredictTuning } from './predict-tuning.svelte';

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
  /** RBF SVM kernel width γ; null for sklearn's 'scale'. */
  gamma = $state<number | null>(null);
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
  /** "Why" for a customer by key: the key column, the value typed or chosen, a few values to choose from. */
  whyKey = $state('');
  whyKeyValue = $state('');
  whyKeyChoices = $state<string[]>([]);
  /** Which customer the explanation is for ("customer_id = 42"), null when picked by row number. */
  whyFor = $state<string | null>(null);
  /** What finding the key gave (a duplicate, a value not found…). */
  whyNote = $state<string | null>(null);

  scoreKey = $state<string>('');
  scoreTable = $state('');
  scored = $state<string | null>(null);
  topRows = $state.raw<Record<string, string | number | null>[]>([]);
  loaded = $state.raw<TrainedModel | null>(null);

  /** Grid and random search over a model family's settings (predict-tuning.svelte.ts). */
  readonly tuning: PredictTuning = new PredictTuning(this);

  private client: ModelsClient = createModelsClient();
  private workerPool: ModelsPool | null = null;

  /** The pool of models workers (forests, tuning), started on first use. */
  get pool(): ModelsPool {
    return (this.workerPool ??= createModelsPool());
  }

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

  /** Picks the key column of "why" for a customer, and loads a few of its values to choose from. */
  async chooseWhyKey(key: string): Promise<void> {
    const r = this.result;
    this.whyKey = key;
    this.whyNote = null;
    this.whyKeyChoices = [];
    if (!key || !r) return;
    try {
      const values = await keyValues(workspace.db, r.table, key, 50);
      if (this.whyKey === key) this.whyKeyChoices = values;
    } catch (err) {
      this.whyNote = errorMessage(err);
    }
  }

  /** Finds the customer whose key reads `whyKeyValue` (in DuckDB) and explains that row. */
  async explainCustomer(): Promise<void> {
    const r = this.result;
    const key = this.whyKey;
    const value = this.whyKeyValue.trim();
    if (!r || !key) return;
    if (!value) {
      this.whyNote = `Type or choose a value of ${key}.`;
      return;
    }
    try {
      const found = await rowsWithKey(workspace.db, r.table, key, value);
      if (this.result !== r) return;
      const row = found.count ? r.rowIds.indexOf(found.rowIds[0]) : -1;
      if (found.count === 0) this.whyNote = `No row of ${r.table} has ${key} = "${value}"; check the value or choose one from the list.`;
      else if (row < 0) this.whyNote = `The customer with ${key} = "${value}" has no ${r.target}, so the models were not given that row; choose another.`;
      else {
        this.whyRow = row + 1;
        this.whyFor = `${key} = ${value}`;
        this.whyNote = found.count > 1 ? `${found.count.toLocaleString('en-US')} rows have ${key} = "${value}": this is the first. Choose a key whose values are unique (an id).` : null;
      }
    } catch (err) {
      this.whyNote = errorMessage(err);
    }
  }

  /** Picks the table; suggests a target named like an outcome (churn, target, label…). */
  async selectTable(name: string): Promise<void> {
    await chooseTable(this, name, async (cols) => {
      this.scoreTable = `${name}_scores`;
      const guess = cols.find((c) => /^(churn|churned|target|label|class|outcome|attrition|y)$/i.test(c.name)) ?? cols[cols.length - 1];
      if (guess) await this.selectTarget(guess.name);
    });
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
        if (c.kind === 'rbf-svm') return { kind: c.kind, params: { C: this.C, ...(this.gamma ? { gamma: this.gamma } : {}), ...balanced } };
        if (c.kind === 'logistic' || c.kind === 'linear-svm') return { kind: c.kind, params: { C: this.C, ...balanced } };
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
    if (specs.length === 0 && !predictMlp.on) {
      this.error = 'Choose at least one model to train.';
      return;
    }
    await this.job('Training', 'Training was cancelled; earlier results are kept.', async () => {
      const features = [...this.chosen];
      const data = await readModelData(workspace.db, { table, features, target: { name: info.name, task: info.task } });
      const columns = data.columns.map(decodeColumn);
      const target = data.target!.task === 'classification' ? { ...data.target!, codes: data.target!.codes.slice() } : { ...data.target!, values: data.target!.values.slice() };
      const fitted = await this.growForests(specs, { columns: data.columns, target: data.target!, targetName: info.name });
      const r = await this.client.train(
        { columns: copyColumns(data.columns), target, targetName: info.name },
        { specs, seed: this.seed, testFraction: this.testFraction, fitted },
        (p) => (this.progress = describeProgress(p)),
      );
      r.runs.forEach((run, i) => (run.model ??= fitted[i]?.model));
      if (predictMlp.on) r.runs.push(await predictMlp.train({ columns: data.columns, target: data.target!, targetName: info.name }, r, this.seed, (p) => (this.progress = `Neural net (MLP): ${describeProgress(p)}`)));
      const classes = data.target!.task === 'classification' ? data.target!.classes : [];
      this.result = {
        table, target: info.name, task: info.task, classes, features, runs: r.runs, test: r.test, testTruth: r.testTruth, columns, rowIds: data.rowIds,
        split: `${r.train.length.toLocaleString('en-US')} training rows, ${r.test.length.toLocaleString('en-US')} test rows (${info.task === 'classification' ? 'stratified, ' : ''}seed ${this.seed}).`,
      };
      const scored = r.runs.map((run, i) => ({ i, s: run.scores ? (run.scores.task === 'classification' ? (run.scores.auc ?? run.scores.accuracy) : run.scores.r2) : -Infinity }));
      this.selected = scored.sort((a, b) => b.s - a.s)[0].i;
      this.threshold = 0.5;
      this.whyRow = 1;
      this.whyFor = null;
      if (!this.whyKey && this.scoreKey) void this.chooseWhyKey(this.scoreKey);
      const failed = r.runs.filter((run) => run.error);
      if (failed.length) this.notice = failed.map((run) => `${run.label} failed: ${run.error}`).join(' ');
    });
  }

  /**
   * Random forests of `specs` grown across the worker pool on the training part of the split
   * trainModels makes (same seed and test share), by spec position (null for other models).
   */
  private async growForests(specs: ModelSpec[], input: TrainInput): Promise<({ model: TrainedModel; seconds: number } | null)[]> {
    const fitted: ({ model: TrainedModel; seconds: number } | null)[] = specs.map(() => null);
    if (!specs.some((s) => s.kind === 'forest')) return fitted;
    // Let the page breathe between reading the rows and copying them to the workers.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const pool = this.pool;
    for (const [i, spec] of specs.entries()) {
      if (spec.kind !== 'forest') continue;
      const started = performance.now();
      const label = modelLabel(spec);
      const model = await pool.fitForest(input, { spec, seed: this.seed, testFraction: this.testFraction }, (trees, of) => (this.progress = `${label}: fitting, tree ${trees} of ${of} on ${pool.size} worker${pool.size > 1 ? 's' : ''}`));
      fitted[i] = { model, seconds: (performance.now() - started) / 1000 };
    }
    return fitted;
  }

  /** Stops the running job (training, scoring or a grid search). */
  cancel(): void {
    this.client.cancel();
    this.workerPool?.cancel();
    predictMlp.cancel();
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
      const spec = { source: table, key: this.scoreKey || null, output };
      const scores = { rowIds: data.rowIds, probability, predicted };
      await writeScoreTable(workspace.db, spec, scores);
      // The scores came from a worker, not from SQL: after an engine restart, write them again.
      workspace.rememberJob(async (db) => void (await writeScoreTable(db, spec, scores)));
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
  async job(label: string, cancelled: string, work: () => Promise<void>): Promise<void> {
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
