/**
 * A static k-d tree over the rows of a row-major matrix (Bentley 1975; Friedman, Bentley & Finkel
 * 1977), for the radius and k-nearest-neighbour queries of DBSCAN and its k-distance chart.
 * Nodes split at the median of their widest dimension and keep tight bounding boxes, as
 * scikit-learn's `KDTree`; leaves hold at most `leafSize` rows. The rows are copied in tree order
 * so that a leaf's rows sit together in memory.
 *
 * Distances are Euclidean and compared squared (`‖x − q‖² ≤ r²`), the same test scikit-learn's
 * `query_radius` makes. In high dimensions (≳ 15) the boxes stop pruning and queries approach a
 * linear scan, which is still exact.
 */
export class KdTree {
  /** Rows in tree order (n × d). */
  readonly points: Float64Array;
  /** Original row index of each tree-order position. */
  readonly order: Int32Array;
  /** Neighbours found by the last {@link radius} call (original row indices). */
  result: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly stack = new Int32Array(256);
  private nodes = 0;

  /** Builds the tree over `data` (n × d, not modified). */
  constructor(
    data: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly leafSize = 16,
  ) {
    const maxNodes = 4 * Math.ceil(n / Math.max(1, leafSize)) + 2;
    this.start = new Int32Array(maxNodes);
    this.end = new Int32Array(maxNodes);
    this.left = new Int32Array(maxNodes);
    this.lower = new Float64Array(maxNodes * d);
    this.upper = new Float64Array(maxNodes * d);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.result = new Int32Array(64);
    this.build(data);
    this.points = new Float64Array(n * d);
    for (let p = 0; p < n; p++) this.points.set(data.subarray(this.order[p] * d, this.order[p] * d + d), p * d);
  }

  private build(data: Float64Array): void {
    const { d, order } = this;
    const pending: number[] = [this.newNode(0, this.n)];
    while (pending.length > 0) {
      const node = pending.pop() as number;
      const s = this.start[node];
      const e = this.end[node];
      const lo = node * d;
      for (let j = 0; j < d; j++) {
        this.lower[lo + j] = Infinity;
        this.upper[lo + j] = -Infinity;
      }
      for (let p = s; p < e; p++) {
        const base = order[p] * d;
        for (let j = 0; j < d; j++) {
          const v = data[base + j];
          if (v < this.lower[lo + j]) this.lower[lo + j] = v;
          if (v > this.upper[lo + j]) this.upper[lo + j] = v;
        }
      }
      this.left[node] = -1;
      if (e - s <= this.leafSize) continue;
      let dim = 0;
      for (let j = 1; j < d; j++) {
        if (this.upper[lo + j] - this.lower[lo + j] > this.upper[lo + dim] - this.lower[lo + dim]) dim = j;
      }
      if (this.upper[lo + dim] === this.lower[lo + dim]) continue; // all rows identical: keep a leaf
      const mid = (s + e) >>> 1;
      selectNth(order, data, d, dim, s, e - 1, mid);
      const l = this.newNode(s, mid);
      this.newNode(mid, e);
      this.left[node] = l;
      pending.push(l + 1, l);
    }
  }

  private newNode(s: number, e: number): number {
    const id = this.nodes++;
    this.start[id] = s;
    this.end[id] = e;
    return id;
  }

  /** Squared distance from the query to the nearest point of a node's box. */
  private boxMin(node: number, q: Float64Array, qb: number): number {
    let s = 0;
    for (let j = 0, b = node * this.d; j < this.d; j++) {
      const v = q[qb + j];
      const lo = this.lower[b + j];
      const hi = this.upper[b + j];
      const gap = v < lo ? lo - v : v > hi ? v - hi : 0;
      s += gap * gap;
    }
    return s;
  }

  /** Squared distance from the query to the farthest corner of a node's box. */
  private boxMax(node: number, q: Float64Array, qb: number): number {
    let s = 0;
    for (let j = 0, b = node * this.d; j < this.d; j++) {
      const v = q[qb + j];
      const gap = Math.max(v - this.lower[b + j], this.upper[b + j] - v);
      s += gap * gap;
    }
    return s;
  }

  private distance(p: number, q: Float64Array, qb: number): number {
    let s = 0;
    for (let j = 0, b = p * this.d; j < this.d; j++) {
      const v = this.points[b + j] - q[qb + j];
      s += v * v;
    }
    return s;
  }

  /**
   * Rows within squared distance `r2` of the query `q[qb .. qb+d)` (the query row itself
   * included when it is in the tree). Fills {@link result} and returns the count; with `cap`,
   * stops as soon as `cap` rows are found (the result then holds at least `cap`).
   */
  radius(q: Float64Array, qb: number, r2: number, cap = Infinity, collect = true): number {
    const stack = this.stack;
    let top = 0;
    let count = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (this.boxMin(node, q, qb) > r2) continue;
      const s = this.start[node];
      const e = this.end[node];
      if (this.boxMax(node, q, qb) <= r2) {
        if (collect) for (let p = s; p < e; p++) count = this.push(count, this.order[p]);
        else count += e - s;
      } else if (this.left[node] < 0) {
        for (let p = s; p < e; p++) {
          if (this.distance(p, q, qb) <= r2) count = collect ? this.push(count, this.order[p]) : count + 1;
        }
      } else {
        stack[top++] = this.left[node] + 1;
        stack[top++] = this.left[node];
      }
      if (count >= cap) break;
    }
    return count;
  }

  private push(count: number, row: number): number {
    if (count === this.result.length) {
      const grown = new Int32Array(this.result.length * 2);
      grown.set(this.result);
      this.result = grown;
    }
    this.result[count] = row;
    return count + 1;
  }

  /**
   * Squared distance from the query to its k-th nearest row (k = 1 is the nearest, which is the
   * row itself, at 0, when the query is a row of the tree). `best` is scratch of length ≥ k.
   */
  kthNearest(q: Float64Array, qb: number, k: number, best: Float64Array): number {
    best.fill(Infinity, 0, k);
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (this.boxMin(node, q, qb) >= best[k - 1] && best[k - 1] !== Infinity) continue;
      const l = this.left[node];
      if (l < 0) {
        for (let p = this.start[node]; p < this.end[node]; p++) {
          const dist = this.distance(p, q, qb);
          if (dist >= best[k - 1]) continue;
          let at = k - 1;
          while (at > 0 && best[at - 1] > dist) {
            best[at] = best[at - 1];
            at--;
          }
          best[at] = dist;
        }
        continue;
      }
      // Visit the nearer child first (pushed last) so the k-th distance shrinks early.
      const nearLeft = this.boxMin(l, q, qb) <= this.boxMin(l + 1, q, qb);
      stack[top++] = nearLeft ? l + 1 : l;
      stack[top++] = nearLeft ? l : l + 1;
    }
    return best[k - 1];
  }
}

/** Reorders `order[lo..hi]` so position `nth` holds the row with the nth-smallest value of `dim`. */
function selectNth(order: Int32Array, data: Float64Array, d: number, dim: number, lo: number, hi: number, nth: number): void {
  while (hi > lo) {
    // Median of three as pivot keeps sorted or clustered inputs from going quadratic.
    const mid = (lo + hi) >>> 1;
    const a = data[order[lo] * d + dim];
    const b = data[order[mid] * d + dim];
    const c = data[order[hi] * d + dim];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (data[order[i] * d + dim] < pivot) i++;
      while (data[order[j] * d + dim] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}
