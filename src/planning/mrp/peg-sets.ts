/**
 * Pegging sets: sorted sets of demand-ref ids, stored once in a pool and shared by id.
 * Set r (0 ≤ r < refCount) is the singleton {r}; set refCount is the empty set. A planned order
 * gets the union of the sets of the requirements it serves, and passes that set id on, unchanged,
 * to the dependent requirements it causes — so pegging flows through every BOM level without copying.
 */
const PAGE_SIZE = 1 << 20;

export class PegSets {
  readonly empty: number;
  /** members live in pages (never copied when the pool grows); a set never spans two pages */
  private readonly pages: Int32Array[] = [];
  private readonly pageSize: number;
  private page: Int32Array;
  private pageUsed: number;
  /** page index × pageSize + offset */
  private setStart: Float64Array;
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
    // small runs get small pages; a page always holds the largest possible set
    this.pageSize = Math.max(Math.min(PAGE_SIZE, Math.max(4096, refCount * 8)), refCount + 1);
    this.page = new Int32Array(this.pageSize);
    this.pages.push(this.page);
    this.setStart = new Float64Array(Math.max(1024, refCount * 2));
    this.setLength = new Int32Array(this.setStart.length);
    for (let r = 0; r < refCount; r++) {
      this.page[r] = r;
      this.setStart[r] = r;
      this.setLength[r] = 1;
    }
    this.pageUsed = refCount;
    this.empty = refCount;
    this.setStart[refCount] = refCount;
    this.setLength[refCount] = 0;
    this.setCount = refCount + 1;
    this.mark = new Int32Array(refCount);
    this.mergeA = new Int32Array(refCount);
    this.mergeB = new Int32Array(refCount);
    this.unionBuffer = this.mergeA;
  }

  size(setId: number): number {
    return this.setLength[setId];
  }

  /** the members of a set, mapped through `names` (e.g. ref strings), in id order */
  members<T>(setId: number, names: readonly T[]): T[] {
    const length = this.setLength[setId];
    const out = new Array<T>(length);
    if (length === 0) return out;
    const pageIndex = Math.floor(this.setStart[setId] / this.pageSize);
    const start = this.setStart[setId] - pageIndex * this.pageSize;
    const page = this.pages[pageIndex];
    for (let k = 0; k < length; k++) out[k] = names[page[start + k]];
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
    const length = this.partCount <= 8 ? this.mergeParts() : this.markParts();
    return this.store(this.unionBuffer, length);
  }

  /**
   * The union's members mapped through `names`, without storing the union: for supply that
   * passes its pegging on to nothing (a bought item), this saves the pool the biggest sets.
   */
  endUnionAsMembers<T>(names: readonly T[]): T[] {
    if (this.partCount <= 1) return this.members(this.partCount === 0 ? this.empty : this.parts[0], names);
    const length = this.partCount <= 8 ? this.mergeParts() : this.markParts();
    const members = this.unionBuffer;
    const out = new Array<T>(length);
    for (let k = 0; k < length; k++) out[k] = names[members[k]];
    return out;
  }

  /** few sets: merge the sorted sets one after the other (the first merges into the empty set) */
  /** where mergeParts / markParts leave the union */
  private unionBuffer: Int32Array;

  /** the union's length; its members are in unionBuffer */
  private mergeParts(): number {
    const { parts, pages, pageSize, setStart, setLength } = this;
    let into = this.mergeA;
    let from = this.mergeB;
    let length = 0;
    for (let p = 0; p < this.partCount; p++) {
      const pageIndex = Math.floor(setStart[parts[p]] / pageSize);
      const other = pages[pageIndex];
      let b = setStart[parts[p]] - pageIndex * pageSize;
      const bEnd = b + setLength[parts[p]];
      let a = 0;
      let n = 0;
      while (a < length && b < bEnd) {
        const x = from[a];
        const y = other[b];
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
      while (b < bEnd) into[n++] = other[b++];
      length = n;
      [into, from] = [from, into];
    }
    this.unionBuffer = from;
    return length;
  }

  /** many sets: mark each member once, then sort; the union's length, members in unionBuffer */
  private markParts(): number {
    const { parts, mark, pages, pageSize, setStart, setLength } = this;
    const stamp = ++this.stamp;
    const out = this.mergeA;
    let n = 0;
    for (let p = 0; p < this.partCount; p++) {
      const pageIndex = Math.floor(setStart[parts[p]] / pageSize);
      const members = pages[pageIndex];
      const start = setStart[parts[p]] - pageIndex * pageSize;
      const end = start + setLength[parts[p]];
      for (let k = start; k < end; k++) {
        const ref = members[k];
        if (mark[ref] !== stamp) {
          mark[ref] = stamp;
          out[n++] = ref;
        }
      }
    }
    out.subarray(0, n).sort();
    this.unionBuffer = out;
    return n;
  }

  private store(members: Int32Array, length: number): number {
    if (this.pageUsed + length > this.pageSize) {
      this.page = new Int32Array(this.pageSize);
      this.pages.push(this.page);
      this.pageUsed = 0;
    }
    if (this.setCount === this.setStart.length) {
      const starts = new Float64Array(this.setCount * 2);
      starts.set(this.setStart);
      this.setStart = starts;
      const lengths = new Int32Array(this.setCount * 2);
      lengths.set(this.setLength);
      this.setLength = lengths;
    }
    const page = this.page;
    const at = this.pageUsed;
    for (let k = 0; k < length; k++) page[at + k] = members[k];
    this.setStart[this.setCount] = (this.pages.length - 1) * this.pageSize + at;
    this.setLength[this.setCount] = length;
    this.pageUsed += length;
    return this.setCount++;
  }
}
