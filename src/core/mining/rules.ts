import { AppError, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { frequentItemsets } from './fpgrowth';
import type { FrequentItemsetOptions, FrequentItemsets } from './fpgrowth';
import type { Transactions } from './transactions';

/** Default cap on the number of rules before generation gives up ('too-large'). */
export const DEFAULT_MAX_RULES = 1_000_000;

/** Options of {@link associationRules}. */
export interface RuleOptions {
  /** Keep rules with confidence ≥ this, in [0, 1] (default 0.8). */
  minConfidence?: number;
  /** Keep rules with lift ≥ this (default 0: no filter). */
  minLift?: number;
  /** Give up with AppError 'too-large' past this many rules (default {@link DEFAULT_MAX_RULES}). */
  maxRules?: number;
}

/**
 * Association rules A ⇒ C in CSR form (rule r: antecedent `antecedentItems[antecedentOffsets[r]
 * .. antecedentOffsets[r + 1])`, likewise the consequent; item ids ascending), sorted by
 * confidence, then lift, then support, all descending. With s(X) = baskets containing X / N:
 * support = s(A ∪ C); confidence = s(A ∪ C) / s(A); lift = confidence / s(C);
 * leverage = s(A ∪ C) − s(A)·s(C); conviction = (1 − s(C)) / (1 − confidence), Infinity when
 * confidence is 1. These are the definitions of Weka's Apriori/FPGrowth and mlxtend.
 */
export interface AssociationRules {
  antecedentOffsets: Int32Array;
  antecedentItems: Int32Array;
  consequentOffsets: Int32Array;
  consequentItems: Int32Array;
  /** Baskets containing A ∪ C. */
  counts: Int32Array;
  support: Float64Array;
  confidence: Float64Array;
  lift: Float64Array;
  leverage: Float64Array;
  conviction: Float64Array;
  /** Number of baskets N the fractions are of. */
  transactions: number;
}

/**
 * Every rule A ⇒ C with A, C non-empty and disjoint, A ∪ C a frequent itemset, confidence ≥
 * `minConfidence` and lift ≥ `minLift` (Agrawal & Srikant 1994, "Fast algorithms for mining
 * association rules", ap-genrules): for each itemset, consequents grow one item at a time from
 * those that passed, since moving an item from antecedent to consequent can only lower confidence.
 * Every subset of a frequent itemset is in `itemsets` (FP-Growth finds them all), so each support
 * is a lookup.
 */
export function associationRules(
  itemsets: FrequentItemsets,
  options: RuleOptions = {},
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): AssociationRules {
  const minConfidence = options.minConfidence ?? 0.8;
  const minLift = options.minLift ?? 0;
  const maxRules = options.maxRules ?? DEFAULT_MAX_RULES;
  if (!(minConfidence >= 0 && minConfidence <= 1)) {
    throw new AppError('invalid-argument', `rules: minimum confidence must be in [0, 1]; got ${minConfidence}.`);
  }
  const { offsets, items, counts, transactions: N } = itemsets;
  const countOf = new Map<string, number>();
  const sets = counts.length;
  for (let s = 0; s < sets; s++) countOf.set(items.subarray(offsets[s], offsets[s + 1]).join(','), counts[s]);
  const supportOf = (set: readonly number[]): number => {
    const c = countOf.get(set.join(','));
    if (c === undefined) throw new AppError('bad-input', `rules: the subset {${set.join(', ')}} of a frequent itemset is missing.`);
    return c;
  };

  const rules: Rule[] = [];
  for (let s = 0; s < sets; s++) {
    if ((s & 1023) === 0) {
      throwIfAborted(signal);
      onProgress?.({ stage: 'generating rules', fraction: s / sets, detail: { rules: rules.length } });
    }
    const size = offsets[s + 1] - offsets[s];
    if (size < 2) continue;
    const whole = Array.from(items.subarray(offsets[s], offsets[s + 1]));
    const wholeCount = counts[s];
    let consequents: number[][] = whole.map((id) => [id]);
    while (consequents.length > 0 && consequents[0].length < size) {
      const passed: number[][] = [];
      for (const consequent of consequents) {
        const antecedent = whole.filter((id) => !consequent.includes(id));
        const confidence = wholeCount / supportOf(antecedent);
        if (confidence < minConfidence) continue;
        passed.push(consequent);
        const consequentSupport = supportOf(consequent) / N;
        const lift = confidence / consequentSupport;
        if (lift < minLift) continue;
        if (rules.length >= maxRules) {
          throw new AppError(
            'too-large',
            `More than ${maxRules.toLocaleString('en')} rules; raise the minimum support, confidence or lift.`,
          );
        }
        const antecedentSupport = supportOf(antecedent) / N;
        const support = wholeCount / N;
        rules.push({
          antecedent,
          consequent,
          count: wholeCount,
          support,
          confidence,
          lift,
          leverage: support - antecedentSupport * consequentSupport,
          conviction: confidence === 1 ? Infinity : (1 - consequentSupport) / (1 - confidence),
        });
      }
      consequents = joinConsequents(passed);
    }
  }
  rules.sort((a, b) => b.confidence - a.confidence || b.lift - a.lift || b.count - a.count);
  onProgress?.({ stage: 'done', fraction: 1, detail: { rules: rules.length } });
  return packRules(rules, N);
}

/**
 * Frequent itemsets then rules in one call: {@link frequentItemsets} followed by
 * {@link associationRules}.
 */
export function mineRules(
  tx: Transactions,
  options: FrequentItemsetOptions & RuleOptions,
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): { itemsets: FrequentItemsets; rules: AssociationRules } {
  const itemsets = frequentItemsets(tx, options, signal, (p) => onProgress?.({ ...p, fraction: 0.7 * (p.fraction ?? 0) }));
  const rules = associationRules(itemsets, options, signal, (p) =>
    onProgress?.({ ...p, fraction: p.fraction === 1 ? 1 : 0.7 + 0.3 * (p.fraction ?? 0) }),
  );
  return { itemsets, rules };
}

interface Rule {
  antecedent: number[];
  consequent: number[];
  count: number;
  support: number;
  confidence: number;
  lift: number;
  leverage: number;
  conviction: number;
}

/** Apriori-gen on sorted consequents of one size: join pairs sharing all but the last item. */
function joinConsequents(level: number[][]): number[][] {
  const next: number[][] = [];
  for (let a = 0; a < level.length; a++) {
    for (let b = a + 1; b < level.length; b++) {
      const x = level[a];
      const y = level[b];
      let same = true;
      for (let t = 0; t < x.length - 1 && same; t++) same = x[t] === y[t];
      if (!same) break; // level is in lexicographic order, so no later y shares the prefix either
      const last = x[x.length - 1];
      const other = y[y.length - 1];
      next.push(last < other ? [...x, other] : [...y, last]);
    }
  }
  return next;
}

function packRules(rules: Rule[], transactions: number): AssociationRules {
  const m = rules.length;
  const antecedentOffsets = new Int32Array(m + 1);
  const consequentOffsets = new Int32Array(m + 1);
  for (let r = 0; r < m; r++) {
    antecedentOffsets[r + 1] = antecedentOffsets[r] + rules[r].antecedent.length;
    consequentOffsets[r + 1] = consequentOffsets[r] + rules[r].consequent.length;
  }
  const out: AssociationRules = {
    antecedentOffsets,
    antecedentItems: new Int32Array(antecedentOffsets[m]),
    consequentOffsets,
    consequentItems: new Int32Array(consequentOffsets[m]),
    counts: new Int32Array(m),
    support: new Float64Array(m),
    confidence: new Float64Array(m),
    lift: new Float64Array(m),
    leverage: new Float64Array(m),
    conviction: new Float64Array(m),
    transactions,
  };
  rules.forEach((rule, r) => {
    out.antecedentItems.set(rule.antecedent, antecedentOffsets[r]);
    out.consequentItems.set(rule.consequent, consequentOffsets[r]);
    out.counts[r] = rule.count;
    out.support[r] = rule.support;
    out.confidence[r] = rule.confidence;
    out.lift[r] = rule.lift;
    out.leverage[r] = rule.leverage;
    out.conviction[r] = rule.conviction;
  });
  return out;
}
