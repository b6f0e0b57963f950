import { AppError, throwIfAborted } from '../errors';
import type { ProgressCallback } from '../progress';
import { HASH_SEED, mixHash, Projection, ProjectionScratch, project } from './fp-projected';
import { checkTransactions } from './transactions';
import type { Transactions } from './transactions';

/** Default cap on the number of frequent itemsets before mining gives up ('too-large'). */
export const DEFAULT_MAX_ITEMSETS = 500_000;

/**
 * Options of {@link frequentItemsets}. Give the threshold either as a fraction (`minSupport`) or
 * as a number of baskets (`minCount`); `minCount` wins when both are given.
 */
export interface FrequentItemsetOptions {
  /**
   * Minimum support as a fraction of ALL baskets N, empty baskets included, in (0, 1]. An
   * itemset is frequent when count / N ≥ minSupport, i.e. count ≥ ceil(minSupport × N) with the
   * ceiling taken exactly (0.07 × 100 baskets means 7, although 0.07 × 100 is 7.000000000000001
   * in floating point) — the rule of mlxtend and of Weka's FPGrowth.
   */
  minSupport?: number;
  /** Minimum support as an absolute number of baskets (whole number ≥ 1). */
  minCount?: number;
  /** Longest itemset mined (default: no limit). */
  maxLength?: number;
  /** Give up with AppError 'too-large' past this many itemsets (default {@link DEFAULT_MAX_ITEMSETS}). */
  maxItemsets?: number;
}

/**
 * Frequent itemsets in CSR form: itemset s is `items[offsets[s] .. offsets[s + 1])`, item ids in
 * ascending order, found in `counts[s]` baskets.
 */
export interface FrequentItemsets {
  offsets: Int32Array;
  items: Int32Array;
  /** Number of baskets containing the itemset (absolute support). */
  counts: Int32Array;
  /** Number of baskets N, empty ones included (support = count / N). */
  transactions: number;
  /** The absolute threshold that was applied. */
  minCount: number;
}

/**
 * The absolute support threshold for N baskets: `minCount` as given, or the smallest count c
 * with c / N ≥ minSupport (= ceil(minSupport × N), computed without floating-point overshoot).
 */
export function minSupportCount(transactions: number, options: Pick<FrequentItemsetOptions, 'minSupport' | 'minCount'>): number {
  const { minSupport, minCount } = options;
  if (minCount !== undefined) {
    if (!Number.isInteger(minCount) || minCount < 1) {
      throw new AppError('invalid-argument', `baskets: minimum count must be a whole number ≥ 1; got ${minCount}.`);
    }
    return minCount;
  }
  if (minSupport === undefined || !(minSupport > 0 && minSupport <= 1)) {
    throw new AppError('invalid-argument', `baskets: minimum support must be a fraction in (0, 1]; got ${minSupport}.`);
  }
  let c = Math.ceil(minSupport * transactions);
  while (c > 1 && (c - 1) / transactions >= minSupport) c--;
  while (c / transactions < minSupport) c++;
  return Math.max(1, c);
}

/**
 * All frequent itemsets by FP-Growth's pattern growth (Han, Pei & Yin 2000): one pass counts
 * items; a second writes each basket's frequent items in rank order (rank 0 = most frequent);
 * itemsets then grow from the least frequent item up, each through the conditional database of
 * its suffix — kept as flat arrays of projected baskets ({@link Projection}) rather than as a
 * conditional FP-tree, which on sparse baskets is faster and gives the same itemsets in the same
 * order. Exact: the same itemsets and counts as brute-force counting, Apriori, mlxtend's
 * `fpgrowth`, or Weka's `FPGrowth`.
 *
 * Throws AppError 'too-large' once more than `maxItemsets` itemsets turn up (a low support on
 * dense baskets can yield millions), and 'aborted' when `signal` fires.
 */
export function frequentItemsets(
  tx: Transactions,
  options: FrequentItemsetOptions,
  signal?: AbortSignal,
  onProgress?: ProgressCallback,
): FrequentItemsets {
  const maxId = checkTransactions(tx);
  const N = tx.offsets.length - 1;
  const minCount = minSupportCount(N, options);
  const maxLength = Math.max(1, Math.floor(options.maxLength ?? Infinity));
  const maxItemsets = options.maxItemsets ?? DEFAULT_MAX_ITEMSETS;

  // Pass 1: item counts, each item once per basket (`seen` holds the last basket that had it).
  const itemCount = new Int32Array(maxId + 1);
  const seen = new Int32Array(maxId + 1).fill(-1);
  for (let t = 0; t < N; t++) {
    for (let p = tx.offsets[t]; p < tx.offsets[t + 1]; p++) {
      const id = tx.items[p];
      if (seen[id] !== t) {
        seen[id] = t;
        itemCount[id]++;
      }
    }
  }
  const frequent: number[] = [];
  for (let id = 0; id <= maxId; id++) if (itemCount[id] >= minCount) frequent.push(id);
  frequent.sort((a, b) => itemCount[b] - itemCount[a] || a - b);
  const ranks = frequent.length;
  const idOfRank = Int32Array.from(frequent);
  const rankOf = new Int32Array(maxId + 1).fill(-1);
  frequent.forEach((id, r) => (rankOf[id] = r));

  // Pass 2: every basket's frequent items as ranks, descending, each basket ended by −1.
  const top = new Projection();
  top.reserve(ranks, tx.items.length + N, N);
  top.k = ranks;
  for (let r = 0; r < ranks; r++) {
    top.global[r] = r;
    top.support[r] = itemCount[idOfRank[r]];
  }
  top.clear();
  const db = top.db;
  seen.fill(-1);
  for (let t = 0; t < N; t++) {
    if ((t & 65535) === 0) throwIfAborted(signal);
    const begin = top.size;
    let size = begin;
    for (let p = tx.offsets[t]; p < tx.offsets[t + 1]; p++) {
      const id = tx.items[p];
      const rank = rankOf[id];
      if (rank < 0 || seen[id] === t) continue;
      seen[id] = t;
      db[size++] = rank;
    }
    sortDescending(db, begin, size);
    let h = HASH_SEED;
    for (let x = begin; x < size; x++) h = mixHash(h, db[x]);
    top.size = size;
    top.close(begin, 1, h);
  }
  top.index();

  const out = new ItemsetWriter(idOfRank, maxItemsets, minCount, N);
  const scratch = new ProjectionScratch(ranks);
  const levels: Projection[] = [top];
  const suffix = new Int32Array(Math.max(1, ranks));
  let steps = 0;

  const mine = (depth: number): void => {
    const from = levels[depth];
    for (let s = from.k - 1; s >= 0; s--) {
      if (depth === 0) {
        throwIfAborted(signal);
        onProgress?.({ stage: 'mining itemsets', fraction: (ranks - s) / ranks, detail: { itemsets: out.size } });
      } else if ((++steps & 4095) === 0) {
        throwIfAborted(signal);
      }
      suffix[depth] = from.global[s];
      out.add(suffix, depth + 1, from.support[s]);
      if (depth + 1 >= maxLength) continue;
      const to = (levels[depth + 1] ??= new Projection());
      if (project(from, s, minCount, scratch, to)) mine(depth + 1);
    }
  };
  if (ranks > 0) mine(0);
  onProgress?.({ stage: 'done', fraction: 1, detail: { itemsets: out.size } });
  return out.finish();
}

/** Sorts `a[from .. to)` in descending order: insertion sort for a short basket. */
function sortDescending(a: Int32Array, from: number, to: number): void {
  if (to - from > 32) {
    a.subarray(from, to).sort().reverse();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = a[i];
    let x = i;
    for (; x > from && a[x - 1] < v; x--) a[x] = a[x - 1];
    a[x] = v;
  }
}

/** Collects itemsets (as sorted item ids) into growable CSR buffers, enforcing the cap. */
class ItemsetWriter {
  private items: Int32Array = new Int32Array(1024);
  private offsets: Int32Array = new Int32Array(257);
  private counts: Int32Array = new Int32Array(256);
  private used = 0;
  size = 0;

  constructor(
    private readonly idOfRank: Int32Array,
    private readonly cap: number,
    private readonly minCount: number,
    private readonly transactions: number,
  ) {}

  add(ranks: Int32Array, length: number, count: number): void {
    if (this.size >= this.cap) {
      throw new AppError(
        'too-large',
        `More than ${this.cap.toLocaleString('en')} frequent itemsets at a minimum of ${this.minCount} of ` +
          `${this.transactions.toLocaleString('en')} baskets; raise the minimum support or limit the itemset length.`,
      );
    }
    if (this.used + length > this.items.length) this.items = growTo(this.items, (this.used + length) * 2);
    if (this.size + 2 > this.offsets.length) {
      this.offsets = growTo(this.offsets, this.offsets.length * 2);
      // counts needs one slot per itemset, offsets one more: size counts to match offsets.
      this.counts = growTo(this.counts, this.offsets.length);
    }
    for (let p = 0; p < length; p++) this.items[this.used + p] = this.idOfRank[ranks[p]];
    this.items.subarray(this.used, this.used + length).sort();
    this.used += length;
    this.counts[this.size] = count;
    this.offsets[++this.size] = this.used;
  }

  finish(): FrequentItemsets {
    return {
      offsets: this.offsets.slice(0, this.size + 1),
      items: this.items.slice(0, this.used),
      counts: this.counts.slice(0, this.size),
      transactions: this.transactions,
      minCount: this.minCount,
    };
  }
}

function growTo(a: Int32Array, length: number): Int32Array {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}
