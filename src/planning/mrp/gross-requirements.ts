/**
 * Gross requirements of one item at a time, sorted by day: its independent demands (already
 * sorted by day, ref) first, then the dependent demand its parents posted, in posting order —
 * a stable sort, so the order never depends on anything but the input.
 * Dependent demand is kept in typed-array chunks of CHUNK entries, a linked list of chunks per
 * item: off the JS heap (nothing for the garbage collector to trace) and cache-friendly; the
 * chunks of a planned item are reused.
 */
import type { PreparedMrp } from './prepare.ts';

const CHUNK = 32;
const PAGE_BITS = 10;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

export class GrossRequirements {
  /** sorted requirements of the last gathered item: day, qty (µ), peg set */
  day = new Int32Array(0);
  qty = new Float64Array(0);
  peg = new Int32Array(0);
  /** chunk c lives in page c >> PAGE_BITS, at (c & PAGE_MASK) · CHUNK; pages are never copied */
  private readonly pageDay: Int32Array[] = [];
  private readonly pageQty: Float64Array[] = [];
  private readonly pagePeg: Int32Array[] = [];
  private chunkNext = new Int32Array(1 << PAGE_BITS);
  private chunksUsed = 0;
  private freeChunk = -1;
  private readonly headChunk: Int32Array;
  private readonly tailChunk: Int32Array;
  /** entries in each item's tail chunk */
  private readonly tailFill: Int32Array;
  private readonly postedCount: Int32Array;
  private unsortedDay = new Int32Array(0);
  private unsortedQty = new Float64Array(0);
  private unsortedPeg = new Int32Array(0);
  private slots = new Int32Array(0);
  private sortKey = new Float64Array(0);

  constructor(itemCount: number) {
    this.headChunk = new Int32Array(itemCount).fill(-1);
    this.tailChunk = new Int32Array(itemCount).fill(-1);
    this.tailFill = new Int32Array(itemCount);
    this.postedCount = new Int32Array(itemCount);
  }

  post(item: number, day: number, qty: number, pegSet: number): void {
    let chunk = this.tailChunk[item];
    let fill = this.tailFill[item];
    if (chunk === -1 || fill === CHUNK) {
      const fresh = this.newChunk();
      if (chunk === -1) this.headChunk[item] = fresh;
      else this.chunkNext[chunk] = fresh;
      this.tailChunk[item] = chunk = fresh;
      fill = 0;
    }
    const page = chunk >> PAGE_BITS;
    const at = (chunk & PAGE_MASK) * CHUNK + fill;
    this.pageDay[page][at] = day;
    this.pageQty[page][at] = qty;
    this.pagePeg[page][at] = pegSet;
    this.tailFill[item] = fill + 1;
    this.postedCount[item]++;
  }

  private newChunk(): number {
    let chunk = this.freeChunk;
    if (chunk !== -1) {
      this.freeChunk = this.chunkNext[chunk];
    } else {
      chunk = this.chunksUsed++;
      if (chunk >> PAGE_BITS === this.pageDay.length) {
        this.pageDay.push(new Int32Array(CHUNK << PAGE_BITS));
        this.pageQty.push(new Float64Array(CHUNK << PAGE_BITS));
        this.pagePeg.push(new Int32Array(CHUNK << PAGE_BITS));
      }
      if (chunk === this.chunkNext.length) {
        const next = new Int32Array(this.chunkNext.length * 2);
        next.set(this.chunkNext);
        this.chunkNext = next;
      }
    }
    this.chunkNext[chunk] = -1;
    return chunk;
  }

  /** fills day/qty/peg with item i's requirements sorted by day; returns how many */
  gather(p: PreparedMrp, i: number, emptyPegSet: number, pegging: boolean): number {
    const from = p.demandStart[i];
    const to = p.demandStart[i + 1];
    const count = to - from + this.postedCount[i];
    if (count > this.day.length) this.grow(count);
    const day = this.unsortedDay;
    const qty = this.unsortedQty;
    const peg = this.unsortedPeg;
    let n = 0;
    for (let k = from; k < to; k++, n++) {
      day[n] = p.demandDay[k];
      qty[n] = p.demandQty[k];
      peg[n] = pegging ? p.demandRef[k] : emptyPegSet;
    }
    let sorted = true;
    let minDay = n > 0 ? day[0] : Number.POSITIVE_INFINITY;
    let maxDay = n > 0 ? day[n - 1] : Number.NEGATIVE_INFINITY;
    for (let chunk = this.headChunk[i]; chunk !== -1; ) {
      const pageDay = this.pageDay[chunk >> PAGE_BITS];
      const pageQty = this.pageQty[chunk >> PAGE_BITS];
      const pagePeg = this.pagePeg[chunk >> PAGE_BITS];
      const start = (chunk & PAGE_MASK) * CHUNK;
      const end = start + (chunk === this.tailChunk[i] ? this.tailFill[i] : CHUNK);
      for (let k = start; k < end; k++, n++) {
        const d = pageDay[k];
        if (n > 0 && d < day[n - 1]) sorted = false;
        if (d < minDay) minDay = d;
        if (d > maxDay) maxDay = d;
        day[n] = d;
        qty[n] = pageQty[k];
        peg[n] = pagePeg[k];
      }
      const next = this.chunkNext[chunk];
      // planned once: the chunk goes back to the free list
      this.chunkNext[chunk] = this.freeChunk;
      this.freeChunk = chunk;
      chunk = next;
    }
    this.headChunk[i] = this.tailChunk[i] = -1;
    this.postedCount[i] = 0;
    if (sorted) {
      this.swap();
    } else if (maxDay - minDay < 4 * count + 1024) {
      this.countingSort(count, minDay, maxDay - minDay + 1);
    } else {
      this.keySort(count, minDay);
    }
    return count;
  }

  /** stable counting sort by day (days span a few hundred at most in practice) */
  private countingSort(count: number, minDay: number, range: number): void {
    if (this.slots.length < range + 1) this.slots = new Int32Array(Math.max(range + 1, this.slots.length * 2));
    const slots = this.slots;
    slots.fill(0, 0, range + 1);
    const { unsortedDay, unsortedQty, unsortedPeg, day, qty, peg } = this;
    for (let k = 0; k < count; k++) slots[unsortedDay[k] - minDay + 1]++;
    for (let d = 1; d <= range; d++) slots[d] += slots[d - 1];
    for (let k = 0; k < count; k++) {
      const at = slots[unsortedDay[k] - minDay]++;
      day[at] = unsortedDay[k];
      qty[at] = unsortedQty[k];
      peg[at] = unsortedPeg[k];
    }
  }

  /** stable sort on (day − minDay) · count + position, for widely spread days */
  private keySort(count: number, minDay: number): void {
    const keys = this.sortKey;
    const { unsortedDay, unsortedQty, unsortedPeg, day, qty, peg } = this;
    for (let k = 0; k < count; k++) keys[k] = (unsortedDay[k] - minDay) * count + k;
    const sortedKeys = keys.subarray(0, count).sort();
    for (let k = 0; k < count; k++) {
      const from = sortedKeys[k] % count;
      day[k] = unsortedDay[from];
      qty[k] = unsortedQty[from];
      peg[k] = unsortedPeg[from];
    }
  }

  private swap(): void {
    [this.day, this.unsortedDay] = [this.unsortedDay, this.day];
    [this.qty, this.unsortedQty] = [this.unsortedQty, this.qty];
    [this.peg, this.unsortedPeg] = [this.unsortedPeg, this.peg];
  }

  private grow(count: number): void {
    const capacity = Math.max(count, this.day.length * 2, 64);
    this.day = new Int32Array(capacity);
    this.qty = new Float64Array(capacity);
    this.peg = new Int32Array(capacity);
    this.unsortedDay = new Int32Array(capacity);
    this.unsortedQty = new Float64Array(capacity);
    this.unsortedPeg = new Int32Array(capacity);
    this.sortKey = new Float64Array(capacity);
  }
}
