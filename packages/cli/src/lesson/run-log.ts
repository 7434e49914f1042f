/**
 * Where the lab's own log (pino's JSON lines) goes while a lesson runs: `lab.log` in the run's
 * folder, beside the nodes' logs and the trace, never the student's terminal. Lines logged before
 * the folder exists wait in memory. (A terminal's Ctrl-C reaches the lab's processes too; the lab
 * would log the proxy going away, as a raw JSON line in the middle of the lesson's text.)
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export class RunLog {
  private file?: string;
  private waiting: string[] = [];

  /** pino's destination. */
  write(line: string): void {
    if (this.file === undefined) this.waiting.push(line);
    else this.append(line);
  }

  /** The run's folder is known: the lines so far, and every line after, go to its `lab.log`. */
  open(runDir: string): void {
    this.file = join(runDir, 'lab.log');
    const waiting = this.waiting;
    this.waiting = [];
    for (const line of waiting) this.append(line);
  }

  private append(line: string): void {
    try {
      appendFileSync(this.file!, line);
    } catch {
      // The folder is gone (removed under a running lesson): the log has nowhere to go.
    }
  }
}
