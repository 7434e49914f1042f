/**
 * Failure detectors' suspicions judged against the lab's own lines, on hand-made traces: right
 * (the peer was crashed or paused), wrong (alive, behind a partition; revived, then suspected
 * again; the observer's own pause), detections timed and missed, and the summary's figures.
 */
import { describe, expect, it } from 'vitest';
import { detections, failures, NodeTruths, suspicions, suspicionSummary } from '../src/index.js';
import { TraceBuilder } from './support/trace-builder.js';

const SETTINGS = { method: 'timeout', timeoutMs: 500, threshold: 8, intervalMs: 100 };

/** A trace where `nodes` start a detector; lines follow each other `ms` apart (1 by default). */
class Lab {
  readonly b = new TraceBuilder();

  constructor(...nodes: string[]) {
    for (const node of nodes) this.detector(node, 'fd_config', SETTINGS);
  }

  get t0(): number {
    return this.b.lines[0].trueMs;
  }

  /** The true time of the last line. */
  get now(): number {
    return this.b.lines.at(-1)!.trueMs;
  }

  detector(node: string, key: string, value: unknown, ms = 1): this {
    this.b.add({ node, kind: 'state', behaviour: 'detector', key, value }, ms);
    return this;
  }

  suspect(observer: string, peer: string, ms = 1, sinceMs = 500): this {
    return this.detector(observer, 'suspect', { peer, sinceMs, method: 'timeout', timeoutMs: 500 }, ms);
  }

  trust(observer: string, peer: string, ms = 1, sinceMs = 900, suspectedForMs = 400): this {
    return this.detector(observer, 'trust', { peer, sinceMs, suspectedForMs }, ms);
  }

  lab(node: string | undefined, kind: string, ms = 1, extra: Record<string, unknown> = {}): this {
    const event = { kind, ...(kind === 'crash' ? { signal: 'SIGKILL' } : {}), ...(kind === 'revive' ? { pid: 4343 } : {}), ...(kind === 'exit' ? { code: 1, signal: null } : {}), ...extra };
    this.b.lab(node, event, ms);
    return this;
  }
}

describe('the truth of each node', () => {
  it('crashed until revived, paused until resumed (a crash while paused continues the same failure)', () => {
    const lab = new Lab('n1', 'n2', 'n3')
      .lab('n2', 'pause', 100)
      .lab('n2', 'crash', 100)
      .lab('n2', 'revive', 100)
      .lab('n3', 'exit', 100)
      .lab('n1', 'resume', 100); // not paused: nothing
    const all = failures(lab.b.lines);
    expect(all.map((f) => [f.node, f.how, f.to === null])).toEqual([
      ['n2', 'paused', false],
      ['n3', 'crashed', true],
    ]);
    expect(all[0].phases.map((p) => p.how)).toEqual(['paused', 'crashed']);
    const truths = new NodeTruths(lab.b.lines);
    const at = (ms: number, seq = 0): { trueMs: number; seq: number } => ({ trueMs: lab.t0 + ms, seq });
    expect([at(2), at(102, 99), at(150), at(250), at(302, 99), at(350)].map((p) => truths.at('n2', p))).toEqual(['alive', 'paused', 'paused', 'crashed', 'alive', 'alive']);
    // The same true time as the pause line, but before it in the trace: still alive.
    expect(truths.at('n2', at(102, 0))).toBe('alive');
    expect(truths.at('n1', at(1000))).toBe('alive');
  });
});

describe('suspicions', () => {
  it('right when the peer was crashed or paused, wrong when it was alive behind a partition', () => {
    const lab = new Lab('n1', 'n2', 'n3')
      .lab(undefined, 'fault', 100, { action: 'set', fault: 'partition n1 n2,n3', links: ['n1-n2', 'n1-n3'] })
      .suspect('n1', 'n2', 500)
      .lab(undefined, 'fault', 100, { action: 'clear', fault: 'partition n1 n2,n3', links: ['n1-n2', 'n1-n3'] })
      .trust('n1', 'n2', 50)
      .lab('n3', 'pause', 100)
      .suspect('n1', 'n3', 500)
      .suspect('n2', 'n3', 10)
      .lab('n3', 'resume', 1000)
      .trust('n1', 'n3', 20)
      .lab('n2', 'crash', 100)
      .suspect('n1', 'n2', 500);
    const found = suspicions(lab.b.lines);
    expect(found.map((s) => [s.observer, s.peer, s.truth, s.right])).toEqual([
      ['n1', 'n2', 'alive', false],
      ['n1', 'n3', 'paused', true],
      ['n2', 'n3', 'paused', true],
      ['n1', 'n2', 'crashed', true],
    ]);
    expect(found[0].sinceMs).toBe(500);
    expect(found[0].endTrueMs! - found[0].trueMs).toBe(150);
    // n2 crashed with its suspicion of n3 open: it ends with no trust; n1's last one is still open.
    expect(found.map((s) => s.endTrueMs === null)).toEqual([false, false, true, true]);
  });

  it('a revived peer suspected later is a wrong suspicion; so is one made because the observer itself was paused', () => {
    const lab = new Lab('n1', 'n2', 'n3')
      .lab('n2', 'crash', 100)
      .suspect('n1', 'n2', 500)
      .lab('n2', 'revive', 1000)
      .trust('n1', 'n2', 100)
      // n2 alive again, but slow: n1 suspects it wrongly.
      .suspect('n1', 'n2', 2000)
      .trust('n1', 'n2', 300)
      // n1 frozen 3 s: on resuming it suspects everyone at once.
      .lab('n1', 'pause', 100)
      .lab('n1', 'resume', 3000)
      .suspect('n1', 'n2', 1, 3000)
      .suspect('n1', 'n3', 0, 3000);
    const found = suspicions(lab.b.lines);
    expect(found.map((s) => [s.peer, s.truth])).toEqual([
      ['n2', 'crashed'],
      ['n2', 'alive'],
      ['n2', 'alive'],
      ['n3', 'alive'],
    ]);
    expect(suspicionSummary(lab.b.lines)).toMatchObject({ suspicions: 4, right: 1, wrong: 3 });
  });

  it('reads only the detector`s lines, skips ones it cannot read, and never throws', () => {
    const lab = new Lab('n1', 'n2');
    lab.b.add({ node: 'n1', kind: 'state', behaviour: 'leader', key: 'suspect', value: { peer: 'n2', sinceMs: 1, method: 'timeout' } });
    lab.detector('n1', 'suspect', { peer: 'n2' }).detector('n1', 'suspect', 'junk').detector('n1', 'trust', { peer: 'n2', sinceMs: 1, suspectedForMs: 1 });
    expect(suspicions(lab.b.lines)).toEqual([]);
    expect(detections(lab.b.lines)).toEqual([]);
    expect(suspicionSummary([])).toEqual({ suspicions: 0, right: 0, wrong: 0, detectionMs: null, missed: 0 });
  });
});

describe('detections', () => {
  it('times each observer`s first suspicion after a failure, and says which it missed', () => {
    const lab = new Lab('n1', 'n2', 'n3', 'n4')
      .lab('n4', 'pause', 100)
      .suspect('n1', 'n4', 500)
      .suspect('n2', 'n4', 100)
      // n3 never suspects it: it resumes first.
      .lab('n4', 'resume', 400)
      .suspect('n3', 'n4', 100);
    const found = detections(lab.b.lines);
    const failedTrueMs = lab.t0 + 103;
    expect(found).toEqual([
      { peer: 'n4', observer: 'n1', failedTrueMs, how: 'paused', recoveredTrueMs: failedTrueMs + 1000, detectedTrueMs: failedTrueMs + 500, detectionMs: 500 },
      { peer: 'n4', observer: 'n2', failedTrueMs, how: 'paused', recoveredTrueMs: failedTrueMs + 1000, detectedTrueMs: failedTrueMs + 600, detectionMs: 600 },
      { peer: 'n4', observer: 'n3', failedTrueMs, how: 'paused', recoveredTrueMs: failedTrueMs + 1000, detectedTrueMs: null, detectionMs: null },
    ]);
    expect(suspicionSummary(lab.b.lines)).toEqual({ suspicions: 3, right: 2, wrong: 1, detectionMs: { median: 550, max: 600 }, missed: 1 });
    expect(suspicionSummary(lab.b.lines, { observer: 'n3' })).toEqual({ suspicions: 1, right: 0, wrong: 1, detectionMs: null, missed: 1 });
  });

  it('only nodes running a detector: no detection of one that never beat, none by a crashed observer', () => {
    const lab = new Lab('n1', 'n2')
      .lab('n3', 'crash', 100) // runs no detector: nobody watched it
      .lab('n2', 'crash', 100)
      .lab('n1', 'crash', 100) // n2 is down: n1's failure has no observer
      .suspect('n9', 'n2', 1);
    expect(detections(lab.b.lines).map((d) => [d.peer, d.observer, d.detectionMs])).toEqual([['n2', 'n1', null]]);
  });

  it('a crash of a peer already suspected (behind a partition) is detected at once', () => {
    const lab = new Lab('n1', 'n2').suspect('n1', 'n2', 600).lab('n2', 'exit', 1000).suspect('n1', 'n2', 5000);
    const [d] = detections(lab.b.lines);
    expect(d).toMatchObject({ peer: 'n2', observer: 'n1', how: 'crashed', detectionMs: 0, recoveredTrueMs: null });
    // The second suspect line repeats an open suspicion: not counted again.
    expect(suspicions(lab.b.lines)).toHaveLength(1);
  });

  it('the summary over a window, for one peer (a sweep row)', () => {
    const lab = new Lab('n1', 'n2', 'n3').lab('n2', 'crash', 100).suspect('n1', 'n2', 300).suspect('n3', 'n2', 100);
    const mid = lab.now;
    lab.lab('n2', 'revive', 100).trust('n1', 'n2', 100).trust('n3', 'n2', 0).suspect('n1', 'n3', 1000).lab('n3', 'crash', 10).suspect('n1', 'n3', 200);
    expect(suspicionSummary(lab.b.lines, { untilTrueMs: mid + 1 })).toEqual({ suspicions: 2, right: 2, wrong: 0, detectionMs: { median: 350, max: 400 }, missed: 0 });
    // n1 already suspected n3 when it crashed (0 ms); n2, revived by then, never did.
    expect(suspicionSummary(lab.b.lines, { sinceTrueMs: mid + 1 })).toEqual({ suspicions: 1, right: 0, wrong: 1, detectionMs: { median: 0, max: 0 }, missed: 1 });
    expect(suspicionSummary(lab.b.lines, { peer: 'n2', observer: 'n1' })).toEqual({ suspicions: 1, right: 1, wrong: 0, detectionMs: { median: 300, max: 300 }, missed: 0 });
  });
});

describe('a window of a trace (a sweep row)', () => {
  it('knows the detectors by the heartbeats they send when their own lines fall outside the window', () => {
    const b = new TraceBuilder();
    b.send('n1', 'n3', 'n1-1', 'fd_beat').send('n3', 'n1', 'n3-1', 'fd_beat');
    b.lab('n3', { kind: 'pause' }, 10);
    b.add({ node: 'n1', kind: 'state', behaviour: 'detector', key: 'suspect', value: { peer: 'n3', sinceMs: 300, method: 'timeout', timeoutMs: 300 } }, 300);
    expect(detections(b.lines).map((d) => [d.observer, d.peer, d.detectionMs])).toEqual([['n1', 'n3', 300]]);
    // Without any sign that n3 ran a detector, its pause is no detector's failure to time.
    const silent = new TraceBuilder();
    silent.send('n1', 'n3', 'n1-1', 'fd_beat');
    silent.lab('n3', { kind: 'pause' }, 10);
    expect(detections(silent.lines)).toEqual([]);
  });
});
