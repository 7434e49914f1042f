/**
 * A run as a ShiViz log (pure; https://bestchai.bitbucket.io/shiviz/). Each event is two lines, the
 * description, then `host {"host": n, …}`, parsed with the regex on the first line of the export.
 * ShiViz's rules: every clock has the host's own key; a host's own entry starts at 1 and rises by
 * exactly 1 per event it logs; a receive comes after its send and its clock is at least the send's. The lab's own clocks tick
 * on events the export may leave out (heartbeats), so the clocks are computed afresh over the
 * events exported: per node in its order, each receive merged with its send's.
 */
import { isNodeEvent, type TraceLine } from '@faultline/protocol';
import { isHeartbeat } from '@faultline/checkers';

/** The parser regex ShiViz is given (its "log parsing" box), and the separator of runs. */
export const SHIVIZ_REGEX = '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})';

export interface ShivizOptions {
  /** Leave out heartbeats (their sends and receives), default true. */
  readonly hideHeartbeats?: boolean;
}

const PROCESS_KINDS = new Set(['crash', 'pause', 'resume', 'revive']);

function describe(line: TraceLine): string {
  switch (line.kind) {
    case 'send':
      return `send ${line.msgType} ${line.msg} to ${line.to}`;
    case 'receive':
      return `receive ${line.msgType} ${line.msg} from ${line.from}`;
    case 'state':
      return `${line.behaviour} ${line.key} ${JSON.stringify(line.value)}`;
    case 'rpc_timeout':
      return `timeout waiting for ${line.msg}`;
    case 'proxy':
      return `proxy ${line.action} ${String(line.msg ?? '')}`;
    default:
      return line.kind.replace('_', ' ');
  }
}

/**
 * The order events are logged in: each node's own events in its own order (by its own clock
 * entry, incarnation by incarnation: a revived node counts from 1 again), and a receive never
 * before its send. True time only breaks ties between nodes: lines from two processes can share a
 * millisecond, and reach the lab in either order.
 */
function logOrder(events: readonly TraceLine[]): TraceLine[] {
  const byHost = new Map<string, TraceLine[]>();
  for (const l of [...events].sort((a, b) => a.trueMs - b.trueMs || a.seq - b.seq)) byHost.set(l.node!, [...(byHost.get(l.node!) ?? []), l]);
  const queues = [...byHost.values()].map((list) => {
    // Incarnations by node_start, then the node's own clock entry within each; process events
    // (no clock) keep their place in true time.
    let incarnation = 0;
    const keyed = list.map((l, i) => {
      if (l.kind === 'node_start' && i > 0) incarnation += 1;
      return { l, incarnation, own: l.clocks ? (l.clocks.vc[l.node!] ?? 0) : undefined, i };
    });
    let lastOwn = 0;
    for (const k of keyed) if (k.own === undefined) k.own = lastOwn + 0.5;
    else lastOwn = k.own;
    return keyed.sort((a, b) => a.incarnation - b.incarnation || a.own! - b.own! || a.i - b.i).map((k) => k.l);
  });
  const sends = new Set(events.flatMap((l) => (l.kind === 'send' ? [l.msg] : [])));
  const logged = new Set<string>();
  const out: TraceLine[] = [];
  const ready = (l: TraceLine): boolean => l.kind !== 'receive' || !sends.has(l.msg) || logged.has(l.msg);
  while (queues.some((q) => q.length > 0)) {
    const heads = queues.filter((q) => q.length > 0);
    // The earliest head that may go now; if none may (clocks that contradict), the earliest.
    const pick = heads.filter((q) => ready(q[0])).sort((a, b) => a[0].trueMs - b[0].trueMs || a[0].seq - b[0].seq)[0] ?? heads.sort((a, b) => a[0].trueMs - b[0].trueMs)[0];
    const l = pick.shift()!;
    if (l.kind === 'send') logged.add(l.msg);
    out.push(l);
  }
  return out;
}

/** The log text: the regex line, a blank line, then two lines per event. */
export function toShiviz(lines: readonly TraceLine[], options: ShivizOptions = {}): string {
  const hide = options.hideHeartbeats ?? true;
  const heartbeat = (l: TraceLine): boolean => (l.kind === 'send' || l.kind === 'receive') && isHeartbeat(l);
  // Node events, and what happened to the processes (drawn on the node's own line).
  const events = logOrder(lines.filter((l) => (isNodeEvent(l) || (PROCESS_KINDS.has(l.kind) && l.node !== undefined)) && !(hide && heartbeat(l))));
  const sentClock = new Map<string, Record<string, number>>();
  const clocks = new Map<string, Record<string, number>>();
  const out: string[] = [];
  for (const l of events) {
    const host = l.node!;
    const vc = { ...(clocks.get(host) ?? {}) };
    if (l.kind === 'receive') {
      const sent = sentClock.get(l.msg);
      if (sent) for (const [k, v] of Object.entries(sent)) vc[k] = Math.max(vc[k] ?? 0, v);
    }
    vc[host] = (vc[host] ?? 0) + 1;
    clocks.set(host, vc);
    if (l.kind === 'send') sentClock.set(l.msg, vc);
    out.push(`${describe(l)} [#${l.seq}]`, `${host} ${JSON.stringify(vc)}`);
  }
  return `${SHIVIZ_REGEX}\n\n${out.join('\n')}\n`;
}

/** ShiViz's rules, checked on a log (what the tests assert, and the page before it offers a download). */
export function checkShiviz(text: string): string[] {
  const problems: string[] = [];
  const body = text.replace(/\n+$/, '').split('\n').slice(2);
  const own = new Map<string, number>();
  const sent = new Map<string, Record<string, number>>();
  const sendsAnywhere = new Set(body.flatMap((l) => /^send \S+ (\S+) to \S+ \[#\d+\]$/.exec(l)?.slice(1, 2) ?? []));
  for (let i = 0; i + 1 < body.length; i += 2) {
    const m = /^(\S*) (\{.*\})$/.exec(body[i + 1]);
    if (!m) {
      problems.push(`line ${i + 4}: expected "host {clock}", got ${JSON.stringify(body[i + 1])}`);
      continue;
    }
    const [, host, json] = m;
    let vc: Record<string, number>;
    try {
      vc = JSON.parse(json) as Record<string, number>;
    } catch {
      problems.push(`line ${i + 4}: the clock is not JSON`);
      continue;
    }
    if (!(host in vc)) problems.push(`line ${i + 4}: the clock has no entry for its host ${host}`);
    const expected = (own.get(host) ?? 0) + 1;
    if (vc[host] !== expected) problems.push(`line ${i + 4}: ${host}'s own entry is ${vc[host]}, expected ${expected}`);
    own.set(host, vc[host]);
    // A receive's clock is at least its send's, and its send was logged before it.
    const what = /^(send|receive) \S+ (\S+) (?:to|from) \S+ \[#\d+\]$/.exec(body[i]);
    if (what?.[1] === 'send') sent.set(what[2], vc);
    else if (what?.[1] === 'receive') {
      const s = sent.get(what[2]);
      if (s && !Object.entries(s).every(([k, v]) => (vc[k] ?? 0) >= v)) problems.push(`line ${i + 4}: the receive of ${what[2]} is not after its send by the clocks`);
      if (!s && sendsAnywhere.has(what[2])) problems.push(`line ${i + 3}: ${what[2]} is received before it is sent`);
    }
  }
  if (body.length % 2 !== 0) problems.push('the log ends in the middle of an event');
  return problems;
}
