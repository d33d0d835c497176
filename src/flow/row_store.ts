/**
 * Fixed-length rows of one typed array, handed out and taken back by row
 * base: the storage of per-flow state kept out of the V8 heap (TCP state,
 * -J statistics). Released rows are reused first; the array grows by half
 * again, moved with ArrayBuffer.transfer() so the old memory goes at once.
 * @module
 */

/** The typed arrays rows can live in. */
type Words = Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** Rows of `rowLength` numbers; subclasses say what a row starts as. */
export abstract class RowStore<T extends Words> {
  /** All rows. Replaced when the store grows: read it again after `alloc`. */
  words: T;
  #used = 0;
  #free: number[] = [];

  constructor(
    readonly rowLength: number,
    initialRows: number,
    readonly wrap: (buffer: ArrayBuffer) => T,
  ) {
    const bytesPer = wrap(new ArrayBuffer(0)).BYTES_PER_ELEMENT;
    this.words = wrap(new ArrayBuffer(initialRows * rowLength * bytesPer));
  }

  /** A row as `initRow` leaves it; returns its base. */
  alloc(): number {
    const reused = this.#free.pop();
    if (reused !== undefined) {
      this.initRow(reused, true);
      return reused;
    }
    const base = this.#used, row = this.rowLength;
    if (base + row > this.words.length) {
      const rows = Math.ceil(this.words.length / row);
      this.words = this.wrap(
        this.words.buffer.transfer(
          (rows + (rows >> 1)) * row * this.words.BYTES_PER_ELEMENT,
        ),
      );
    }
    this.#used = base + row;
    this.initRow(base, false);
    return base;
  }

  /** Gives a row back for a later `alloc`. */
  release(base: number): void {
    this.#free.push(base);
  }

  /** Makes a row new: `reused` rows hold an earlier flow's numbers. */
  protected abstract initRow(base: number, reused: boolean): void;
}
