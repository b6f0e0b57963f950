import { errorMessage, isAbort } from '../core/errors';
import type { CountBin } from '../core/stats/kde';
import {
  MAX_CROSSTAB_CATEGORIES,
  readCorrelations,
  readCrossTable,
  readDistinctCounts,
  readCrosstab,
  readDensity,
  readHistogram,
  readNumericSummary,
  readScatter,
  readTimeSeries,
  readTopCategories,
  type Aggregate,
  type CorrelationMatrix,
  type CrossTable,
  type DensityCurve,
  type NumericSummary,
  type RangeFilter,
  type TimeGrain,
  type TimeMetric,
  type TimePoint,
  type Trend,
} from '../services/db/explore';
import { kindOf, type ColumnKind } from '../services/db/profile';
import type { ChiSquareTest } from '../core/stats/chi-square';
import { workspace } from './workspace.svelte';

/** The sections of the Explore room; each has its own busy flag, error and result. */
export type ExploreSection = 'histogram' | 'distribution' | 'scatter' | 'bars' | 'correlation' | 'crosstab' | 'pivot' | 'time';

/** Most points a scatter draws (a seeded reservoir sample of the rows). */
export const SCATTER_SAMPLE = 5000;
/** The seed of the scatter's sample: the same table gives the same points. */
export const SCATTER_SEED = 42;

const ID_LIKE = /(^id$|_id$|^id_)/i;

/**
 * The Explore room: one table, charts whose aggregates DuckDB computes, and one brushed range (on
 * the histogram) that every other chart's query adds to its WHERE clause. Each section refetches
 * on its own; a newer request makes an older one's result be dropped.
 */
export class ExploreState {
  table = $state('');
  /** The range brushed on the histogram; applies to every chart but the histogram itself. */
  filter = $state<RangeFilter | null>(null);
  busy = $state<Record<ExploreSection, boolean>>({ histogram: false, distribution: false, scatter: false, bars: false, correlation: false, crosstab: false, pivot: false, time: false });
  errors = $state<Record<ExploreSection, string | null>>({ histogram: null, distribution: null, scatter: null, bars: null, correlation: null, crosstab: null, pivot: null, time: null });

  column = $state('');
  bins = $state(20);
  summary = $state<NumericSummary | null>(null);
  histogram = $state<CountBin[] | null>(null);
  /** Box plot and density of the brushed rows (the whole column when there is no filter). */
  box = $state<NumericSummary | null>(null);
  density = $state<DensityCurve | null>(null);
  categories = $state<{ label: string; count: number }[] | null>(null);

  scatterX = $state('');
  scatterY = $state('');
  scatter = $state<{ points: { x: number; y: number }[]; trend: Trend } | null>(null);

  barGroup = $state('');
  barSeries = $state('');
  barMeasure = $state('');
  barAggregate = $state<Aggregate>('count');
  barMode = $state<'grouped' | 'stacked'>('grouped');
  bars = $state<CrossTable | null>(null);

  correlationColumns = $state<string[]>([]);
  correlationMethod = $state<'pearson' | 'spearman'>('pearson');
  correlation = $state<CorrelationMatrix | null>(null);

  crosstabRow = $state('');
  crosstabColumn = $state('');
  crosstab = $state<(CrossTable & { test: ChiSquareTest }) | null>(null);

  pivotRow = $state('');
  pivotColumn = $state('');
  pivotMeasure = $state('');
  pivotAggregate = $state<Aggregate>('sum');
  pivot = $state<CrossTable | null>(null);

  timeDate = $state('');
  timeMeasure = $state('');
  timeCustomer = $state('');
  grain = $state<TimeGrain>('month');
  metric = $state<TimeMetric>('revenue');
  window = $state(3);
  yearOverYear = $state(true);
  time = $state<TimePoint[] | null>(null);

  /** The workspace revision the charts were drawn at (see {@link syncRevision}). */
  private revision = -1;
  private tokens: Record<ExploreSection, number> = { histogram: 0, distribution: 0, scatter: 0, bars: 0, correlation: 0, crosstab: 0, pivot: 0, time: 0 };

  /** The chosen table's columns with their profile kind. */
  get columns(): { name: string; type: string; kind: ColumnKind }[] {
    return (workspace.tables.find((t) => t.name === this.table)?.columns ?? []).map((c) => ({ ...c, kind: kindOf(c.type) }));
  }

  /** Columns of one kind (numbers; categories = text and booleans; dates). */
  columnsOf(kind: 'number' | 'category' | 'date'): string[] {
    return this.columns.filter((c) => (kind === 'category' ? c.kind === 'text' || c.kind === 'boolean' : c.kind === kind)).map((c) => c.name);
  }

  /**
   * Picks a table and sensible columns for every chart, then draws all: measures before ids,
   * categories with few distinct values before names and free text, an amount-like column for
   * revenue (else rows are counted).
   */
  async choose(table: string): Promise<void> {
    this.table = table;
    this.filter = null;
    [this.summary, this.histogram, this.box, this.density, this.categories, this.scatter, this.bars, this.correlation, this.crosstab, this.pivot, this.time] = [null, null, null, null, null, null, null, null, null, null, null];
    const numbers = this.columnsOf('number');
    const measures = [...numbers.filter((c) => !ID_LIKE.test(c)), ...numbers.filter((c) => ID_LIKE.test(c))];
    const nonId = measures.filter((c) => !ID_LIKE.test(c));
    let cats = this.columnsOf('category');
    try {
      const distinct = await readDistinctCounts(workspace.db, table, cats);
      if (this.table !== table) return;
      cats = [...cats.filter((c) => (distinct.get(c) ?? 0) <= MAX_CROSSTAB_CATEGORIES), ...cats.filter((c) => (distinct.get(c) ?? 0) > MAX_CROSSTAB_CATEGORIES)];
    } catch {
      // Without distinct counts the columns keep their table order.
    }
    const dates = this.columnsOf('date');
    this.column = measures[0] ?? cats[0] ?? '';
    this.scatterX = measures[0] ?? '';
    this.scatterY = measures[1] ?? measures[0] ?? '';
    [this.barGroup, this.barSeries] = [cats[0] ?? '', cats[1] ?? cats[0] ?? ''];
    [this.crosstabRow, this.crosstabColumn] = [cats[0] ?? '', cats[1] ?? cats[0] ?? ''];
    [this.pivotRow, this.pivotColumn] = [cats[0] ?? '', cats[1] ?? cats[0] ?? ''];
    const money = nonId.find((c) => /amount|revenue|sales|price|total|value|spend/i.test(c));
    this.barMeasure = this.pivotMeasure = nonId[0] ?? '';
    this.timeMeasure = money ?? nonId[0] ?? '';
    this.pivotAggregate = this.pivotMeasure ? 'sum' : 'count';
    this.correlationColumns = (nonId.length >= 2 ? nonId : measures).slice(0, 12);
    this.timeDate = dates[0] ?? '';
    this.timeCustomer = this.columns.find((c) => /customer/i.test(c.name))?.name ?? '';
    this.metric = money ? 'revenue' : 'orders';
    await this.refreshAll();
  }

  /** Redraws every chart when table contents changed since they were drawn (workspace.revision). */
  async syncRevision(revision: number): Promise<void> {
    const changed = this.revision !== -1 && revision !== this.revision;
    this.revision = revision;
    if (changed && this.table) await this.refreshAll();
  }

  /** True while any chart's query runs. */
  get computing(): boolean {
    return Object.values(this.busy).some(Boolean);
  }

  /**
   * Stops the running chart queries: the engine restarts and the workspace is rebuilt (see
   * workspace.cancel); the charts are not recomputed when it is back.
   */
  cancel(): void {
    this.revision = -1;
    workspace.cancel();
  }

  /** Redraws every section (after choosing a table). */
  async refreshAll(): Promise<void> {
    await Promise.all([this.loadUnivariate(), this.loadScatter(), this.loadBars(), this.loadCorrelation(), this.loadCrosstab(), this.loadPivot(), this.loadTime()]);
  }

  /** Sets or clears the brushed range and redraws every chart it filters. */
  async setFilter(range: [number, number] | null): Promise<void> {
    this.filter = range && this.column ? { column: this.column, lo: Math.min(...range), hi: Math.max(...range) } : null;
    await Promise.all([this.loadFiltered(), this.loadScatter(), this.loadBars(), this.loadCorrelation(), this.loadCrosstab(), this.loadPivot(), this.loadTime()]);
  }

  private async run(section: ExploreSection, job: (current: () => boolean) => Promise<void>): Promise<void> {
    const token = ++this.tokens[section];
    const current = () => token === this.tokens[section];
    this.busy[section] = true;
    this.errors[section] = null;
    try {
      await job(current);
    } catch (err) {
      if (current() && !isAbort(err)) this.errors[section] = errorMessage(err);
    } finally {
      if (current()) this.busy[section] = false;
    }
  }

  private isNumeric(column: string): boolean {
    return this.columnsOf('number').includes(column);
  }

  /** The histogram of the column over all rows (it holds the brush), then the filtered charts. */
  async loadUnivariate(): Promise<void> {
    await this.run('histogram', async (current) => {
      const { table, column } = this;
      if (!table || !column) return;
      if (this.isNumeric(column)) {
        const summary = await readNumericSummary(workspace.db, table, column, null);
        const histogram = await readHistogram(workspace.db, table, column, summary.min, summary.max, this.bins, null);
        if (!current()) return;
        [this.summary, this.histogram] = [summary, histogram];
      } else {
        [this.summary, this.histogram] = [null, null];
      }
    });
    await this.loadFiltered();
  }

  /** Box plot, density and top categories of the column, over the brushed rows. */
  private async loadFiltered(): Promise<void> {
    await this.run('distribution', async (current) => {
      const { table, column, filter } = this;
      if (!table || !column) return;
      if (this.isNumeric(column)) {
        const box = await readNumericSummary(workspace.db, table, column, filter);
        const density = await readDensity(workspace.db, table, column, box, filter);
        if (!current()) return;
        [this.box, this.density, this.categories] = [box, density, null];
      } else {
        const categories = await readTopCategories(workspace.db, table, column, 15, filter);
        if (!current()) return;
        [this.box, this.density, this.categories] = [null, null, categories];
      }
    });
  }

  /** Draws another column's histogram; a range brushed on the previous column is cleared. */
  async setColumn(column: string): Promise<void> {
    this.column = column;
    if (!this.filter) return this.loadUnivariate();
    this.filter = null;
    await this.refreshAll();
  }

  /** Changes the histogram's bin count and redraws it (the brush is kept). */
  async setBins(bins: number): Promise<void> {
    this.bins = Math.max(2, Math.min(200, Math.round(bins) || 20));
    await this.run('histogram', async (current) => {
      if (!this.summary) return;
      const histogram = await readHistogram(workspace.db, this.table, this.column, this.summary.min, this.summary.max, this.bins, null);
      if (current()) this.histogram = histogram;
    });
  }

  /** The scatter's seeded sample and the trend over all (filtered) rows. */
  async loadScatter(): Promise<void> {
    await this.run('scatter', async (current) => {
      if (!this.table || !this.scatterX || !this.scatterY) return;
      const s = await readScatter(workspace.db, this.table, this.scatterX, this.scatterY, { limit: SCATTER_SAMPLE, seed: SCATTER_SEED, filter: this.filter });
      if (current()) this.scatter = s;
    });
  }

  /** Grouped/stacked bars: the aggregate per (group, colour), top categories kept. */
  async loadBars(): Promise<void> {
    await this.run('bars', async (current) => {
      if (!this.table || !this.barGroup || !this.barSeries) return;
      const t = await readCrossTable(workspace.db, this.table, this.barGroup, this.barSeries, { aggregate: this.barAggregate, measure: this.barMeasure || undefined, topRows: 12, topColumns: 8, filter: this.filter });
      if (current()) this.bars = t;
    });
  }

  /** The correlation matrix of the chosen numeric columns, by the chosen method. */
  async loadCorrelation(): Promise<void> {
    await this.run('correlation', async (current) => {
      if (!this.table) return;
      const m = await readCorrelations(workspace.db, this.table, this.correlationColumns, this.filter, { spearman: this.correlationMethod === 'spearman' });
      if (current()) this.correlation = m;
    });
  }

  /** Counts of two categorical columns and their chi-square test of independence. */
  async loadCrosstab(): Promise<void> {
    await this.run('crosstab', async (current) => {
      if (!this.table || !this.crosstabRow || !this.crosstabColumn) return;
      const t = await readCrosstab(workspace.db, this.table, this.crosstabRow, this.crosstabColumn, this.filter);
      if (current()) this.crosstab = t;
    });
  }

  /** The pivot table: rows × columns × the chosen aggregate. */
  async loadPivot(): Promise<void> {
    await this.run('pivot', async (current) => {
      if (!this.table || !this.pivotRow || !this.pivotColumn) return;
      const t = await readCrossTable(workspace.db, this.table, this.pivotRow, this.pivotColumn, { aggregate: this.pivotAggregate, measure: this.pivotMeasure || undefined, topRows: 50, topColumns: 20, filter: this.filter });
      if (current()) this.pivot = t;
    });
  }

  /** Revenue, orders or customers per period with a moving average and last year. */
  async loadTime(): Promise<void> {
    await this.run('time', async (current) => {
      if (!this.table || !this.timeDate) return;
      const points = await readTimeSeries(workspace.db, this.table, {
        date: this.timeDate,
        grain: this.grain,
        metric: this.metric,
        measure: this.timeMeasure || undefined,
        customer: this.timeCustomer || undefined,
        window: this.window,
        filter: this.filter,
      });
      if (current()) this.time = points;
    });
  }
}

export const explore = new ExploreState();
