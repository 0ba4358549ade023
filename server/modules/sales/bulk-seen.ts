/**
 * The source ids a bulk load has written so far (sales.bulk.ts), kept as 64-bit hashes in two flat
 * typed arrays: ~16 bytes per id at worst instead of a string per id in a Set (5 M ids ≈ 64–128 MB
 * vs > 300 MB). The check ahead of time for chunk k reads committed rows only (a connection of its
 * own, which cannot see the load's transaction): a source id this set says may have been written
 * by an earlier chunk is looked up again on the load's own connection, after its COPY. A false
 * "maybe" (two ids with the same 64-bit hash) costs that look-up, never a different answer.
 */
export class SeenIds {
  private lo: Uint32Array;
  private hi: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 16) {
    this.lo = new Uint32Array(capacity);
    this.hi = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  add(id: string): void {
    const [a, b] = hash(id);
    if (this.count * 2 >= this.lo.length) this.grow();
    this.insert(a, b);
  }

  /** Whether `id` may have been added: false is certain, true is almost always. */
  has(id: string): boolean {
    const [a, b] = hash(id);
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const h = this.hi[i];
      if (h === 0) return false;
      if (h === b && this.lo[i] === a) return true;
    }
  }

  private insert(a: number, b: number): void {
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const h = this.hi[i];
      if (h === 0) {
        this.lo[i] = a;
        this.hi[i] = b;
        this.count++;
        return;
      }
      if (h === b && this.lo[i] === a) return;
    }
  }

  private grow(): void {
    const { lo, hi } = this;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(hi.length * 2);
    this.mask = this.lo.length - 1;
    this.count = 0;
    for (let i = 0; i < lo.length; i++) if (hi[i] !== 0) this.insert(lo[i], hi[i]);
  }
}

/** Two independent 32-bit FNV-1a style hashes of the UTF-16 code units; the second is never 0 (0 marks an empty slot). */
function hash(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  return [a >>> 0, (b | 1) >>> 0];
}
