/**
 * The run's trace (shell): every line is appended to `trace.ndjson` with a synchronous write as it
 * is made, before anyone hears of it, so whatever the lab has heard survives any crash after it;
 * an in-memory copy answers queries, and live subscribers hear each line.
 *
 * What arrived together is written together: the events of one control frame (a node's batch,
 * up to `MAX_BATCH` of them) are one write, not one each. Nothing is held for later, so a line is
 * on disk (in the OS's file cache, as with one write a line) before the coordinator reads the next
 * frame or acts on the reply that follows it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ClockStamp, LabTraceEvent, NodeId, NodeTraceEvent, TraceLine } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';
import { matchesTrace, type TraceFilter } from './trace-query.js';
import { TraceSequencer } from './trace-sequencer.js';

export type TraceListener = (line: TraceLine) => void;

export class TraceRecorder {
  private readonly sequencer = new TraceSequencer();
  private readonly all: TraceLine[] = [];
  private readonly listeners = new Set<TraceListener>();
  private fd: number | undefined;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  clocksOf(node: NodeId): ClockStamp | undefined {
    return this.sequencer.clocksOf(node);
  }

  /** Records an event a node reported; undefined once the recorder is closed. */
  node(node: NodeId, clocks: ClockStamp, event: NodeTraceEvent): TraceLine | undefined {
    return this.nodeEvents(node, [{ clocks, event }])[0];
  }

  /** Records events a node reported, in order, with one write; none once the recorder is closed. */
  nodeEvents(node: NodeId, events: readonly { clocks: ClockStamp; event: NodeTraceEvent }[]): TraceLine[] {
    if (this.fd === undefined) return [];
    return this.append(events.map(({ clocks, event }) => this.sequencer.nodeLine(node, clocks, event)));
  }

  /** Records an event the lab observed (at `trueMs`, default now); undefined once closed. */
  lab(event: LabTraceEvent, options: { node?: NodeId; trueMs?: number } = {}): TraceLine | undefined {
    if (this.fd === undefined) return undefined;
    return this.append([this.sequencer.labLine(event, options.trueMs ?? Date.now(), options.node)])[0];
  }

  lines(filter: TraceFilter = {}): TraceLine[] {
    // Lines are in seq order, so `since` can skip the head without looking at it.
    const start = filter.since === undefined ? 0 : this.firstAfter(filter.since);
    const tail = this.all.slice(start);
    return Object.keys(filter).length === 0 ? tail : tail.filter((l) => matchesTrace(l, filter));
  }

  /** Calls `listener` with every new line until the returned function is called. */
  subscribe(listener: TraceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first line after `since` (default: any line so far) that satisfies `predicate`. */
  waitFor(predicate: (line: TraceLine) => boolean, options: { since?: number; timeoutMs?: number; what?: string } = {}): Promise<TraceLine> {
    const found = this.lines({ since: options.since }).find(predicate);
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new FaultlineError('timeout', `no trace line ${options.what ?? 'matched'} within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.subscribe((line) => {
        if (!predicate(line)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(line);
      });
    });
  }

  /** Stops writing; later events are dropped. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    this.listeners.clear();
  }

  /** Writes `lines` (one write), keeps them, then tells the subscribers, line by line. */
  private append(lines: TraceLine[]): TraceLine[] {
    if (this.fd === undefined || lines.length === 0) return lines;
    let text = '';
    for (const line of lines) text += `${JSON.stringify(line)}\n`;
    // A file takes a whole write; should it not (a full disk), the rest is written after it.
    const written = writeSync(this.fd, text);
    const bytes = Buffer.byteLength(text);
    if (written < bytes) {
      const rest = Buffer.from(text).subarray(written);
      for (let at = 0; at < rest.length; ) at += writeSync(this.fd, rest, at);
    }
    for (const line of lines) this.all.push(line);
    const listeners = [...this.listeners];
    for (const line of lines) {
      for (const listener of listeners) {
        // One that unsubscribed while an earlier line of these was told hears no more of them.
        if (!this.listeners.has(listener)) continue;
        try {
          listener(line);
        } catch {
          // A broken subscriber must not stop the trace.
        }
      }
    }
    return lines;
  }

  private firstAfter(seq: number): number {
    let lo = 0;
    let hi = this.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.all[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
