import type { TreeNodes } from './cart-build';
import type { DecisionTree } from './cart';

/** The pruning path: the α at which each successive branch is cut, and the tree's leaf impurity. */
export interface PruningPath {
  /** Effective α values, ascending, starting at 0 (the unpruned tree). */
  alphas: number[];
  /** Total weighted leaf impurity of the tree pruned at each α. */
  impurities: number[];
}

interface PruneResult {
  /** Node kept in the pruned tree. */
  inSubtree: Uint8Array;
  /** Node is a leaf of the pruned tree. */
  isLeaf: Uint8Array;
  path: PruningPath;
}

/** A binary min-heap of (alpha, node) pairs; ties go to the lower node id, as sklearn's scan. */
class AlphaHeap {
  private alpha: number[] = [];
  private node: number[] = [];
  get size(): number {
    return this.alpha.length;
  }
  private less(i: number, j: number): boolean {
    return this.alpha[i] < this.alpha[j] || (this.alpha[i] === this.alpha[j] && this.node[i] < this.node[j]);
  }
  private swap(i: number, j: number): void {
    [this.alpha[i], this.alpha[j]] = [this.alpha[j], this.alpha[i]];
    [this.node[i], this.node[j]] = [this.node[j], this.node[i]];
  }
  push(alpha: number, node: number): void {
    this.alpha.push(alpha);
    this.node.push(node);
    let i = this.alpha.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  peek(): { alpha: number; node: number } {
    return { alpha: this.alpha[0], node: this.node[0] };
  }
  pop(): void {
    const last = this.alpha.length - 1;
    this.swap(0, last);
    this.alpha.pop();
    this.node.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.alpha.length && this.less(l, m)) m = l;
      if (r < this.alpha.length && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/**
 * Minimal cost-complexity pruning (Breiman et al. 1984, ch. 3), step for step as scikit-learn's
 * `_cost_complexity_prune`: repeatedly cut the branch with the smallest effective
 * α = (R(t) − R(T_t)) / (|T_t| − 1), where R is the weighted impurity share, until that α exceeds
 * `ccpAlpha`. A heap of branch α values (refreshed for the ancestors of each cut) replaces
 * sklearn's full scan per cut; it picks the same branch, the lowest id among ties.
 */
function costComplexityPrune(nodes: TreeNodes, ccpAlpha: number): PruneResult {
  const count = nodes.feature.length;
  const { left, right, feature } = nodes;
  const parent = new Int32Array(count).fill(-1);
  for (let t = 0; t < count; t++) {
    if (feature[t] >= 0) {
      parent[left[t]] = t;
      parent[right[t]] = t;
    }
  }
  const total = nodes.weightedSamples[0];
  const rNode = new Float64Array(count);
  const rBranch = new Float64Array(count);
  const nLeaves = new Float64Array(count);
  for (let t = 0; t < count; t++) rNode[t] = (nodes.weightedSamples[t] * nodes.impurity[t]) / total;
  for (let t = 0; t < count; t++) {
    if (feature[t] >= 0) continue;
    for (let a = t; a >= 0; a = parent[a]) {
      nLeaves[a] += 1;
      rBranch[a] += rNode[t];
    }
  }
  const inSubtree = new Uint8Array(count).fill(1);
  const isLeaf = new Uint8Array(count);
  const candidate = new Uint8Array(count);
  const heap = new AlphaHeap();
  const alphaOf = (t: number) => (rNode[t] - rBranch[t]) / (nLeaves[t] - 1);
  const current = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    if (feature[t] < 0) {
      isLeaf[t] = 1;
      continue;
    }
    candidate[t] = 1;
    current[t] = alphaOf(t);
    heap.push(current[t], t);
  }
  const path: PruningPath = { alphas: [0], impurities: [rBranch[0]] };
  const stack: number[] = [];
  while (candidate[0] && heap.size > 0) {
    const top = heap.peek();
    // Entries whose node is gone or whose α has since changed are stale.
    if (!candidate[top.node] || top.alpha !== current[top.node]) {
      heap.pop();
      continue;
    }
    const effectiveAlpha = top.alpha;
    if (ccpAlpha < effectiveAlpha) break;
    heap.pop();
    const cut = top.node;
    stack.push(cut);
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (!inSubtree[t]) continue;
      candidate[t] = 0;
      isLeaf[t] = 0;
      inSubtree[t] = 0;
      if (feature[t] >= 0) stack.push(left[t], right[t]);
    }
    isLeaf[cut] = 1;
    inSubtree[cut] = 1;
    const prunedLeaves = nLeaves[cut] - 1;
    nLeaves[cut] = 0;
    const rDiff = rNode[cut] - rBranch[cut];
    rBranch[cut] = rNode[cut];
    for (let a = parent[cut]; a >= 0; a = parent[a]) {
      nLeaves[a] -= prunedLeaves;
      rBranch[a] += rDiff;
      current[a] = alphaOf(a);
      heap.push(current[a], a);
    }
    path.alphas.push(effectiveAlpha);
    path.impurities.push(rBranch[0]);
  }
  return { inSubtree, isLeaf, path };
}

/**
 * The cost-complexity pruning path of a fitted tree, as sklearn's
 * `cost_complexity_pruning_path`: every α at which the optimal subtree changes, with the total
 * leaf impurity there. Use it to choose `ccpAlpha` by cross-validation.
 */
export function pruningPath(tree: DecisionTree): PruningPath {
  return costComplexityPrune(tree.nodes, Infinity).path;
}

/**
 * The subtree of `tree` that minimal cost-complexity pruning keeps at strength `ccpAlpha`
 * (sklearn's `ccp_alpha`), renumbered in pre-order. `ccpAlpha` = 0 keeps the whole tree.
 */
export function pruneTree(tree: DecisionTree, ccpAlpha: number): DecisionTree {
  const { inSubtree, isLeaf } = costComplexityPrune(tree.nodes, ccpAlpha);
  const src = tree.nodes;
  const w = src.width;
  const out: TreeNodes = {
    feature: [], threshold: [], left: [], right: [], impurity: [], samples: [],
    weightedSamples: [], depth: [], value: [], width: w,
  };
  // Pre-order walk (left first) of the kept nodes; [node, parent, isLeft].
  const stack: number[] = [0, -1, 0];
  while (stack.length > 0) {
    const isLeftChild = stack.pop()!;
    const parent = stack.pop()!;
    const t = stack.pop()!;
    if (!inSubtree[t]) continue;
    const id = out.feature.length;
    if (parent >= 0) (isLeftChild ? out.left : out.right)[parent] = id;
    const leaf = isLeaf[t] === 1;
    out.feature.push(leaf ? -1 : src.feature[t]);
    out.threshold.push(leaf ? -2 : src.threshold[t]);
    out.left.push(-1);
    out.right.push(-1);
    out.impurity.push(src.impurity[t]);
    out.samples.push(src.samples[t]);
    out.weightedSamples.push(src.weightedSamples[t]);
    out.depth.push(src.depth[t]);
    for (let k = 0; k < w; k++) out.value.push(src.value[t * w + k]);
    if (!leaf) stack.push(src.right[t], id, 0, src.left[t], id, 1);
  }
  return { ...tree, nodes: out };
}
