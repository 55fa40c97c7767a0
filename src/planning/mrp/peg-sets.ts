/**
 * Pegging sets: sorted sets of demand-ref ids, stored once in a pool and shared by id.
 * Set r (0 ≤ r < refCount) is the singleton {r}; set refCount is the empty set. A planned order
 * gets the union of the sets of the requirements it serves, and passes that set id on, unchanged,
 * to the dependent requirements it causes — so pegging flows through every BOM level without copying.
 */
export class PegSets {
  readonly empty: number;
  private pool: Int32Array;
  private poolUsed: number;
  private setStart: Int32Array;
  private setLength: Int32Array;
  private setCount: number;
  // the union under construction: the distinct set ids added
  private parts = new Int32Array(64);
  private partCount = 0;
  private last = -1;
  // scratch for merging
  private readonly mark: Int32Array;
  private stamp = 0;
  private mergeA: Int32Array;
  private mergeB: Int32Array;

  constructor(refCount: number) {
    this.pool = new Int32Array(Math.max(1024, refCount * 16));
    this.setStart = new Int32Array(Math.max(1024, refCount * 2));
    this.setLength = new Int32Array(this.setStart.length);
    for (let r = 0; r < refCount; r++) {
      this.pool[r] = r;
      this.setStart[r] = r;
      this.setLength[r] = 1;
    }
    this.poolUsed = refCount;
    this.empty = refCount;
    this.setStart[refCount] = refCount;
    this.setLength[refCount] = 0;
    this.setCount = refCount + 1;
    this.mark = new Int32Array(refCount);
    this.mergeA = new Int32Array(refCount);
    this.mergeB = new Int32Array(refCount);
  }

  size(setId: number): number {
    return this.setLength[setId];
  }

  /** the members of a set, mapped through `names` (e.g. ref strings), in id order */
  members<T>(setId: number, names: readonly T[]): T[] {
    const start = this.setStart[setId];
    const length = this.setLength[setId];
    const out = new Array<T>(length);
    for (let k = 0; k < length; k++) out[k] = names[this.pool[start + k]];
    return out;
  }

  beginUnion(): void {
    this.partCount = 0;
    this.last = -1;
  }

  addToUnion(setId: number): void {
    if (setId === this.last || setId === this.empty) return;
    this.last = setId;
    const parts = this.parts;
    for (let k = 0; k < this.partCount; k++) if (parts[k] === setId) return;
    if (this.partCount === parts.length) {
      this.parts = new Int32Array(parts.length * 2);
      this.parts.set(parts);
    }
    this.parts[this.partCount++] = setId;
  }

  /** the id of the union of the sets added since beginUnion (an existing id when possible) */
  endUnion(): number {
    if (this.partCount === 0) return this.empty;
    if (this.partCount === 1) return this.parts[0];
    return this.partCount <= 8 ? this.mergeParts() : this.markParts();
  }

  /** few sets: merge the sorted sets one after the other */
  private mergeParts(): number {
    const { pool, setStart, setLength, parts } = this;
    let into = this.mergeA;
    let from = this.mergeB;
    // start with the first set
    let length = setLength[parts[0]];
    from.set(pool.subarray(setStart[parts[0]], setStart[parts[0]] + length));
    for (let p = 1; p < this.partCount; p++) {
      let a = 0;
      let b = setStart[parts[p]];
      const bEnd = b + setLength[parts[p]];
      let n = 0;
      while (a < length && b < bEnd) {
        const x = from[a];
        const y = pool[b];
        if (x < y) {
          into[n++] = x;
          a++;
        } else if (y < x) {
          into[n++] = y;
          b++;
        } else {
          into[n++] = x;
          a++;
          b++;
        }
      }
      while (a < length) into[n++] = from[a++];
      while (b < bEnd) into[n++] = pool[b++];
      length = n;
      [into, from] = [from, into];
    }
    return this.store(from, length);
  }

  /** many sets: mark each member once, then sort */
  private markParts(): number {
    const { pool, setStart, setLength, parts, mark } = this;
    const stamp = ++this.stamp;
    const out = this.mergeA;
    let n = 0;
    for (let p = 0; p < this.partCount; p++) {
      const end = setStart[parts[p]] + setLength[parts[p]];
      for (let k = setStart[parts[p]]; k < end; k++) {
        const ref = pool[k];
        if (mark[ref] !== stamp) {
          mark[ref] = stamp;
          out[n++] = ref;
        }
      }
    }
    out.subarray(0, n).sort();
    return this.store(out, n);
  }

  private store(members: Int32Array, length: number): number {
    if (this.poolUsed + length > this.pool.length) {
      const grown = new Int32Array(Math.max(this.pool.length * 2, this.poolUsed + length));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    if (this.setCount === this.setStart.length) {
      const starts = new Int32Array(this.setCount * 2);
      starts.set(this.setStart);
      this.setStart = starts;
      const lengths = new Int32Array(this.setCount * 2);
      lengths.set(this.setLength);
      this.setLength = lengths;
    }
    this.pool.set(members.subarray(0, length), this.poolUsed);
    this.setStart[this.setCount] = this.poolUsed;
    this.setLength[this.setCount] = length;
    this.poolUsed += length;
    return this.setCount++;
  }
}
