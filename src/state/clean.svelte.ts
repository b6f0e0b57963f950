import { errorMessage, isAbort } from '../core/errors';
import { parseRecipe, RECIPE_VERSION, recipeToJson, stepSettingsKey, validateRecipe, withSource, newStepId, type ColumnType, type Recipe, type RecipeStep, type RecipeStepBody } from '../core/recipe';
import { RecipeError } from '../core/recipe/errors';
import { applyRecipe, dropRecipeSteps, type StepReport } from '../services/db/recipe-run';
import { rebuildRecipeInputs } from '../services/db/recipe-inputs';
import { claimOutputName, markOutputSql } from '../services/db/recipe-owner';
import { columnsBefore, recipePrefixKey, type RanColumns } from './clean-columns';
import { CleanExports } from './clean-exports.svelte';
import { CleanSuggestions } from './clean-suggestions.svelte';
import { readStore, registerCleanParts, storedOutput, storedProducer, writeStore } from './clean-store.svelte';
import { workspace } from './workspace.svelte';

/** An error shown beside the step that caused it (or above the list when no step is named). */
export interface StepError {
  message: string;
  stepId?: string;
  column?: string;
}

/** Milliseconds between the last edit and the automatic re-run. */
const RERUN_DELAY_MS = 400;
/** Rows of before/after preview kept per step. */
const PREVIEW_ROWS = 5;

/**
 * The Clean room: an ordered recipe of steps over a source table, edited by the analyst (add,
 * edit, enable/disable, reorder, delete, undo/redo), applied by DuckDB (services/db/recipe-run)
 * with per-step reports, suggestions from the source's profile, and exports. Recipes persist per
 * source table in localStorage (versioned JSON, the same format as the recipe file export).
 */
export class CleanRoom {
  source = $state('');
  steps = $state<RecipeStep[]>([]);
  reports = $state.raw<Record<string, StepReport>>({});
  error = $state<StepError | null>(null);
  running = $state(false);
  progress = $state<{ done: number; total: number; label: string } | null>(null);
  autoRun = $state(true);
  /** Re-apply with the statistics frozen in the steps (an imported recipe) instead of refitting. */
  keepFrozen = $state(false);
  /** Step whose before/after preview is shown. */
  selected = $state<string | null>(null);
  /** The last successfully applied recipe (statistics frozen): what the exports write. */
  applied = $state.raw<Recipe | null>(null);
  outputRows = $state<number | null>(null);
  notice = $state<string | null>(null);
  importError = $state<string | null>(null);
  past = $state.raw<RecipeStep[][]>([]);
  future = $state.raw<RecipeStep[][]>([]);
  /** Each step's columns as the last run that reached it found them (DuckDB's types), by step id. */
  private ran = $state.raw<Record<string, RanColumns>>({});
  /** Columns recorded in an imported recipe: checked against the source on every run. */
  private recordedColumns: ColumnType[] | undefined;
  private controller: AbortController | null = null;
  private outputName = $state('');
  /** The steps (as {@link stepsKey} writes them) the shown reports were taken for. */
  private reportedFor = $state('');
  private chain: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The recipe and cleaned-table exports (clean-exports.svelte.ts). */
  readonly exports: CleanExports = new CleanExports(this);
  /** The profile's suggested steps (clean-suggestions.svelte.ts). */
  readonly suggestions: CleanSuggestions = new CleanSuggestions(this);

  /** The cleaned table's name: `<source>_clean`, or the next free name when that one is the analyst's own table. */
  get output(): string {
    return this.source ? this.outputName || `${this.source}_clean` : '';
  }

  /** Columns of a table in the workspace, as DuckDB names their types. */
  tableColumns(name: string): ColumnType[] | undefined {
    return workspace.tables.find((t) => t.name === name)?.columns;
  }

  /**
   * The columns going into step `index` (`steps.length`: after the last step): with the types
   * DuckDB gave them when the recipe last ran this far unchanged, else from the typed schema of
   * the steps before it (see clean-columns.ts).
   */
  columnsAt(index: number): ColumnType[] {
    return columnsBefore(index, this.steps, this.tableColumns(this.source) ?? [], (t) => this.tableColumns(t), this.applied, this.ran);
  }

  /** Opens the recipe saved for `source` (or an empty one), profiles it for suggestions, and runs it. */
  async choose(source: string): Promise<void> {
    if (source === this.source) return;
    this.controller?.abort();
    // Each source keeps its undo history for the session.
    if (this.source) histories.set(this.source, { past: this.past, future: this.future });
    this.source = source;
    this.steps = [];
    this.past = histories.get(source)?.past ?? [];
    this.future = histories.get(source)?.future ?? [];
    this.reset();
    this.applied = null;
    this.ran = {};
    this.suggestions.reset(source);
    this.keepFrozen = false;
    this.recordedColumns = undefined;
    const store = readStore();
    this.outputName = storedOutput(store, source) ?? '';
    const saved = store.recipes[source];
    if (saved) {
      try {
        const recipe = parseRecipe(saved.recipe);
        this.steps = recipe.steps;
        this.keepFrozen = saved.keepFrozen;
        this.recordedColumns = recipe.sourceColumns;
      } catch (err) {
        this.notice = `The recipe saved for "${source}" could not be read (${errorMessage(err)}); starting an empty one.`;
      }
    }
    this.save();
    if (this.steps.length && this.autoRun) void this.run();
    await this.suggestions.refresh();
  }

  private reset(): void {
    this.reports = {};
    this.error = null;
    this.outputRows = null;
    this.notice = null;
    this.importError = null;
    this.selected = null;
  }

  private change(next: RecipeStep[]): void {
    this.past = [...this.past, $state.snapshot(this.steps) as RecipeStep[]].slice(-100);
    this.future = [];
    this.steps = next;
    this.edited();
  }

  private edited(): void {
    this.save();
    this.scheduleRun();
  }

  /** Appends a step at the end of the recipe. */
  addStep(body: RecipeStepBody): void {
    const step = { ...body, id: newStepId(), enabled: true } as RecipeStep;
    this.change([...this.steps, step]);
    this.selected = step.id;
  }

  /** Replaces a step's settings (its frozen statistics are dropped, so they are fitted again). */
  updateStep(id: string, body: RecipeStepBody): void {
    this.change(this.steps.map((s) => (s.id === id ? ({ ...body, fitted: undefined, id, enabled: s.enabled, note: s.note } as RecipeStep) : s)));
  }

  /** Turns a step on or off. */
  toggle(id: string): void {
    this.change(this.steps.map((s) => (s.id === id ? { ...s, enabled: !s.enabled } : s)));
  }

  /** Deletes a step. */
  remove(id: string): void {
    this.change(this.steps.filter((s) => s.id !== id));
    if (this.selected === id) this.selected = null;
  }

  /** Moves a step one place up (−1) or down (+1). */
  move(id: string, by: -1 | 1): void {
    const i = this.steps.findIndex((s) => s.id === id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= this.steps.length) return;
    const next = [...this.steps];
    [next[i], next[j]] = [next[j], next[i]];
    this.change(next);
  }

  /** Undoes the last change of the recipe. */
  undo(): void {
    const prev = this.past.at(-1);
    if (!prev) return;
    this.future = [$state.snapshot(this.steps) as RecipeStep[], ...this.future];
    this.past = this.past.slice(0, -1);
    this.steps = prev;
    this.edited();
  }

  /** Redoes the last undone change. */
  redo(): void {
    const next = this.future[0];
    if (!next) return;
    this.past = [...this.past, $state.snapshot(this.steps) as RecipeStep[]];
    this.future = this.future.slice(1);
    this.steps = next;
    this.edited();
  }

  /** The recipe as it stands (steps as edited). */
  recipe(): Recipe {
    return { version: RECIPE_VERSION, name: this.output, source: this.source, steps: $state.snapshot(this.steps) as RecipeStep[], sourceColumns: this.recordedColumns };
  }

  private save(): void {
    if (!this.source) return;
    try {
      const store = readStore();
      store.last = this.source;
      // Fitted statistics (a mode, the categories of a column…) are values of the data: they are
      // not kept in this unencrypted store but fitted again when the recipe next runs. A recipe
      // imported with frozen statistics keeps them (they came from the analyst's own file).
      const recipe = JSON.parse(recipeToJson(this.recipe())) as { steps: Record<string, unknown>[] };
      if (!this.keepFrozen) for (const step of recipe.steps) delete step.fitted;
      if (this.steps.length) store.recipes[this.source] = { recipe, keepFrozen: this.keepFrozen };
      else delete store.recipes[this.source];
      writeStore(store);
    } catch (err) {
      this.notice = `The recipe could not be saved in this browser (${errorMessage(err)}): export it as JSON to keep it.`;
    }
  }

  /** The source table the last visit worked on, when it is loaded now. */
  lastSource(): string | null {
    const last = readStore().last;
    return last && this.tableColumns(last) ? last : null;
  }

  private scheduleRun(): void {
    if (this.timer) clearTimeout(this.timer);
    if (!this.autoRun) return;
    this.timer = setTimeout(() => void this.run(), RERUN_DELAY_MS);
  }

  /** Stops the running recipe between steps; the tables stay as they were. */
  cancel(): void {
    this.controller?.abort();
  }

  /** Applies the recipe (after any run in progress stops) and shows each step's report. */
  run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    const ctl = new AbortController();
    this.controller = ctl;
    const previous = this.chain;
    this.chain = previous.then(() => (ctl.signal.aborted ? undefined : this.runNow(ctl.signal)));
    return this.chain;
  }

  /**
   * Resolves once no run of the recipe is due or in progress: a run scheduled after an edit
   * starts now. A workspace save waits for this, so it finds the cleaned table the recipe it
   * saves wrote, and no half-built one (`<name>__s0`).
   */
  async settled(): Promise<void> {
    if (this.timer) void this.run();
    for (let chain = this.chain; ; chain = this.chain) {
      await chain.catch(() => undefined);
      if (chain === this.chain) return;
    }
  }

  private async runNow(signal: AbortSignal): Promise<void> {
    const db = workspace.db;
    const source = this.source;
    const wanted = this.output;
    const claimed = await claimOutputName(db, source, wanted).catch(() => wanted);
    if (source !== this.source) return;
    if (claimed !== wanted) {
      this.outputName = claimed;
      this.save();
      this.notice = `"${wanted}" is a table this recipe did not write, so it stays as it is: the cleaned table is "${claimed}".`;
    }
    const recipe = this.recipe();
    this.reportedFor = stepsKey(recipe.steps);
    const enabled = recipe.steps.filter((s) => s.enabled).length;
    this.running = true;
    this.reports = {};
    this.error = null;
    this.progress = { done: 0, total: enabled, label: 'Checking the recipe…' };
    const reports: Record<string, StepReport> = {};
    const sourceColumns = this.tableColumns(recipe.source) ?? [];
    try {
      // Tables it joins or appends that other recipes write (after a reload only this one ran).
      for (const input of await rebuildRecipeInputs(db, recipe, storedProducer, signal)) {
        workspace.rememberJob(async (d) => {
          for (const sql of input.statements) await d.query(sql);
          await dropRecipeSteps(d, input.result.recipe);
        }, `recipe:${input.result.output}`);
      }
      const result = await applyRecipe(db, recipe, {
        refit: !this.keepFrozen,
        preview: PREVIEW_ROWS,
        signal,
        onStep: (r) => {
          if (this.source !== recipe.source) return;
          reports[r.stepId] = r;
          this.reports = { ...reports };
          this.ran = { ...this.ran, [r.stepId]: { key: recipePrefixKey(sourceColumns, recipe.steps, r.index), columns: r.columns } };
          const done = Object.keys(reports).length;
          this.progress = { done, total: enabled, label: `Ran step ${r.index + 1} (${done} of ${enabled})` };
        },
      });
      await dropRecipeSteps(db, recipe);
      const mark = markOutputSql(recipe.name, recipe.source);
      await db.query(mark);
      // After an engine restart the cleaned table is written again by the same statements (the
      // statistics are frozen in them), once the source is back.
      const statements = [...result.statements, mark];
      workspace.rememberJob(async (d) => {
        for (const sql of statements) await d.query(sql);
        await dropRecipeSteps(d, recipe);
      }, `recipe:${recipe.name}`);
      await workspace.refresh();
      if (this.source !== recipe.source) return;
      this.applied = result.recipe;
      this.outputRows = result.rows;
    } catch (err) {
      await dropRecipeSteps(db, recipe).catch(() => undefined);
      if (this.source !== recipe.source) return;
      // A run superseded by a newer edit is silent; one the analyst cancelled says so.
      if (isAbort(err)) this.notice = this.controller?.signal === signal ? 'Cancelled: the tables are as they were.' : this.notice;
      else {
        const e = err as Partial<RecipeError>;
        this.error = { message: errorMessage(err), stepId: e.stepId ?? (e.stepIndex !== undefined ? recipe.steps[e.stepIndex]?.id : undefined), column: e.column };
      }
    } finally {
      this.running = false;
      this.progress = null;
    }
  }

  /**
   * Reads a recipe file and aims it at the current source; schema errors are shown, nothing
   * changes. `refit`: fit the statistics on the source again (a shared link's steps carry none).
   */
  importRecipe(text: string, options: { refit?: boolean } = {}): void {
    this.importError = null;
    try {
      const parsed = withSource(parseRecipe(text), this.source, this.output);
      const columns = this.tableColumns(this.source) ?? [];
      validateRecipe(parsed, columns, (t) => this.tableColumns(t));
      this.recordedColumns = parsed.sourceColumns;
      this.keepFrozen = !options.refit;
      this.change(parsed.steps);
      this.notice = options.refit
        ? `Opened ${parsed.steps.length} shared steps; their statistics are fitted on ${this.source}.`
        : `Imported ${parsed.steps.length} steps; they re-apply with the statistics frozen in the file.`;
    } catch (err) {
      this.importError = `This recipe cannot be applied to "${this.source}": ${errorMessage(err)}`;
    }
  }

  /** The last applied recipe when its steps are the ones shown (statistics aside), else null. */
  currentApplied(): Recipe | null {
    return this.applied && stepsKey(this.applied.steps) === stepsKey($state.snapshot(this.steps) as RecipeStep[]) ? this.applied : null;
  }

  /** The reports shown were taken before the recipe last changed (it has not run since). */
  get reportsStale(): boolean {
    return !this.running && Object.keys(this.reports).length > 0 && this.reportedFor !== stepsKey($state.snapshot(this.steps) as RecipeStep[]);
  }

  /** The cleaned table was written by an earlier version of the recipe (edited since, or the last run failed). */
  get outputStale(): boolean {
    return this.outputRows !== null && !this.running && this.currentApplied() === null;
  }

  /** The recipe the JSON export writes: the applied one (statistics frozen) when current, with the source's columns. */
  exportableRecipe(): Recipe {
    return this.currentApplied() ?? { ...this.recipe(), sourceColumns: this.recordedColumns ?? this.tableColumns(this.source) };
  }
}

/** Undo histories of the sources the room has left, for the session. */
const histories = new Map<string, { past: RecipeStep[][]; future: RecipeStep[][] }>();

/** Steps compared without their fitted statistics. */
function stepsKey(steps: readonly RecipeStep[]): string {
  return steps.map(stepSettingsKey).join('\n');
}

/** The app's one Clean room. */
export const clean = new CleanRoom();

registerCleanParts(clean);
