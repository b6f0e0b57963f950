import { AppError } from '../errors';
import { createRng } from '../random';

/** One train/test partition of row indices (both sorted ascending, disjoint, covering the rows). */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** Options of the k-fold splitters. */
export interface KFoldOptions {
  /** Number of folds k (≥ 2). */
  folds: number;
  /** Shuffle before assigning folds (default true); false keeps row order, as sklearn's default. */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
}

function checkFoldCount(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) {
    throw new AppError('invalid-argument', `cross-validation needs at least 2 folds; got ${k}.`);
  }
  if (k > n) {
    throw new AppError('invalid-argument', `cannot make ${k} folds from ${n} rows; use at most ${n} folds.`);
  }
}

/** Turns a fold number per row into k folds. */
export function foldsFromAssignment(assignment: Int32Array, k: number): Fold[] {
  const sizes = new Int32Array(k);
  for (let i = 0; i < assignment.length; i++) sizes[assignment[i]]++;
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test = new Int32Array(sizes[f]);
    const train = new Int32Array(assignment.length - sizes[f]);
    let a = 0;
    let b = 0;
    for (let i = 0; i < assignment.length; i++) {
      if (assignment[i] === f) test[a++] = i;
      else train[b++] = i;
    }
    folds.push({ train, test });
  }
  return folds;
}

/**
 * Plain k-fold for regression targets: rows (shuffled with the seed) are cut into k consecutive
 * parts, the first n mod k parts one row larger — as scikit-learn's `KFold`.
 */
export function kFold(n: number, options: KFoldOptions): Fold[] {
  const { folds: k, shuffle = true, seed = 0 } = options;
  checkFoldCount(n, k);
  const order = Array.from({ length: n }, (_, i) => i);
  if (shuffle) createRng(seed).shuffle(order);
  const assignment = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let i = start; i < start + size; i++) assignment[order[i]] = f;
    start += size;
  }
  return foldsFromAssignment(assignment, k);
}

/**
 * Stratified k-fold: every fold keeps the class proportions of the whole, following
 * scikit-learn's `StratifiedKFold` (≥ 0.22) step by step — classes numbered by first appearance,
 * the sorted labels dealt round-robin to the folds to fix how many of each class a fold gets,
 * then (with `shuffle`) each class's fold numbers shuffled before they are handed to its rows in
 * row order. Our shuffle uses `core/random`, so folds differ from numpy's for the same seed but
 * are just as balanced: fold sizes of a class differ by at most one.
 */
export function stratifiedKFold(codes: Int32Array, options: KFoldOptions): Fold[] {
  const { folds: k, shuffle = true, seed = 0 } = options;
  const n = codes.length;
  checkFoldCount(n, k);
  // Renumber classes by first appearance, as sklearn does before allocating.
  const renumber = new Map<number, number>();
  const encoded = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = renumber.get(codes[i]);
    if (c === undefined) {
      c = renumber.size;
      renumber.set(codes[i], c);
    }
    encoded[i] = c;
  }
  const nClasses = renumber.size;
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < n; i++) counts[encoded[i]]++;
  if (counts.every((c) => c < k)) {
    throw new AppError('invalid-argument', `every class has fewer than ${k} rows; use fewer folds.`);
  }
  // allocation[f][c]: rows of class c in fold f, dealing the sorted labels round-robin.
  const allocation = Array.from({ length: k }, () => new Int32Array(nClasses));
  let position = 0;
  for (let c = 0; c < nClasses; c++) {
    for (let r = 0; r < counts[c]; r++, position++) allocation[position % k][c]++;
  }
  const rng = createRng(seed);
  const assignment = new Int32Array(n);
  const cursor = new Int32Array(nClasses);
  const foldsForClass: number[][] = [];
  for (let c = 0; c < nClasses; c++) {
    const list: number[] = [];
    for (let f = 0; f < k; f++) for (let r = 0; r < allocation[f][c]; r++) list.push(f);
    if (shuffle) rng.shuffle(list);
    foldsForClass.push(list);
  }
  for (let i = 0; i < n; i++) {
    const c = encoded[i];
    assignment[i] = foldsForClass[c][cursor[c]++];
  }
  return foldsFromAssignment(assignment, k);
}

/** Options of a single train/test split. */
export interface SplitOptions {
  /** Fraction of rows held out for testing, in (0, 1) (default 0.25, as sklearn). */
  testFraction?: number;
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Class codes to stratify on; when given, both parts keep the class proportions. */
  stratify?: Int32Array;
}

/**
 * A seeded train/test split. The test part has ceil(testFraction · n) rows, as scikit-learn's
 * `train_test_split`; with `stratify`, each class contributes its proportional share (largest
 * remainders get the leftover rows, as sklearn's `_approximate_mode`, ties by class order).
 */
export function trainTestSplit(n: number, options: SplitOptions = {}): Fold {
  const { testFraction = 0.25, seed = 0, stratify } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new AppError('invalid-argument', `the test fraction must be between 0 and 1; got ${testFraction}.`);
  }
  const nTest = Math.ceil(testFraction * n);
  if (nTest < 1 || nTest >= n) {
    throw new AppError('invalid-argument', `a ${testFraction} test share of ${n} rows leaves an empty part; use more rows.`);
  }
  const rng = createRng(seed);
  const assignment = new Int32Array(n);
  if (!stratify) {
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    for (let r = 0; r < nTest; r++) assignment[order[r]] = 1;
  } else {
    if (stratify.length !== n) throw new AppError('invalid-argument', `${stratify.length} class codes for ${n} rows.`);
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const list = byClass.get(stratify[i]);
      if (list) list.push(i);
      else byClass.set(stratify[i], [i]);
    }
    const classes = [...byClass.keys()].sort((a, b) => a - b);
    const want = classes.map((c) => (byClass.get(c)!.length * nTest) / n);
    const take = want.map(Math.floor);
    let left = nTest - take.reduce((a, b) => a + b, 0);
    const byRemainder = classes.map((_, i) => i).sort((a, b) => want[b] - take[b] - (want[a] - take[a]) || a - b);
    for (let r = 0; left > 0; r = (r + 1) % classes.length, left--) take[byRemainder[r]]++;
    classes.forEach((c, ci) => {
      const rows = rng.shuffle(byClass.get(c)!);
      for (let r = 0; r < take[ci]; r++) assignment[rows[r]] = 1;
    });
  }
  return foldsFromAssignment(assignment, 2)[1];
}
