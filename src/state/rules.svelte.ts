import { ruleNetwork, type ItemNetwork } from '../charts/network';
import { errorCode, errorMessage, isAbort } from '../core/errors';
import { filterAndSortRules, ruleRows, rulesCsv, type RuleMeasure, type RuleRow } from '../core/mining/rule-table';
import type { Progress } from '../core/progress';
import { readBaskets, type BasketSource } from '../services/db/baskets';
import { createMiningClient, type MiningClient } from '../services/workers/mining-client';
import { describeProgress, nextTask } from './segments.svelte';
import { workspace } from './workspace.svelte';
import { chooseTable } from './table-choice';

/** Rules kept for the table, chart and export (the miner's best by confidence, lift, support). */
const KEPT_RULES = 20_000;
/** Rows the rules table shows after sorting and filtering. */
export const SHOWN_RULES = 100;

/** A finished mining run. */
export interface RulesResult {
  source: string;
  baskets: number;
  lines: number;
  items: number;
  itemsets: number;
  total: number;
  rules: RuleRow[];
}

/**
 * The Rules stage: baskets from a long table (basket id + item) or a wide one (0/1 columns),
 * FP-Growth and rule thresholds, the run in the mining worker, and the rules as a sortable,
 * filterable table, a support × confidence scatter, an item network and a CSV export.
 */
export class Rules {
  table = $state<string | null>(null);
  columns = $state<{ name: string; type: string }[]>([]);
  form = $state<'long' | 'wide'>('long');
  basket = $state('');
  item = $state('');
  wideItems = $state<string[]>([]);
  supportUnit = $state<'fraction' | 'count'>('fraction');
  minSupport = $state(0.01);
  maxLength = $state(3);
  minConfidence = $state(0.1);
  minLift = $state(1);

  running = $state(false);
  progress = $state('');
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  result = $state.raw<RulesResult | null>(null);

  sortBy = $state<RuleMeasure>('lift');
  ascending = $state(false);
  filter = $state('');

  private client: MiningClient = createMiningClient();

  /** The rules after the table's filter and sort. */
  get sorted(): RuleRow[] {
    return this.result ? filterAndSortRules(this.result.rules, this.filter, this.sortBy, this.ascending) : [];
  }

  /** Items and links of the 25 rules with the highest lift, for the network chart. */
  get network(): ItemNetwork {
    // Node size follows each item's support, recovered from the rules' measures.
    return ruleNetwork(filterAndSortRules(this.result?.rules ?? [], '', 'lift').slice(0, 25));
  }

  /** Picks the table and guesses the columns: an `*_id` basket column and a text item column. */
  async selectTable(name: string): Promise<void> {
    await chooseTable(this, name, (cols) => {
      this.basket = cols.find((c) => /(order|basket|transaction|invoice).*id$/i.test(c.name))?.name ?? cols[0]?.name ?? '';
      this.item = cols.find((c) => /^(product|item|sku)/i.test(c.name))?.name ?? cols.find((c) => c.type === 'VARCHAR')?.name ?? cols[1]?.name ?? '';
      this.wideItems = cols.filter((c) => /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT)$/.test(c.type)).map((c) => c.name).filter((c) => !/(^|_)id$/i.test(c));
    });
  }

  /** Stops the running job; earlier rules stay. */
  cancel(): void {
    this.client.cancel();
  }

  /** Reads the baskets, mines frequent itemsets and rules in the worker, and keeps the best 20,000 rules. */
  async run(): Promise<void> {
    const table = this.table;
    if (!table || this.running) return;
    const source: BasketSource = this.form === 'long' ? { form: 'long', table, basket: this.basket, item: this.item } : { form: 'wide', table, items: [...this.wideItems] };
    this.running = true;
    this.error = null;
    this.notice = null;
    this.progress = 'reading baskets from DuckDB';
    try {
      const b = await readBaskets(workspace.db, source);
      await nextTask();
      const threshold = this.supportUnit === 'count' ? { minCount: Math.max(1, Math.round(this.minSupport)) } : { minSupport: this.minSupport };
      const mined = await this.client.mineRules(
        b.transactions,
        { ...threshold, maxLength: this.maxLength > 0 ? this.maxLength : undefined, minConfidence: this.minConfidence, minLift: this.minLift },
        (p: Progress) => (this.progress = describeProgress(p)),
      );
      await nextTask();
      const total = mined.rules.counts.length;
      const rows = ruleRows(mined.rules, b.itemNames, KEPT_RULES);
      await nextTask();
      this.result = {
        source: source.form === 'long' ? `${table}: ${source.basket} × ${source.item}` : `${table}: ${source.items.length} item columns`,
        baskets: b.baskets,
        lines: b.lines,
        items: b.itemNames.length,
        itemsets: mined.itemsets.counts.length,
        total,
        rules: rows,
      };
    } catch (err) {
      if (isAbort(err)) this.notice = 'Mining was cancelled; earlier rules are kept.';
      else if (errorCode(err) === 'too-large') this.error = `${errorMessage(err)} Try a higher minimum support (now ${this.minSupport}) or a shorter maximum length.`;
      else this.error = errorMessage(err);
    } finally {
      this.running = false;
      this.progress = '';
    }
  }

  /** The kept rules, filtered and sorted as the table shows them, as CSV text. */
  csv(): string {
    return rulesCsv(this.sorted);
  }
}

/** The app's Rules stage. */
export const rules = new Rules();
