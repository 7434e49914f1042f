/**
 * Writes a link's output to its socket. While the socket is backed up (Node already holds bytes
 * the kernel did not take), small writes are joined into one per turn: Node would hand them to
 * the kernel in one writev anyway, but keeping each as its own request cost an object and a
 * callback apiece, and 100,000 one-byte slices flushed on one 'drain' blocked the process for a
 * second. A write that goes out at once stays its own write, so slicing is kept on the wire.
 */
import type { Socket } from 'node:net';

/** Writes at least this large are never joined (bulk data is not copied). */
const JOIN_BELOW_BYTES = 16 * 1024;

export class CoalescingWriter {
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private flushArmed = false;

  constructor(private readonly dest: Socket) {}

  /** Bytes written but not yet taken by the kernel. */
  get pendingBytes(): number {
    return this.dest.writableLength + this.tailBytes;
  }

  write(data: Buffer): void {
    if (this.tail.length === 0 && this.dest.writableLength === 0) {
      this.dest.write(data);
      return;
    }
    if (data.length >= JOIN_BELOW_BYTES) {
      this.flush();
      this.dest.write(data);
      return;
    }
    this.tail.push(data);
    this.tailBytes += data.length;
    if (this.tailBytes >= JOIN_BELOW_BYTES) this.flush();
    else if (!this.flushArmed) {
      this.flushArmed = true;
      setImmediate(() => {
        this.flushArmed = false;
        this.flush();
      });
    }
  }

  /** Writes what was joined so far (before ending the socket, or on the next turn). */
  flush(): void {
    if (this.tail.length === 0) return;
    const data = this.tail.length === 1 ? this.tail[0] : Buffer.concat(this.tail, this.tailBytes);
    this.tail = [];
    this.tailBytes = 0;
    if (!this.dest.destroyed && this.dest.writable) this.dest.write(data);
  }

  /** Forgets what was joined (the connection is gone). */
  drop(): void {
    this.tail = [];
    this.tailBytes = 0;
  }
}
