/**
 * Where lines start in the trace file (pure): the byte offset of every `stride`-th line, so a
 * reader can start near any seq and skip at most `stride - 1` lines; 16 bytes per `stride` lines.
 */
export class TraceOffsets {
  private readonly seqs: number[] = [];
  private readonly offsets: number[] = [];
  private count = 0;

  constructor(readonly stride = 64) {}

  /** A line `seq` was written at `offset` (lines come in file order). */
  add(seq: number, offset: number): void {
    if (this.count++ % this.stride === 0) {
      this.seqs.push(seq);
      this.offsets.push(offset);
    }
  }

  /** Where to start reading to find the lines after `since`: the last indexed line at or before `since + 1`. */
  startFor(since: number): { seq: number; offset: number } {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqs[mid] <= since + 1) lo = mid + 1;
      else hi = mid;
    }
    const at = Math.max(0, lo - 1);
    return at < this.seqs.length ? { seq: this.seqs[at], offset: this.offsets[at] } : { seq: 0, offset: 0 };
  }
}
