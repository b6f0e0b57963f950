import { AppError, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { HASH_SEED, mixHash } from './fp-projected';
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
  const sets = counts.length;
  const index = new ItemsetIndex(itemsets);
  const supportOf = (set: readonly number[]): number => {
    const c = index.count(set);
    if (c < 0) throw new AppError('bad-input', `rules: the subset {${set.join(', ')}} of a frequent itemset is missing.`);
    return c;
  };

  const rules = new RuleList();
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
        const antecedent = without(whole, consequent);
        const antecedentCount = supportOf(antecedent);
        const confidence = wholeCount / antecedentCount;
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
        const antecedentSupport = antecedentCount / N;
        const support = wholeCount / N;
        rules.push(
          antecedent,
          consequent,
          wholeCount,
          support,
          confidence,
          lift,
          support - antecedentSupport * consequentSupport,
          confidence === 1 ? Infinity : (1 - consequentSupport) / (1 - confidence),
        );
      }
      consequents = joinConsequents(passed);
    }
  }
  onProgress?.({ stage: 'done', fraction: 1, detail: { rules: rules.length } });
  return rules.pack(N);
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

/** Rules as they are found, column by column (no object per rule). */
class RuleList {
  private readonly antecedents: number[] = [];
  private readonly antecedentEnds: number[] = [];
  private readonly consequents: number[] = [];
  private readonly consequentEnds: number[] = [];
  private readonly count: number[] = [];
  private readonly support: number[] = [];
  private readonly confidence: number[] = [];
  private readonly lift: number[] = [];
  private readonly leverage: number[] = [];
  private readonly conviction: number[] = [];

  get length(): number {
    return this.count.length;
  }

  push(antecedent: readonly number[], consequent: readonly number[], count: number, support: number, confidence: number, lift: number, leverage: number, conviction: number): void {
    for (const id of antecedent) this.antecedents.push(id);
    this.antecedentEnds.push(this.antecedents.length);
    for (const id of consequent) this.consequents.push(id);
    this.consequentEnds.push(this.consequents.length);
    this.count.push(count);
    this.support.push(support);
    this.confidence.push(confidence);
    this.lift.push(lift);
    this.leverage.push(leverage);
    this.conviction.push(conviction);
  }

  /** The rules in CSR form, by confidence, then lift, then count (all descending), then as found. */
  pack(transactions: number): AssociationRules {
    const { confidence, lift, count } = this;
    const m = this.length;
    const order = Array.from({ length: m }, (_, r) => r);
    order.sort((a, b) => confidence[b] - confidence[a] || lift[b] - lift[a] || count[b] - count[a] || a - b);
    const antecedentOffsets = new Int32Array(m + 1);
    const consequentOffsets = new Int32Array(m + 1);
    const out: AssociationRules = {
      antecedentOffsets,
      antecedentItems: new Int32Array(this.antecedents.length),
      consequentOffsets,
      consequentItems: new Int32Array(this.consequents.length),
      counts: new Int32Array(m),
      support: new Float64Array(m),
      confidence: new Float64Array(m),
      lift: new Float64Array(m),
      leverage: new Float64Array(m),
      conviction: new Float64Array(m),
      transactions,
    };
    for (let r = 0; r < m; r++) {
      const i = order[r];
      antecedentOffsets[r + 1] = copyRun(this.antecedents, i > 0 ? this.antecedentEnds[i - 1] : 0, this.antecedentEnds[i], out.antecedentItems, antecedentOffsets[r]);
      consequentOffsets[r + 1] = copyRun(this.consequents, i > 0 ? this.consequentEnds[i - 1] : 0, this.consequentEnds[i], out.consequentItems, consequentOffsets[r]);
      out.counts[r] = count[i];
      out.support[r] = this.support[i];
      out.confidence[r] = confidence[i];
      out.lift[r] = lift[i];
      out.leverage[r] = this.leverage[i];
      out.conviction[r] = this.conviction[i];
    }
    return out;
  }
}

/** Copies `from[begin .. end)` to `to` at `at`; returns the position after the copy. */
function copyRun(from: readonly number[], begin: number, end: number, to: Int32Array, at: number): number {
  for (let p = begin; p < end; p++) to[at++] = from[p];
  return at;
}

/** `whole` less the items of `part` (both ascending; `part` a subset of `whole`), ascending. */
function without(whole: readonly number[], part: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const id of whole) {
    if (j < part.length && part[j] === id) j++;
    else out.push(id);
  }
  return out;
}

/**
 * The counts of frequent itemsets by their items: an open-addressing hash of the itemsets (slot
 * = itemset number, −1 empty) on a hash of their ascending item ids, compared item by item.
 */
class ItemsetIndex {
  private readonly slots: Int32Array;

  constructor(private readonly sets: FrequentItemsets) {
    const n = sets.counts.length;
    let size = 16;
    while (size < 2 * n) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    const { offsets, items } = sets;
    for (let s = 0; s < n; s++) {
      let at = hashItems(items, offsets[s], offsets[s + 1]) & mask;
      while (this.slots[at] >= 0) at = (at + 1) & mask;
      this.slots[at] = s;
    }
  }

  /** Baskets containing `set` (ascending ids), or −1 when it is not among the itemsets. */
  count(set: readonly number[]): number {
    const { offsets, items, counts } = this.sets;
    const mask = this.slots.length - 1;
    for (let at = hashItems(set, 0, set.length) & mask; ; at = (at + 1) & mask) {
      const s = this.slots[at];
      if (s < 0) return -1;
      const from = offsets[s];
      if (offsets[s + 1] - from !== set.length) continue;
      let p = 0;
      while (p < set.length && items[from + p] === set[p]) p++;
      if (p === set.length) return counts[s];
    }
  }
}

function hashItems(items: ArrayLike<number>, from: number, to: number): number {
  let h = HASH_SEED;
  for (let p = from; p < to; p++) h = mixHash(h, items[p]);
  return (h ^ (h >>> 15)) >>> 0;
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
