/**
 * The FP-tree of FP-Growth (Han, Pei & Yin 2000, "Mining frequent patterns without candidate
 * generation"): baskets inserted as paths of item ranks (rank 0 = most frequent item), shared
 * prefixes merged with summed counts, and a header list per rank threading its nodes. Stored in
 * growable typed arrays (node 0 is the root), so a tree is a handful of allocations however many
 * nodes it has. Children are found through an open-addressing hash of (parent, rank): with a
 * thousand products a node can have hundreds of children, and a sibling-list scan per insert was
 * the bottleneck.
 */
export class FpTree {
  /** Rank of each node's item (−1 for the root). */
  item: Int32Array;
  /** Baskets (weighted) through each node. */
  count: Int32Array;
  parent: Int32Array;
  /** Next node of the same rank (−1 ends the list). */
  link: Int32Array;
  /** First node of each rank (−1 when none). */
  readonly head: Int32Array;
  /** Total count of each rank in the tree: the support of {rank} ∪ the conditioning suffix. */
  readonly rankCount: Int32Array;
  /** Hash slots holding node ids (−1 empty), keyed by (parent, rank); length a power of two. */
  private slots: Int32Array;
  size = 1;

  /** An empty tree for ranks 0..ranks-1, with room for `capacity` nodes to start. */
  constructor(readonly ranks: number, capacity = 64) {
    const cap = Math.max(2, capacity);
    this.item = new Int32Array(cap);
    this.count = new Int32Array(cap);
    this.parent = new Int32Array(cap);
    this.link = new Int32Array(cap).fill(-1);
    this.head = new Int32Array(ranks).fill(-1);
    this.rankCount = new Int32Array(ranks);
    this.slots = new Int32Array(slotsFor(cap)).fill(-1);
    this.item[0] = -1;
    this.parent[0] = -1;
  }

  /** Adds a path of ascending ranks `path[0..length)` with weight `weight`. */
  insert(path: Int32Array, length: number, weight: number): void {
    let node = 0;
    for (let p = 0; p < length; p++) {
      const rank = path[p];
      let child = this.findChild(node, rank);
      if (child < 0) child = this.addNode(node, rank);
      this.count[child] += weight;
      this.rankCount[rank] += weight;
      node = child;
    }
  }

  private findChild(node: number, rank: number): number {
    const mask = this.slots.length - 1;
    for (let at = hash(node, rank) & mask; ; at = (at + 1) & mask) {
      const c = this.slots[at];
      if (c < 0) return -1;
      if (this.parent[c] === node && this.item[c] === rank) return c;
    }
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let at = hash(this.parent[id], this.item[id]) & mask;
    while (this.slots[at] >= 0) at = (at + 1) & mask;
    this.slots[at] = id;
  }

  private addNode(parent: number, rank: number): number {
    if (this.size === this.item.length) this.grow();
    const id = this.size++;
    this.item[id] = rank;
    this.count[id] = 0;
    this.parent[id] = parent;
    this.link[id] = this.head[rank];
    this.head[rank] = id;
    if (2 * this.size > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2).fill(-1);
      for (let n = 1; n < this.size; n++) this.place(n);
    } else {
      this.place(id);
    }
    return id;
  }

  private grow(): void {
    const cap = this.item.length * 2;
    const grown = (a: Int32Array, fill: number): Int32Array => {
      const b = new Int32Array(cap).fill(fill);
      b.set(a);
      return b;
    };
    this.item = grown(this.item, 0);
    this.count = grown(this.count, 0);
    this.parent = grown(this.parent, 0);
    this.link = grown(this.link, -1);
  }
}

/** Slot count for `nodes` nodes: a power of two at least twice as large (load ≤ 1/2). */
function slotsFor(nodes: number): number {
  let size = 16;
  while (size < 2 * nodes) size *= 2;
  return size;
}

/** Mixes (parent, rank) into 32 bits (multiplicative hashing, Knuth; constants from xxHash). */
function hash(parent: number, rank: number): number {
  const h = Math.imul(parent, 0x9e3779b1) ^ Math.imul(rank + 0x7f4a7c15, 0x85ebca77);
  return (h ^ (h >>> 15)) >>> 0;
}
