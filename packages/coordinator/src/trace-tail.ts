/**
 * The newest lines of the trace, kept in memory (pure): at most `maxLines` lines and `maxBytes`
 * bytes of their JSON text; older ones are dropped as new ones come (they are in the file).
 */
import type { TraceLine } from '@faultline/protocol';

export class TraceTail {
  private lines: TraceLine[] = [];
  private sizes: number[] = [];
  /** Index of the oldest kept line in `lines` (dropped ones are cut off in bulk, not one by one). */
  private head = 0;
  private kept = 0;

  constructor(
    readonly maxLines: number,
    readonly maxBytes: number,
  ) {}

  /** The bytes (in the file) of the lines kept. */
  get bytes(): number {
    return this.kept;
  }

  /** The seq of the oldest line kept, or undefined when none is. */
  get firstSeq(): number | undefined {
    return this.lines[this.head]?.seq;
  }

  /** Keeps `line` (`bytes` long in the file, its newline included), dropping the oldest past a bound. */
  push(line: TraceLine, bytes: number): void {
    this.lines.push(line);
    this.sizes.push(bytes);
    this.kept += bytes;
    // The newest line is always kept, however long.
    while (this.lines.length - this.head > 1 && (this.lines.length - this.head > this.maxLines || this.kept > this.maxBytes)) {
      this.kept -= this.sizes[this.head];
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /** True when every line after `since` is kept (so nothing after it need be read from the file). */
  covers(since: number): boolean {
    const first = this.firstSeq;
    return first === undefined || since >= first - 1;
  }

  /** The kept lines after `since`, oldest first. */
  after(since: number): TraceLine[] {
    let lo = this.head;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lines[mid].seq <= since) lo = mid + 1;
      else hi = mid;
    }
    return this.lines.slice(lo);
  }
}
