/**
 * The hosted program's wall clock follows its node's (shell; how: `@faultline/protocol/faketime`).
 * The node's skewed clock is mirrored here from the core's `clock_change` events, and its offset
 * from true time written to libfaketime's file: at each change, and twice a second while the clock
 * drifts. Where libfaketime is not installed, the program reads the machine's clock, and the node
 * says so once in its log.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SkewedClock } from '@faultline/clock';
import { faketimeEnv, faketimeOffset, findLibfaketime } from '@faultline/protocol/faketime';

const DRIFT_REWRITE_MS = 500;

export interface ProgramClock {
  /** What the program's environment needs (nothing where libfaketime is not here). */
  readonly env: Readonly<Record<string, string>>;
  /** The node's clock changed (a `clock_change` event) at true time `trueMs`. */
  changed(change: { readonly offsetMs: number; readonly driftPpm: number }, trueMs: number): void;
  /** Stops rewriting, removes the file. */
  close(): void;
}

/** A clock for the program, or one that does nothing (and `why` says so) where libfaketime is missing. */
export function programClock(trueNow: () => number): ProgramClock & { readonly why?: string } {
  const library = findLibfaketime();
  if (library === undefined) return { env: {}, changed: () => undefined, close: () => undefined, why: "no libfaketime here: the program reads the machine's clock, not this node's" };
  const dir = mkdtempSync(join(tmpdir(), 'faultline-faketime-'));
  const file = join(dir, 'offset');
  const clock = new SkewedClock({ offsetMs: 0, driftPpm: 0 }, trueNow());
  let drifting: NodeJS.Timeout | undefined;
  // Written whole, then renamed over the old one: libfaketime never reads half a line.
  const write = (): void => {
    const t = trueNow();
    try {
      writeFileSync(`${file}.next`, `${faketimeOffset(clock.read(t) - t)}\n`);
      renameSync(`${file}.next`, file);
    } catch {
      // the folder is gone (the node is stopping): nothing to follow any more
    }
  };
  write();
  return {
    env: faketimeEnv(library, file, process.env.LD_PRELOAD),
    changed: (change, trueMs) => {
      clock.set({ offsetMs: change.offsetMs, driftPpm: change.driftPpm }, trueMs);
      write();
      clearInterval(drifting);
      drifting = change.driftPpm === 0 ? undefined : setInterval(write, DRIFT_REWRITE_MS).unref();
    },
    close: () => {
      clearInterval(drifting);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
