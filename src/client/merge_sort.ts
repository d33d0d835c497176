/**
 * The order the real rasort leaves records in: glibc 2.36's qsort, which
 * is a top-down merge sort (msort_with_tmp) whenever the array fits in
 * memory. Some argus comparators are not transitive (a record without a
 * flow key compares equal to every other), so only the same algorithm,
 * with the same splits and the same "left wins ties" merge, gives the
 * same order; a different stable sort would not.
 * @module
 */

/** qsort-style comparison: > 0 puts `a` after `b`. */
export type IndexCompare = (a: number, b: number) => number;

/** Sorts `idx` in place as glibc's qsort orders its elements. */
export function mergeSort(idx: Int32Array, cmp: IndexCompare): void {
  if (idx.length < 2) return;
  const tmp = new Int32Array(idx.length);
  sortRange(idx, 0, idx.length, tmp, cmp);
}

function sortRange(
  b: Int32Array,
  lo: number,
  n: number,
  tmp: Int32Array,
  cmp: IndexCompare,
): void {
  if (n <= 1) return;
  // glibc: n1 = n / 2 on the left, the rest on the right.
  const n1 = n >>> 1;
  sortRange(b, lo, n1, tmp, cmp);
  sortRange(b, lo + n1, n - n1, tmp, cmp);
  let i = lo, j = lo + n1, t = 0;
  const iEnd = lo + n1, jEnd = lo + n;
  while (i < iEnd && j < jEnd) {
    const x = b[i]!, y = b[j]!;
    if (cmp(x, y) <= 0) {
      tmp[t++] = x;
      i++;
    } else {
      tmp[t++] = y;
      j++;
    }
  }
  while (i < iEnd) tmp[t++] = b[i++]!;
  // What is left of the right half is already in place.
  b.set(tmp.subarray(0, t), lo);
}
