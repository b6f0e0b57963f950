/**
 * Conditional databases of FP-Growth's pattern growth stored as flat arrays (the H-Mine/LCM
 * layout, Pei et al. 2001; Uno et al. 2004) instead of conditional FP-trees. On sparse baskets a
 * prefix tree barely compresses (100,000 supermarket baskets: 0.77 M nodes for 1.14 M items)
 * while every conditional pattern base walks parent pointers scattered over megabytes; here each
 * projection reads short contiguous runs, and identical projected baskets are merged (LCM's
 * database reduction), which shrinks the deeper projections tenfold.
 *
 * A {@link Projection} holds weighted baskets over local items 0..k-1 (local order = global rank
 * order, rank 0 the most frequent item), each basket's items in DESCENDING order and ended by −1,
 * with an occurrence list per item (position of the item in each basket that holds it, and the
 * basket's weight). The projection on item s keeps, of each basket holding s, the items after s
 * (all of lower rank) that stay frequent with s, so every item of a projection is frequent in it.
 */
export class Projection {
  /** Number of local items. */
  k = 0;
  /** Local item → global rank. */
  global = new Int32Array(16);
  /** Weighted count of each local item: the support of {item} ∪ the suffix of this projection. */
  support = new Int32Array(16);
  /** Baskets, items descending, each ended by −1. */
  db = new Int32Array(64);
  size = 0;
  /** Weight and start (in `db`) of each basket, in order. */
  weight = new Int32Array(16);
  start = new Int32Array(16);
  baskets = 0;
  /** Open-addressing hash of the baskets (−1 empty), to merge identical ones: `slots[0 .. mask]`. */
  private slots = new Int32Array(32);
  private mask = 31;
  /** Occurrences of item q: `occPos/occW[occStart[q] .. occStart[q + 1])`. */
  occStart = new Int32Array(17);
  occPos = new Int32Array(64);
  occW = new Int32Array(64);

  /** Makes room for `k` items, `items` basket entries (−1 ends included) and `baskets` baskets. */
  reserve(k: number, items: number, baskets: number): void {
    if (this.global.length < k) {
      const n = grownLength(this.global.length, k);
      this.global = new Int32Array(n);
      this.support = new Int32Array(n);
      this.occStart = new Int32Array(n + 1);
    }
    if (this.db.length < items) {
      const n = grownLength(this.db.length, items);
      this.db = new Int32Array(n);
      this.occPos = new Int32Array(n);
      this.occW = new Int32Array(n);
    }
    if (this.weight.length < baskets) {
      const n = grownLength(this.weight.length, baskets);
      this.weight = new Int32Array(n);
      this.start = new Int32Array(n);
    }
    // Only the slots this fill needs are cleared, as most projections are small.
    let slots = 32;
    while (slots < 2 * baskets) slots *= 2;
    if (this.slots.length < slots) this.slots = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** Starts filling: no baskets yet (after {@link reserve}, for at most its number of baskets). */
  clear(): void {
    this.size = 0;
    this.baskets = 0;
    this.slots.fill(-1, 0, this.mask + 1);
  }

  /**
   * Ends the basket written at `db[begin .. size)` with weight `w` and hash `h` (HASH_SEED mixed
   * with each item by {@link mixHash}): kept when new, otherwise merged into its identical twin
   * (adding the weight) and taken back off `db`. An empty basket is dropped.
   */
  close(begin: number, w: number, h: number): void {
    const { db, slots, start } = this;
    const end = this.size;
    if (end === begin) return;
    h ^= h >>> 15;
    const mask = this.mask;
    db[end] = -1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const b = slots[at];
      if (b < 0) {
        slots[at] = this.baskets;
        start[this.baskets] = begin;
        this.weight[this.baskets++] = w;
        this.size = end + 1;
        return;
      }
      let x = start[b];
      let y = begin;
      while (db[x] === db[y] && db[y] >= 0) {
        x++;
        y++;
      }
      if (db[x] === db[y]) {
        this.weight[b] += w;
        this.size = begin;
        return;
      }
    }
  }

  /** Fills the occurrence lists from `db`, `weight` and `k` (a counting sort of the positions). */
  index(): void {
    const { db, size, k, occStart, occPos, occW, weight } = this;
    occStart.fill(0, 0, k + 1);
    for (let x = 0; x < size; x++) {
      const q = db[x];
      if (q >= 0) occStart[q + 1]++;
    }
    for (let q = 0; q < k; q++) occStart[q + 1] += occStart[q];
    // occStart[q] serves as q's fill cursor, then is shifted back by one slot below.
    let b = 0;
    for (let x = 0; x < size; x++) {
      const q = db[x];
      if (q < 0) {
        b++;
        continue;
      }
      const at = occStart[q]++;
      occPos[at] = x;
      occW[at] = weight[b];
    }
    for (let q = k; q > 0; q--) occStart[q] = occStart[q - 1];
    occStart[0] = 0;
  }
}

/** Scratch shared by every projection step (only used within one call of {@link project}). */
export class ProjectionScratch {
  readonly counts: Int32Array;
  readonly localOf: Int32Array;
  constructor(items: number) {
    this.counts = new Int32Array(Math.max(1, items));
    this.localOf = new Int32Array(Math.max(1, items));
  }
}

/**
 * Fills `to` with the projection of `from` on its local item `s`: the items below s that are
 * frequent (weighted count ≥ minCount) among the baskets holding s. Returns false, leaving `to`
 * unspecified, when there is none.
 */
export function project(from: Projection, s: number, minCount: number, scratch: ProjectionScratch, to: Projection): boolean {
  const { db, occPos, occW } = from;
  const { counts, localOf } = scratch;
  const first = from.occStart[s];
  const last = from.occStart[s + 1];
  let raw = 0;
  for (let o = first; o < last; o++) {
    const w = occW[o];
    const after = occPos[o] + 1;
    let x = after;
    for (let q = db[x]; q >= 0; q = db[++x]) counts[q] += w;
    raw += x - after;
  }
  // The kept items, and room for them: all the items after s, or fewer by the weighted counts.
  let k = 0;
  let kept = 0;
  for (let q = 0; q < s; q++) {
    if (counts[q] >= minCount) {
      k++;
      kept += counts[q];
    }
  }
  if (k === 0) {
    counts.fill(0, 0, s);
    return false;
  }
  to.reserve(k, Math.min(raw, kept) + (last - first), last - first);
  const { global, support } = to;
  k = 0;
  for (let q = 0; q < s; q++) {
    if (counts[q] >= minCount) {
      localOf[q] = k;
      global[k] = from.global[q];
      support[k] = counts[q];
      k++;
    } else {
      localOf[q] = -1;
    }
    counts[q] = 0;
  }
  to.k = k;
  to.clear();
  const out = to.db;
  for (let o = first; o < last; o++) {
    const begin = to.size;
    let size = begin;
    let h = HASH_SEED;
    for (let x = occPos[o] + 1, q = db[x]; q >= 0; q = db[++x]) {
      const l = localOf[q];
      if (l >= 0) {
        out[size++] = l;
        h = Math.imul(h ^ l, 0x9e3779b1); // mixHash, inlined
      }
    }
    to.size = size;
    to.close(begin, occW[o], h);
  }
  to.index();
  return true;
}

/** Starting value of a basket's hash, see {@link mixHash}. */
export const HASH_SEED = 0x2545f491;

/** Mixes an item into a basket's running hash (multiplicative hashing, Knuth). */
export function mixHash(h: number, item: number): number {
  return Math.imul(h ^ item, 0x9e3779b1);
}

function grownLength(current: number, needed: number): number {
  return Math.max(needed, Math.min(current * 2, needed * 4));
}
