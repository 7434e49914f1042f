/**
 * The run as the page knows it (pure): every trace line, in true-time order, indexed for drawing
 * and for questions, and the lab's state that the lines imply: each node's state and last clocks,
 * each link's faults. Fed line by line (live, or replaying a saved trace); never reads a clock.
 */
import type { ClockStamp, NodeId, TraceLine } from '@faultline/protocol';

export type NodeState = 'starting' | 'up' | 'paused' | 'killed' | 'reviving' | 'exited';

export interface NodeView {
  readonly id: NodeId;
  state: NodeState;
  pid?: number;
  /** The last clocks the node reported (wall = its skewed clock). */
  clocks?: ClockStamp;
  offsetMs: number;
  driftPpm: number;
}

export interface LinkView {
  readonly name: string;
  readonly from: NodeId;
  readonly to: NodeId;
  /** Set by a partition or a block (the fault line's words), undefined when the link is whole. */
  cut?: string;
  /** Which of the two cuts it: kept apart because a new partition ends the old one, not a block. */
  partitioned?: string;
  blocked?: string;
  /** The link faults in words (`drop 100%`, `latency 200ms`). */
  faults: string[];
  held: boolean;
}

/** One message: its send, its receives (two for a duplicate), and what the proxy did to it. */
export interface MessageView {
  readonly msg: string;
  send?: TraceLine;
  readonly receives: TraceLine[];
  readonly proxy: TraceLine[];
}

/** A time band during which a partition or block cut some links. */
export interface CutBand {
  readonly fault: string;
  readonly links: readonly string[];
  readonly fromMs: number;
  toMs?: number;
}

const LINK_PREFIX = /^link (\S+) /;
const PROCESS_KINDS = new Set(['node_start', 'crash', 'exit', 'pause', 'resume', 'revive']);

export class TraceModel {
  readonly lines: TraceLine[] = [];
  /** The same lines in the order they reached the model (so a view can catch up on what is new). */
  readonly arrivals: TraceLine[] = [];
  readonly nodes = new Map<NodeId, NodeView>();
  readonly links = new Map<string, LinkView>();
  readonly messages = new Map<string, MessageView>();
  readonly cuts: CutBand[] = [];
  /** Per node, the true time of each of its events, sorted (the zoomed-out view counts them). */
  readonly times = new Map<NodeId, number[]>();
  /** The lines that are not plain sends and receives (crashes, drops, timeouts, faults …), in true-time order. */
  readonly special: TraceLine[] = [];
  /** Per node, its process events (start, crash, pause, resume, revive, exit), in arrival order. */
  readonly transitions = new Map<NodeId, { trueMs: number; kind: TraceLine['kind'] }[]>();
  /** Per node, its wall clock's offset from true time at each event it reported, in true-time order. */
  readonly offsets = new Map<NodeId, { trueMs: number; offsetMs: number }[]>();
  seed?: string;
  /** Bumped on every change, so a view can tell it must redraw. */
  version = 0;
  private bySeq = new Map<number, TraceLine>();

  /** The nodes `n1 … nN` and their links, before any line (from the run's config or the lab's status). */
  declareNodes(count: number): void {
    for (let i = 1; i <= count; i++) this.nodeView(`n${i}`);
  }

  get firstMs(): number {
    return this.lines[0]?.trueMs ?? 0;
  }

  get lastMs(): number {
    return this.lines.at(-1)?.trueMs ?? 0;
  }

  line(seq: number): TraceLine | undefined {
    return this.bySeq.get(seq);
  }

  /** Adds lines (in any order: each goes to its place by true time, seq breaking ties). */
  add(lines: readonly TraceLine[]): void {
    for (const line of lines) this.addOne(line);
    if (lines.length > 0) this.version += 1;
  }

  /** The index of the first line at or after `ms` (binary search on true time). */
  indexAt(ms: number): number {
    let lo = 0;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lines[mid].trueMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** What `node`'s wall clock read at true time `trueMs` (its offset at its last event before then). */
  wallAt(node: NodeId, trueMs: number): number | undefined {
    const list = this.offsets.get(node);
    if (!list || list.length === 0) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].trueMs <= trueMs) lo = mid + 1;
      else hi = mid;
    }
    return trueMs + list[Math.max(0, lo - 1)].offsetMs;
  }

  nodeIds(): NodeId[] {
    return [...this.nodes.keys()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  }

  private addOne(line: TraceLine): void {
    if (this.bySeq.has(line.seq)) return;
    this.bySeq.set(line.seq, line);
    this.arrivals.push(line);
    const last = this.lines.at(-1);
    if (!last || last.trueMs < line.trueMs || (last.trueMs === line.trueMs && last.seq < line.seq)) this.lines.push(line);
    else {
      let i = this.lines.length;
      while (i > 0 && (this.lines[i - 1].trueMs > line.trueMs || (this.lines[i - 1].trueMs === line.trueMs && this.lines[i - 1].seq > line.seq))) i--;
      this.lines.splice(i, 0, line);
    }
    if (line.node) {
      const times = this.times.get(line.node) ?? [];
      insertSorted(times, line.trueMs, (x) => x);
      this.times.set(line.node, times);
    }
    if (line.kind !== 'send' && line.kind !== 'receive') insertSorted(this.special, line, (l) => l.trueMs);
    this.apply(line);
  }

  private nodeView(id: NodeId): NodeView {
    let n = this.nodes.get(id);
    if (!n) {
      n = { id, state: 'starting', offsetMs: 0, driftPpm: 0 };
      for (const other of this.nodes.keys()) {
        for (const [from, to] of [[id, other], [other, id]]) this.links.set(`${from}-${to}`, { name: `${from}-${to}`, from, to, faults: [], held: false });
      }
      this.nodes.set(id, n);
    }
    return n;
  }

  private message(msg: string): MessageView {
    let m = this.messages.get(msg);
    if (!m) {
      m = { msg, receives: [], proxy: [] };
      this.messages.set(msg, m);
    }
    return m;
  }

  /** What a line changes in the lab's state. */
  private apply(line: TraceLine): void {
    const node = line.node ? this.nodeView(line.node) : undefined;
    if (node && line.clocks && (!node.clocks || node.clocks.trueMs <= line.clocks.trueMs)) node.clocks = line.clocks;
    if (line.node && line.clocks && line.kind !== 'proxy') {
      const list = this.offsets.get(line.node) ?? [];
      const entry = { trueMs: line.clocks.trueMs, offsetMs: line.clocks.wallMs - line.clocks.trueMs };
      if (list.length === 0 || list[list.length - 1].trueMs <= entry.trueMs) list.push(entry);
      this.offsets.set(line.node, list);
    }
    if (line.node && PROCESS_KINDS.has(line.kind)) {
      const list = this.transitions.get(line.node) ?? [];
      list.push({ trueMs: line.trueMs, kind: line.kind });
      list.sort((a, b) => a.trueMs - b.trueMs);
      this.transitions.set(line.node, list);
    }
    switch (line.kind) {
      case 'run_start': {
        this.seed = line.seed;
        const n = Number((line.config as { nodes?: unknown }).nodes);
        if (Number.isInteger(n) && n > 0 && n <= 50) this.declareNodes(n);
        return;
      }
      case 'node_start':
        node!.state = 'up';
        node!.pid = line.pid;
        return;
      case 'crash':
        node!.state = 'killed';
        return;
      case 'exit':
        if (node!.state !== 'killed') node!.state = 'exited';
        return;
      case 'pause':
        node!.state = 'paused';
        return;
      case 'resume':
        node!.state = 'up';
        return;
      case 'revive':
        node!.state = 'reviving';
        node!.pid = line.pid;
        return;
      case 'clock_change':
        node!.offsetMs = line.offsetMs;
        node!.driftPpm = line.driftPpm;
        return;
      case 'send':
        this.message(line.msg).send = line;
        return;
      case 'receive':
        this.message(line.msg).receives.push(line);
        return;
      case 'proxy':
        if (line.msg !== undefined) this.message(String(line.msg)).proxy.push(line);
        return;
      case 'fault':
        this.fault(line);
        return;
      default:
        return;
    }
  }

  private fault(line: Extract<TraceLine, { kind: 'fault' }>): void {
    const links = line.links.map((l) => this.links.get(l)).filter((l): l is LinkView => l !== undefined);
    const words = line.fault;
    if (line.action === 'set' && /^(partition|block)\b/.test(words)) {
      // A partition replaces the last partition; a block adds to what is cut (as the lab keeps them).
      if (words.startsWith('partition')) {
        this.endCuts(line.trueMs, (b) => b.fault.startsWith('partition'));
        for (const l of this.links.values()) {
          l.partitioned = undefined;
          l.cut = l.blocked;
        }
        for (const l of links) l.partitioned = words;
      } else for (const l of links) l.blocked = words;
      for (const l of links) l.cut = l.blocked ?? l.partitioned;
      this.cuts.push({ fault: words, links: line.links, fromMs: line.trueMs });
    } else if (line.action === 'clear' && words === 'heal') {
      for (const l of this.links.values()) l.cut = l.blocked = l.partitioned = undefined;
      this.endCuts(line.trueMs, () => true);
    } else if (words.startsWith('hold ')) {
      for (const l of links) l.held = line.action === 'set';
    } else if (words.startsWith('release ')) {
      for (const l of links) l.held = false;
    } else if (words.startsWith('link clear')) {
      // Clearing a link's faults removes its hold too.
      for (const l of links) {
        l.faults = [];
        l.held = false;
      }
    } else if (line.action === 'set' && LINK_PREFIX.test(words)) {
      const what = words.replace(LINK_PREFIX, '').replace(/^both /, '');
      for (const l of links) l.faults = mergeFaults(l.faults, what.split(', '));
    }
  }

  private endCuts(atMs: number, which: (b: CutBand) => boolean): void {
    for (const band of this.cuts) if (band.toMs === undefined && which(band)) band.toMs = atMs;
  }
}

/** `drop 10%` replaces an earlier `drop …`; `no drop` removes it. */
function mergeFaults(old: string[], changes: string[]): string[] {
  const byKind = new Map(old.map((f) => [f.split(' ')[0], f]));
  for (const c of changes) {
    if (c.startsWith('no ')) byKind.delete(c.slice(3));
    else byKind.set(c.split(' ')[0], c);
  }
  return [...byKind.values()];
}

/** Appends `value` to a list sorted by `key`, or puts it in its place if it is out of order. */
function insertSorted<T>(list: T[], value: T, key: (v: T) => number): void {
  const k = key(value);
  let i = list.length;
  while (i > 0 && key(list[i - 1]) > k) i--;
  if (i === list.length) list.push(value);
  else list.splice(i, 0, value);
}

/** The index of the first element of a sorted list whose key is ≥ `ms`. */
export function lowerBound<T>(list: readonly T[], ms: number, key: (v: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(list[mid]) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
