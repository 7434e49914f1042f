/**
 * The run's trace (shell): every line is appended to `trace.ndjson` with a synchronous write as it
 * is let out, before anyone hears of it, so whatever the lab has written survives any crash after
 * it; live subscribers hear each line.
 *
 * Memory is bounded however long the run: only the newest lines are kept (`TraceTail`, by lines
 * and bytes) with the byte offset of every 64th line (`TraceOffsets`); a question about older
 * lines reads them back from the file, and a replay streams them from it (`linesAfter`).
 *
 * Lines leave in causal order (`CausalBuffer`): a line a node reported waits until everything it
 * causally depends on (the node's earlier lines, the send of a message it receives, whatever its
 * vector clock has seen) is written, so the file and every view of it are a linear extension of
 * happened-before; seq numbers are given as lines are written, so they follow the file. A line
 * waits at most `maxHoldMs`, and for nothing of a node whose control channel has closed.
 *
 * What leaves together is written together: the lines one frame (or one flush) lets out are one
 * write, not one each.
 */
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ClockStamp, LabTraceEvent, NodeId, NodeTraceEvent, TraceLine } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';
import { CausalBuffer, type CausalItem } from './causal-buffer.js';
import { readLines, readLinesSync } from './trace-file-reader.js';
import { TraceOffsets } from './trace-offsets.js';
import { matchesTrace, type TraceFilter } from './trace-query.js';
import { TraceSequencer } from './trace-sequencer.js';
import { TraceTail } from './trace-tail.js';

/** What is kept in memory of the newest lines, by default (the rest is read from the file). */
export const TAIL_MAX_LINES = 10_000;
export const TAIL_MAX_BYTES = 4 * 1024 * 1024;

type Entry =
  | { readonly from: 'node'; readonly node: NodeId; readonly clocks: ClockStamp; readonly event: NodeTraceEvent }
  | { readonly from: 'lab'; readonly node?: NodeId; readonly trueMs: number; readonly event: LabTraceEvent };

export type TraceListener = (line: TraceLine) => void;

/** A line of the file as it is written there: its seq and its JSON text. */
export interface RawTraceLine {
  readonly seq: number;
  readonly json: string;
}

export interface TraceRecorderOptions {
  maxHoldMs?: number;
  onForced?: (line: TraceLine) => void;
  /** At most this many of the newest lines are kept in memory (default TAIL_MAX_LINES). */
  tailLines?: number;
  /** …and at most this many bytes of them (default TAIL_MAX_BYTES). */
  tailBytes?: number;
}

export class TraceRecorder {
  private readonly sequencer = new TraceSequencer();
  private readonly tail: TraceTail;
  private readonly offsets = new TraceOffsets();
  /** The file's length: where the next line goes. */
  private bytes: number;
  private lastWritten = 0;
  private readonly listeners = new Set<TraceListener>();
  private readonly buffer: CausalBuffer<Entry>;
  /** Lines let out and not yet written; what runs once they are. */
  private outbox: TraceLine[] = [];
  private afterWrite: (() => void)[] = [];
  private writing = false;
  private timer?: NodeJS.Timeout;
  private fd: number | undefined;

  constructor(
    readonly file: string,
    options: TraceRecorderOptions = {},
  ) {
    this.fd = openSync(file, 'a');
    this.bytes = fstatSync(this.fd).size;
    this.tail = new TraceTail(options.tailLines ?? TAIL_MAX_LINES, options.tailBytes ?? TAIL_MAX_BYTES);
    this.buffer = new CausalBuffer<Entry>((entry, forced) => {
      const line = entry.from === 'node' ? this.sequencer.nodeLine(entry.node, entry.clocks, entry.event) : this.sequencer.labLine(entry.event, entry.trueMs, entry.node);
      this.outbox.push(line);
      if (forced) options.onForced?.(line);
    }, options.maxHoldMs);
  }

  /** How long a line may wait for its causes. */
  get maxHoldMs(): number {
    return this.buffer.maxHoldMs;
  }

  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  /** The seq of the last line in the file (lines get their seq just before they are written). */
  get writtenSeq(): number {
    return this.lastWritten;
  }

  clocksOf(node: NodeId): ClockStamp | undefined {
    return this.sequencer.clocksOf(node);
  }

  /** Records events a node reported, in the node's order, once their causes are written; nothing once closed. */
  nodeEvents(node: NodeId, events: readonly { clocks: ClockStamp; event: NodeTraceEvent }[]): void {
    if (this.fd === undefined) return;
    this.buffer.push(events.map(({ clocks, event }) => nodeItem(node, clocks, event)), performance.now());
    this.settle();
  }

  /** Records an event the lab observed (at `trueMs`, default now), after the lines of `node` that wait; nothing once closed. */
  lab(event: LabTraceEvent, options: { node?: NodeId; trueMs?: number } = {}): void {
    if (this.fd === undefined) return;
    const entry: Entry = { from: 'lab', node: options.node, trueMs: options.trueMs ?? Date.now(), event };
    this.buffer.push([{ value: entry, node: options.node }], performance.now());
    this.settle();
  }

  /** `node`'s control channel closed: nothing more of it will come, so nothing waits for it. */
  nodeClosed(node: NodeId): void {
    this.buffer.closed(node, performance.now());
    this.settle();
  }

  /** `node` has a control channel again (a new life). */
  nodeOpened(node: NodeId): void {
    this.buffer.opened(node);
  }

  /** Calls `fn` once every line of `node` recorded so far is written (at once if none waits). */
  whenWritten(node: NodeId, fn: () => void): void {
    let now = true;
    this.buffer.whenSettled(node, () => {
      if (now) fn();
      else this.afterWrite.push(fn);
    });
    now = false;
  }

  /**
   * The lines (after `filter.since`, matching the rest of `filter`), oldest first: from memory
   * when they are all among the newest, else read back from the file too (a whole long run is
   * as big as its file: ask for what is needed).
   */
  lines(filter: TraceFilter = {}): TraceLine[] {
    const since = filter.since ?? 0;
    const recent = this.tail.after(since);
    const picked = this.tail.covers(since) ? recent : this.readOlder(since).concat(recent);
    return Object.keys(filter).length === 0 ? picked : picked.filter((l) => matchesTrace(l, filter));
  }

  /**
   * The lines after `since` that are in the file now, as written there, read a chunk at a time
   * as the caller takes them (a replay to a slow client holds one chunk, not the trace).
   */
  async *linesAfter(since: number): AsyncGenerator<RawTraceLine> {
    const start = this.offsets.startFor(since);
    for await (const json of readLines(this.file, start.offset, this.bytes)) {
      const seq = seqOf(json);
      if (seq > since) yield { seq, json };
    }
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

  /** Writes what still waits, then stops writing; later events are dropped. */
  close(): void {
    if (this.fd === undefined) return;
    clearTimeout(this.timer);
    this.buffer.drain();
    this.settle();
    closeSync(this.fd);
    this.fd = undefined;
    this.listeners.clear();
  }

  /**
   * Writes what the buffer let out, then runs what waited for it, and arms a timer for the next
   * line whose hold runs out. A subscriber that records more (the proxy's gate) adds to the outbox,
   * which this same loop writes.
   */
  private settle(): void {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.outbox.length > 0 || this.afterWrite.length > 0) {
        const lines = this.outbox;
        this.outbox = [];
        this.append(lines);
        const after = this.afterWrite;
        this.afterWrite = [];
        for (const fn of after) fn();
      }
    } finally {
      this.writing = false;
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer || this.fd === undefined) return;
    const deadline = this.buffer.nextDeadline();
    if (deadline === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.buffer.flush(performance.now());
      this.settle();
    }, Math.max(1, deadline - performance.now()));
    this.timer.unref();
  }

  /** Writes `lines` (one write), keeps the newest, then tells the subscribers, line by line. */
  private append(lines: TraceLine[]): void {
    if (this.fd === undefined || lines.length === 0) return;
    let text = '';
    let at = this.bytes;
    for (const line of lines) {
      const json = `${JSON.stringify(line)}\n`;
      const size = Buffer.byteLength(json);
      this.offsets.add(line.seq, at);
      this.tail.push(line, size);
      at += size;
      text += json;
    }
    // A file takes a whole write; should it not (a full disk), the rest is written after it.
    const written = writeSync(this.fd, text);
    const bytes = Buffer.byteLength(text);
    if (written < bytes) {
      const rest = Buffer.from(text).subarray(written);
      for (let at = 0; at < rest.length; ) at += writeSync(this.fd, rest, at);
    }
    this.bytes = at;
    this.lastWritten = lines[lines.length - 1].seq;
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
  }

  /** The lines after `since` that are no longer kept in memory, read from the file. */
  private readOlder(since: number): TraceLine[] {
    const start = this.offsets.startFor(since);
    const end = this.bytes - this.tail.bytes;
    const lines: TraceLine[] = [];
    for (const json of readLinesSync(this.file, start.offset, end)) {
      const line = JSON.parse(json) as TraceLine;
      if (line.seq > since) lines.push(line);
    }
    return lines;
  }
}

/** A written line's seq: its first field, as `JSON.stringify` of a sequencer's line puts it. */
function seqOf(json: string): number {
  const found = /^\{"seq":([0-9]+)[,}]/.exec(json);
  return found ? Number(found[1]) : (JSON.parse(json) as TraceLine).seq;
}

function nodeItem(node: NodeId, clocks: ClockStamp, event: NodeTraceEvent): CausalItem<Entry> {
  return {
    value: { from: 'node', node, clocks, event },
    node,
    vc: clocks.vc,
    ...(event.kind === 'receive' ? { after: { node: event.from, msg: event.msg } } : {}),
    ...(event.kind === 'send' ? { sends: event.msg } : {}),
  };
}
