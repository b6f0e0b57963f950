/**
 * Sorts `keys[start..end)` ascending and applies the same moves to `payload` (e.g. row indices),
 * in place. Long ranges use a radix sort (below); short ones introsort in the manner of
 * scikit-learn's tree splitter (`_splitter.pyx`): quicksort
 * with a median-of-three pivot and three-way partitioning (columns with many equal values, such
 * as one-hot features, partition in linear time), insertion sort on short ranges, and heapsort
 * when recursion gets deep, so the worst case stays O(n log n). Ties end in unspecified order.
 * Keys must not be NaN; −0 and +0 are equal keys.
 */
export function sortWithPayload(keys: Float64Array, payload: Int32Array, start = 0, end = keys.length): void {
  if (end - start < 2) return;
  if (end - start >= RADIX_MIN) {
    radixSort(keys, payload, start, end);
    return;
  }
  const maxDepth = 2 * Math.floor(Math.log2(end - start));
  introsort(keys, payload, start, end, maxDepth);
}

// Below this many keys the comparison sort is faster than four radix passes.
const RADIX_MIN = 4096;

/**
 * LSD radix sort of float64 keys (Knuth, TAOCP vol. 3, §5.2.5) in four 16-bit passes: the IEEE
 * bits are mapped to unsigned integers in value order (negative numbers flipped whole, positive
 * ones get the sign bit set), and passes whose digit is the same for every key are skipped.
 * Linear time; a million keys sort several times faster than by comparisons. Stable.
 */
function radixSort(keys: Float64Array, payload: Int32Array, start: number, end: number): void {
  const n = end - start;
  const bits = new Uint32Array(keys.buffer, keys.byteOffset + start * 8, n * 2);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let pay = payload.slice(start, end);
  for (let i = 0; i < n; i++) {
    const h = bits[2 * i + 1];
    const negative = h >>> 31 === 1;
    lo[i] = negative ? ~bits[2 * i] >>> 0 : bits[2 * i];
    hi[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let pay2 = new Int32Array(n);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & 0xffff]++;
    if (count[(src[0] >>> shift) & 0xffff] === n) continue;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = count[(src[i] >>> shift) & 0xffff]++;
      lo2[at] = lo[i];
      hi2[at] = hi[i];
      pay2[at] = pay[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [pay, pay2] = [pay2, pay];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i];
    const negative = h >>> 31 === 0;
    bits[2 * i] = negative ? ~lo[i] >>> 0 : lo[i];
    bits[2 * i + 1] = negative ? ~h >>> 0 : (h & 0x7fffffff) >>> 0;
  }
  payload.set(pay, start);
}

/** Row indices 0…n−1 ordered by `values` ascending (ties in unspecified order). */
export function argsort(values: ArrayLike<number>): Int32Array {
  const keys = Float64Array.from(values);
  const index = new Int32Array(keys.length);
  for (let i = 0; i < index.length; i++) index[i] = i;
  sortWithPayload(keys, index);
  return index;
}

function swap(keys: Float64Array, payload: Int32Array, i: number, j: number): void {
  const k = keys[i];
  keys[i] = keys[j];
  keys[j] = k;
  const p = payload[i];
  payload[i] = payload[j];
  payload[j] = p;
}

function median3(keys: Float64Array, a: number, b: number, c: number): number {
  const x = keys[a];
  const y = keys[b];
  const z = keys[c];
  if (x < y) {
    if (y < z) return y;
    return x < z ? z : x;
  }
  if (x < z) return x;
  return y < z ? z : y;
}

function insertionSort(keys: Float64Array, payload: Int32Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const k = keys[i];
    const p = payload[i];
    let j = i - 1;
    while (j >= start && keys[j] > k) {
      keys[j + 1] = keys[j];
      payload[j + 1] = payload[j];
      j--;
    }
    keys[j + 1] = k;
    payload[j + 1] = p;
  }
}

function siftDown(keys: Float64Array, payload: Int32Array, start: number, root: number, end: number): void {
  let parent = root;
  for (;;) {
    const left = 2 * parent + 1;
    if (left >= end) return;
    let child = left;
    if (left + 1 < end && keys[start + left + 1] > keys[start + left]) child = left + 1;
    if (keys[start + child] <= keys[start + parent]) return;
    swap(keys, payload, start + parent, start + child);
    parent = child;
  }
}

function heapSort(keys: Float64Array, payload: Int32Array, start: number, end: number): void {
  const n = end - start;
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(keys, payload, start, i, n);
  for (let last = n - 1; last > 0; last--) {
    swap(keys, payload, start, start + last);
    siftDown(keys, payload, start, 0, last);
  }
}

function introsort(keys: Float64Array, payload: Int32Array, start: number, end: number, depth: number): void {
  while (end - start > 16) {
    if (depth-- <= 0) {
      heapSort(keys, payload, start, end);
      return;
    }
    const pivot = median3(keys, start, (start + end) >> 1, end - 1);
    // Three-way partition: [start, lt) < pivot, [lt, i) == pivot, (gt, end) > pivot.
    let lt = start;
    let i = start;
    let gt = end;
    while (i < gt) {
      const k = keys[i];
      if (k < pivot) swap(keys, payload, i++, lt++);
      else if (k > pivot) swap(keys, payload, i, --gt);
      else i++;
    }
    // Recurse into the smaller side, loop on the larger: O(log n) stack.
    if (lt - start < end - gt) {
      introsort(keys, payload, start, lt, depth);
      start = gt;
    } else {
      introsort(keys, payload, gt, end, depth);
      end = lt;
    }
  }
  insertionSort(keys, payload, start, end);
}
