import { suggestColumnMapping, type TransactionColumns } from '../core/crm/column-mapping';
import { errorMessage, isAbort } from '../core/errors';
import { classificationScores } from '../core/models/evaluate';
import type { CodedColumn } from '../core/models/column-codes';
import type { ModelSpec as PipelineSpec } from '../core/models/pipeline';
import { trainTestSplit } from '../core/models/split';
import type { ModelRun, TrainResult } from '../core/models/train';
import type { Progress, ProgressCallback } from '../core/progress';
import type { EpochPoint } from '../charts/neural-curves';
import { writeCustomerColumns } from '../services/db/crm';
import { readActivitySequences, readLabelledTexts, readLatestActivity, scaleActivity, type ActivityPeriod, type SequenceTarget } from '../services/db/neural-sequences';
import { createNeuralClient, type NeuralClient } from '../services/workers/neural-client';
import type { TrainInput } from '../shared/models-api';
import type { BackendName, BackendReport, ModelSpec, NeuralTrainResult } from '../shared/neural-api';
import { classProbabilities } from '../neural/outputs';
import { buildVocabulary, encodeTexts, occlusionInputs, type Vocabulary } from '../neural/text';
import { workspace } from './workspace.svelte';
import { chooseTable } from './table-choice';

let client: NeuralClient | null = null;
/** The neural worker's client, shared by the Neural room and Predict's MLP (one worker, one backend choice). */
export const neuralClient = (): NeuralClient => (client ??= createNeuralClient());

/** The epoch figures a progress report carries (workers/neural.worker.ts `epochProgress`). */
function epochPoint(p: Progress): EpochPoint | null {
  const d = p.detail ?? {};
  if (typeof d.epoch !== 'number' || typeof d.loss !== 'number') return null;
  return { epoch: d.epoch, loss: d.loss, ...(typeof d.valLoss === 'number' ? { valLoss: d.valLoss } : {}), ...(typeof d.valAccuracy === 'number' ? { valAccuracy: d.valAccuracy } : {}) };
}

function copyInput(input: TrainInput): TrainInput {
  const columns = input.columns.map((c): CodedColumn => (c.kind === 'numeric' ? { ...c, values: c.values.slice() } : { ...c, codes: c.codes.slice() }));
  const target = input.target.task === 'classification' ? { ...input.target, codes: input.target.codes.slice() } : { ...input.target, values: input.target.values.slice() };
  return { columns, target, targetName: input.targetName };
}

/**
 * "Neural net (MLP)" among the Predict room's models: trained in the neural worker on the split
 * the models worker made, preprocessing fitted on its training part, scored with the same figures.
 */
export class PredictMlp {
  on = $state(false);
  epochs = $state(40);
  private busy = false;

  /** Trains the MLP on the run's split; returns its leaderboard row (an error row when it fails). */
  async train(input: TrainInput, split: Pick<TrainResult, 'train' | 'test'>, seed: number, onProgress?: ProgressCallback): Promise<ModelRun> {
    const label = 'Neural net (MLP 64-32)';
    // The leaderboard's rows carry a pipeline spec; the MLP is not a pipeline family, so its row names itself by label.
    const spec = { kind: 'mlp' } as unknown as PipelineSpec;
    this.busy = true;
    try {
      const run = await neuralClient().trainTabular(copyInput(input), { train: split.train.slice(), test: split.test.slice(), options: { epochs: this.epochs, batchSize: 32, learningRate: 0.001, seed, validationSplit: 0.1, patience: 5 } }, onProgress);
      return { label: `${label} on ${run.backend}`, spec, scores: run.scores, testProba: run.testProba, testPredicted: run.testPredicted, curves: run.curves, importance: run.importance, dependence: run.dependence, seconds: run.seconds };
    } catch (err) {
      if (isAbort(err)) throw err;
      return { label, spec, error: errorMessage(err) };
    } finally {
      this.busy = false;
    }
  }

  /** Stops the MLP if it is training (the Neural room's own work is left alone otherwise). */
  cancel(): void {
    if (this.busy) client?.cancel();
  }
}

/** The Predict room's MLP choice. */
export const predictMlp = new PredictMlp();

/** What the Neural room trains. */
export type NeuralMode = 'sequence' | 'text';

/** One word's effect on the prediction (occlusion). */
export interface WordEffect {
  word: string;
  /** Position in the text (0-based). */
  index: number;
  /** Output with the word minus output without it: > 0 pushes toward the explained class. */
  effect: number;
}

/** A finished (or loaded) model of the room, with its test figures. */
export interface NeuralOutcome {
  mode: NeuralMode;
  modelId: string;
  spec: ModelSpec;
  classes: string[];
  history: EpochPoint[];
  bestEpoch: number;
  stoppedEarly: boolean;
  backend: string;
  /** Test-part figures (absent for a loaded model). */
  test?: { rows: number; accuracy: number; auc: number | null; baseline: number };
  vocabulary?: Vocabulary;
  divisors?: [number, number];
  /** Sequence models: the orders table and columns the activity came from. */
  source?: TransactionColumns & { period: ActivityPeriod };
  notes: string[];
}

/**
 * The Neural room: a sequence model over each customer's activity by period (churn or next-period
 * purchase, from an orders table), or a text classifier over a free-text column; training with
 * live curves in the neural worker, the backend shown and overridable, cancel, word attributions
 * by occlusion, and models saved in this browser's IndexedDB.
 */
export class NeuralRoom {
  mode = $state<NeuralMode>('text');
  table = $state('');
  columns = $state<{ name: string; type: string }[]>([]);
  // Sequence settings.
  customer = $state('');
  date = $state('');
  amount = $state('');
  orderId = $state('');
  period = $state<ActivityPeriod>('month');
  history = $state(6);
  horizon = $state(2);
  target = $state<SequenceTarget>('churn');
  cell = $state<'gru' | 'lstm' | 'cnn'>('gru');
  // Text settings.
  textColumn = $state('');
  labelColumn = $state('');
  encoder = $state<'bag' | 'cnn' | 'gru'>('bag');
  maxTokens = $state(20_000);
  sequenceLength = $state(200);
  // Training settings.
  epochs = $state(10);
  batchSize = $state(32);
  learningRate = $state(0.01);
  seed = $state(1);
  validationSplit = $state(0.1);
  earlyStopping = $state(true);
  patience = $state(2);
  testFraction = $state(0.2);

  backendChoice = $state<'auto' | BackendName>('auto');
  backend = $state.raw<BackendReport | null>(null);
  running = $state<string | null>(null);
  progress = $state('');
  live = $state.raw<EpochPoint[]>([]);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  outcome = $state.raw<NeuralOutcome | null>(null);
  explainText = $state('');
  effects = $state.raw<{ label: string; output: number; words: WordEffect[] } | null>(null);
  saveName = $state('');
  saved = $state<string[]>([]);

  /** Picks the table and suggests the columns of the current mode. */
  async selectTable(name: string): Promise<void> {
    await chooseTable(this, name, (cols) => {
      const s = suggestColumnMapping(cols);
      this.customer = s.mapping.customer ?? '';
      this.date = s.mapping.date ?? '';
      this.amount = s.mapping.amount ?? '';
      this.orderId = s.mapping.orderId ?? '';
      const text = cols.filter((c) => /^(VARCHAR|TEXT|STRING)/i.test(c.type));
      this.textColumn = (text.find((c) => /text|review|comment|feedback|message|body|description/i.test(c.name)) ?? text[0])?.name ?? '';
      this.labelColumn = cols.find((c) => /^(rating|score|label|sentiment|stars|class|category)$/i.test(c.name))?.name ?? '';
    });
  }

  /** Switches the mode and picks the table that fits it (orders or feedback in the demo). */
  async selectMode(mode: NeuralMode): Promise<void> {
    this.mode = mode;
    const names = workspace.tables.map((t) => t.name);
    const fit = names.find((n) => (mode === 'text' ? /feedback|review|ticket|comment|food/i : /order|transaction|invoice|sale/i).test(n));
    if (fit) await this.selectTable(fit);
  }

  /** Applies the backend override (or goes back to the automatic choice) and shows what runs. */
  async chooseBackend(choice: 'auto' | BackendName): Promise<void> {
    this.backendChoice = choice;
    this.error = null;
    try {
      this.backend = choice === 'auto' ? await neuralClient().backendReport() : await neuralClient().useBackend(choice);
      // Models live on the backend that made them: a new backend means training again.
      if (choice !== 'auto') this.outcome = null;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Trains the model of the current mode; the curves fill in epoch by epoch. */
  async train(): Promise<void> {
    if (this.running || !this.table) return;
    await this.job('Training', async () => {
      this.live = [];
      this.effects = null;
      const old = this.outcome;
      this.outcome = null;
      if (old) await neuralClient().dispose(old.modelId).catch(() => undefined);
      this.backend = await neuralClient().backendReport();
      this.outcome = this.mode === 'text' ? await this.trainText() : await this.trainSequence();
      this.explainText ||= this.outcome.mode === 'text' ? (this.sampleText ?? '') : '';
    });
  }

  private sampleText: string | undefined;

  private options() {
    return { epochs: this.epochs, batchSize: this.batchSize, learningRate: this.learningRate, seed: this.seed, validationSplit: this.validationSplit, ...(this.earlyStopping ? { patience: this.patience } : {}) };
  }

  private onProgress = (p: Progress) => {
    const point = epochPoint(p);
    if (point) this.live = [...this.live.filter((q) => q.epoch !== point.epoch), point].sort((a, b) => a.epoch - b.epoch);
    this.progress = `${p.stage}${point ? ` · loss ${point.loss.toFixed(4)}${point.valLoss !== undefined ? ` · validation loss ${point.valLoss.toFixed(4)}` : ''}` : ''}${typeof p.detail?.backend === 'string' ? ` · on ${p.detail.backend}` : ''}`;
  };

  private async trainText(): Promise<NeuralOutcome> {
    const data = await readLabelledTexts(workspace.db, this.table, this.textColumn, this.labelColumn);
    const K = data.classes.length;
    const split = trainTestSplit(data.texts.length, { testFraction: this.testFraction, seed: this.seed, stratify: data.codes });
    const trainTexts = Array.from(split.train, (i) => data.texts[i]);
    this.progress = `building the vocabulary from ${trainTexts.length.toLocaleString('en-US')} training texts`;
    const vocabulary = buildVocabulary(trainTexts, { maxTokens: this.maxTokens, sequenceLength: this.sequenceLength, ngrams: this.encoder === 'bag' ? 2 : 1 });
    const spec: ModelSpec = { kind: 'text', task: K === 2 ? 'binary' : 'multiclass', ...(K > 2 ? { classes: K } : {}), encoder: this.encoder, vocabularySize: vocabulary.tokens.length, sequenceLength: this.sequenceLength, embeddingDim: this.encoder === 'bag' ? 64 : 32, units: 64, kernelSize: 2, ...(this.encoder === 'bag' ? { dropout: 0.3 } : {}) };
    const y = Float32Array.from(split.train, (i) => data.codes[i]);
    const r = await neuralClient().train(spec, { x: encodeTexts(trainTexts, vocabulary), y, n: trainTexts.length }, this.options(), this.onProgress);
    const testTexts = Array.from(split.test, (i) => data.texts[i]);
    const truth = Int32Array.from(split.test, (i) => data.codes[i]);
    const out = await neuralClient().predict(r.modelId, { x: encodeTexts(testTexts, vocabulary), n: testTexts.length });
    this.sampleText = testTexts[0];
    return { ...this.finish(r, spec, data.classes, out, truth), vocabulary, notes: [`${vocabulary.tokens.length.toLocaleString('en-US')} tokens in the vocabulary (words${vocabulary.ngrams === 2 ? ' and word pairs' : ''}), built from the training texts only.`] };
  }

  private async trainSequence(): Promise<NeuralOutcome> {
    const source = { table: this.table, customer: this.customer, date: this.date, amount: this.amount, orderId: this.orderId || undefined };
    const s = await readActivitySequences(workspace.db, source, { period: this.period, history: this.history, horizon: this.horizon, target: this.target });
    const split = trainTestSplit(s.n, { testFraction: this.testFraction, seed: this.seed, stratify: Int32Array.from(s.y) });
    const { x, divisors } = scaleActivity(s.x, split.train, this.history);
    const width = this.history * 2;
    const rows = (idx: Int32Array) => {
      const out = new Float32Array(idx.length * width);
      idx.forEach((i, r) => out.set(x.subarray(i * width, (i + 1) * width), r * width));
      return out;
    };
    const spec: ModelSpec = { kind: 'sequence', task: 'binary', cell: this.cell, periods: this.history, features: 2, units: 32 };
    const r = await neuralClient().train(spec, { x: rows(split.train), y: Float32Array.from(split.train, (i) => s.y[i]), n: split.train.length }, this.options(), this.onProgress);
    const out = await neuralClient().predict(r.modelId, { x: rows(split.test), n: split.test.length });
    const classes = this.target === 'churn' ? ['stays', 'churns'] : ['no purchase', 'buys'];
    const unit = `${this.period}${this.horizon > 1 ? 's' : ''}`;
    return { ...this.finish(r, spec, classes, out, Int32Array.from(split.test, (i) => s.y[i])), divisors, source: { ...source, period: this.period }, notes: [`${s.n.toLocaleString('en-US')} customers active in the ${this.history} ${this.period}s from ${s.historyStart}; target: ${this.target === 'churn' ? 'no purchase' : 'a purchase'} in the ${this.horizon} ${unit} from ${s.horizonStart}. Inputs: log(1 + orders) and log(1 + spend) per ${this.period}, scaled on the training customers.`] };
  }

  private finish(r: NeuralTrainResult, spec: ModelSpec, classes: string[], out: Float32Array, truth: Int32Array): Omit<NeuralOutcome, 'notes'> {
    const K = classes.length;
    const proba = classProbabilities(out, truth.length, K);
    const scores = classificationScores(truth, proba, K);
    const counts = new Array<number>(K).fill(0);
    truth.forEach((k) => counts[k]++);
    if (r.failures.length) this.notice = r.failures.map((f) => `${f.backend} failed (${f.reason}); training resumed on ${r.backend} from epoch ${f.resumedFromEpoch}.`).join(' ');
    return {
      mode: spec.kind === 'text' ? 'text' : 'sequence', modelId: r.modelId, spec, classes,
      history: r.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valLoss: h.valLoss, valAccuracy: h.valAccuracy })),
      bestEpoch: r.bestEpoch, stoppedEarly: r.stoppedEarly, backend: r.backend,
      test: { rows: truth.length, accuracy: scores.accuracy, auc: scores.auc, baseline: Math.max(...counts) / truth.length },
    };
  }

  /** Which words move the text model's prediction for `explainText`: each dropped in turn (occlusion). */
  async explain(): Promise<void> {
    const o = this.outcome;
    if (!o?.vocabulary || this.running) return;
    await this.job('Explaining', async () => {
      const { words, x } = occlusionInputs(this.explainText, o.vocabulary!);
      if (words.length === 0) throw new Error('The text has no words to explain; type or paste a review.');
      const out = await neuralClient().predict(o.modelId, { x, n: words.length + 1 });
      const K = o.classes.length;
      // Binary: the output is P(second class); multiclass: explain the class predicted for the whole text.
      const k = K === 2 ? 0 : out.subarray(0, K).reduce((best, v, j, a) => (v > a[best] ? j : best), 0);
      const at = (row: number) => (K === 2 ? out[row] : out[row * K + k]);
      const label = K === 2 ? o.classes[1] : o.classes[k];
      this.effects = { label, output: at(0), words: words.map((word, index) => ({ word, index, effect: at(0) - at(index + 1) })) };
    });
  }

  /** Where {@link scoreCustomers} writes: one row per customer, its probability of the target. */
  get scoreTable(): string {
    return `customer_${this.outcome?.classes[1] === 'churns' ? 'churn' : 'purchase'}_scores`;
  }

  /**
   * Scores every customer active in the latest periods with the sequence model (their last
   * `history` periods, scaled as the training customers were) and writes the probabilities into
   * DuckDB as {@link scoreTable}, so they join like any column.
   */
  async scoreCustomers(): Promise<void> {
    const o = this.outcome;
    if (!o || o.spec.kind !== 'sequence' || !o.divisors || !o.source || this.running) return;
    const periods = o.spec.periods;
    const { period, ...cols } = o.source;
    await this.job('Scoring', async () => {
      const latest = await readLatestActivity(workspace.db, cols, period, periods);
      const { x } = scaleActivity(latest.x, [], periods, o.divisors);
      this.progress = `scoring ${latest.n.toLocaleString('en-US')} customers`;
      const p = await neuralClient().predict(o.modelId, { x, n: latest.n });
      const name = this.scoreTable;
      await writeCustomerColumns(workspace.db, name, latest.customerId, { [`p_${o.classes[1].replace(/\W+/g, '_')}`]: p });
      await workspace.refresh(workspace.selected);
      this.notice = `Scored ${latest.n.toLocaleString('en-US')} customers from their last ${periods} ${period}s: table ${name}.`;
    });
  }

  /** Saves the current model in this browser (IndexedDB) with what it needs to be used again. */
  async save(): Promise<void> {
    const o = this.outcome;
    const name = this.saveName.trim();
    if (!o || !name || this.running) return;
    await this.job('Saving', async () => {
      await neuralClient().save(o.modelId, name, { mode: o.mode, classes: o.classes, history: o.history, bestEpoch: o.bestEpoch, ...(o.vocabulary ? { vocabulary: o.vocabulary } : {}), ...(o.divisors ? { divisors: o.divisors } : {}), ...(o.source ? { source: o.source } : {}) });
      this.saved = await neuralClient().savedModels();
      this.notice = `Saved the model as "${name}" in this browser (IndexedDB); it never leaves this device.`;
    });
  }

  /** Lists the models saved in this browser. */
  async refreshSaved(): Promise<void> {
    try {
      this.saved = await neuralClient().savedModels();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Loads a saved model: it becomes the current model (its training curves come with it). */
  async load(name: string): Promise<void> {
    if (!name || this.running) return;
    await this.job('Loading', async () => {
      const r = await neuralClient().load(name);
      const m = r.metadata as { mode?: NeuralMode; classes?: string[]; history?: EpochPoint[]; bestEpoch?: number; vocabulary?: Vocabulary; divisors?: [number, number]; source?: NeuralOutcome['source'] };
      const report = await neuralClient().backendReport();
      this.backend = report;
      this.effects = null;
      this.live = [];
      this.outcome = {
        mode: m.mode ?? (r.spec.kind === 'text' ? 'text' : 'sequence'), modelId: r.modelId, spec: r.spec, classes: m.classes ?? [], history: m.history ?? [], bestEpoch: m.bestEpoch ?? 0,
        stoppedEarly: false, backend: report.backend, vocabulary: m.vocabulary, divisors: m.divisors, source: m.source, notes: [`Loaded "${name}" from this browser's storage.`],
      };
      this.mode = this.outcome.mode;
      this.notice = `Loaded "${name}".`;
    });
  }

  /** Stops training: the worker is terminated (its models are lost; saved ones stay saved). */
  cancel(): void {
    neuralClient().cancel();
  }

  private async job(label: string, work: () => Promise<void>): Promise<void> {
    this.running = label;
    this.progress = label === 'Training' ? 'reading rows from DuckDB' : '';
    this.error = null;
    this.notice = null;
    try {
      await work();
    } catch (err) {
      if (isAbort(err)) {
        this.notice = `${label} was cancelled.`;
        if (label === 'Training') this.outcome = null;
      } else this.error = errorMessage(err);
    } finally {
      this.running = null;
      this.progress = '';
    }
  }
}

/** The app's Neural room. */
export const neural = new NeuralRoom();
