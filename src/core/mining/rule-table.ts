import type { AssociationRules } from './rules';

/** One association rule with item names, as the rules table shows it. */
export interface RuleRow {
  antecedent: string[];
  consequent: string[];
  /** Baskets containing antecedent ∪ consequent. */
  count: number;
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number;
}

/** The measures a rules table can sort by. */
export type RuleMeasure = 'support' | 'confidence' | 'lift' | 'leverage' | 'conviction';

/** The first `limit` rules (in the miner's order: confidence, lift, support descending) with item names. */
export function ruleRows(rules: AssociationRules, itemNames: readonly string[], limit = Infinity): RuleRow[] {
  const m = Math.min(rules.counts.length, limit);
  const rows: RuleRow[] = new Array(m);
  const names = (items: Int32Array, from: number, to: number) => Array.from(items.subarray(from, to), (id) => itemNames[id] ?? `#${id}`);
  for (let r = 0; r < m; r++) {
    rows[r] = {
      antecedent: names(rules.antecedentItems, rules.antecedentOffsets[r], rules.antecedentOffsets[r + 1]),
      consequent: names(rules.consequentItems, rules.consequentOffsets[r], rules.consequentOffsets[r + 1]),
      count: rules.counts[r],
      support: rules.support[r],
      confidence: rules.confidence[r],
      lift: rules.lift[r],
      leverage: rules.leverage[r],
      conviction: rules.conviction[r],
    };
  }
  return rows;
}

/** Rules whose items contain `text` (case-insensitive), sorted by `by` (descending unless `ascending`). */
export function filterAndSortRules(rows: readonly RuleRow[], text: string, by: RuleMeasure, ascending = false): RuleRow[] {
  const q = text.trim().toLowerCase();
  const kept = q ? rows.filter((r) => r.antecedent.some((a) => a.toLowerCase().includes(q)) || r.consequent.some((c) => c.toLowerCase().includes(q))) : [...rows];
  const sign = ascending ? 1 : -1;
  return kept.sort((a, b) => sign * (a[by] - b[by]));
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Rules as CSV (RFC 4180): antecedent and consequent as item lists joined by " & ", then count,
 * support, confidence, lift, leverage and conviction (Infinity written as "inf", as mlxtend does).
 */
export function rulesCsv(rows: readonly RuleRow[]): string {
  const lines = ['antecedent,consequent,count,support,confidence,lift,leverage,conviction'];
  const num = (v: number) => (v === Infinity ? 'inf' : String(v));
  for (const r of rows) {
    lines.push([csvCell(r.antecedent.join(' & ')), csvCell(r.consequent.join(' & ')), r.count, num(r.support), num(r.confidence), num(r.lift), num(r.leverage), num(r.conviction)].join(','));
  }
  return lines.join('\n') + '\n';
}
