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
  private readonly setStart: number[] = [];
  private readonly setLength: number[] = [];
  // union under construction
  private readonly mark: Int32Array;
  private stamp = 0;
  private readonly scratch: Int32Array;
  private scratchUsed = 0;
  private first = -1;
  private last = -1;
  private merging = false;

  constructor(refCount: number) {
    this.pool = new Int32Array(Math.max(16, refCount * 4));
    for (let r = 0; r < refCount; r++) {
      this.pool[r] = r;
      this.setStart.push(r);
      this.setLength.push(1);
    }
    this.poolUsed = refCount;
    this.empty = refCount;
    this.setStart.push(refCount);
    this.setLength.push(0);
    this.mark = new Int32Array(refCount);
    this.scratch = new Int32Array(refCount);
  }

  size(setId: number): number {
    return this.setLength[setId];
  }

  /** the members of a set, mapped through `names` (e.g. ref strings) */
  members<T>(setId: number, names: readonly T[]): T[] {
    const start = this.setStart[setId];
    const length = this.setLength[setId];
    const out = new Array<T>(length);
    for (let k = 0; k < length; k++) out[k] = names[this.pool[start + k]];
    return out;
  }

  beginUnion(): void {
    this.first = -1;
    this.last = -1;
    this.merging = false;
  }

  addToUnion(setId: number): void {
    if (setId === this.last || setId === this.empty) return;
    this.last = setId;
    if (this.first === -1) {
      this.first = setId;
      return;
    }
    if (setId === this.first) return;
    if (!this.merging) {
      this.merging = true;
      this.stamp++;
      this.scratchUsed = 0;
      this.markMembers(this.first);
    }
    this.markMembers(setId);
  }

  /** the id of the union of the sets added since beginUnion (an existing id when possible) */
  endUnion(): number {
    if (this.first === -1) return this.empty;
    if (!this.merging) return this.first;
    const members = this.scratch.subarray(0, this.scratchUsed).sort();
    return this.store(members);
  }

  private markMembers(setId: number): void {
    const { pool, mark, scratch, stamp } = this;
    const end = this.setStart[setId] + this.setLength[setId];
    let used = this.scratchUsed;
    for (let k = this.setStart[setId]; k < end; k++) {
      const ref = pool[k];
      if (mark[ref] !== stamp) {
        mark[ref] = stamp;
        scratch[used++] = ref;
      }
    }
    this.scratchUsed = used;
  }

  private store(members: Int32Array): number {
    if (this.poolUsed + members.length > this.pool.length) {
      const grown = new Int32Array(Math.max(this.pool.length * 2, this.poolUsed + members.length));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    this.pool.set(members, this.poolUsed);
    this.setStart.push(this.poolUsed);
    this.setLength.push(members.length);
    this.poolUsed += members.length;
    return this.setStart.length - 1;
  }
}
