/**
 * A run as a ShiViz log (pure; https://bestchai.bitbucket.io/shiviz/). Each event is two lines, the
 * description, then `host {"host": n, …}`, parsed with the regex on the first line of the export.
 * ShiViz's rules: every clock has the host's own key; a host's own entry starts at 1 and rises by
 * exactly 1 per event it logs; a receive's clock is at least its send's. The lab's own clocks tick
 * on events the export may leave out (heartbeats), so the clocks are computed afresh over the
 * events exported: per node in its order, each receive merged with its send's.
 */
import type { TraceLine } from '@faultline/protocol';
import { isNodeEvent } from './causality.js';

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

/** The log text: the regex line, a blank line, then two lines per event. */
export function toShiviz(lines: readonly TraceLine[], options: ShivizOptions = {}): string {
  const hide = options.hideHeartbeats ?? true;
  const heartbeat = (l: TraceLine): boolean => (l.kind === 'send' || l.kind === 'receive') && l.msgType === 'heartbeat';
  // Node events, and what happened to the processes (drawn on the node's own line), in true time.
  const events = [...lines]
    .filter((l) => (isNodeEvent(l) || (PROCESS_KINDS.has(l.kind) && l.node !== undefined)) && !(hide && heartbeat(l)))
    .sort((a, b) => a.trueMs - b.trueMs || a.seq - b.seq);
  const sentClock = new Map<string, Record<string, number>>();
  const clocks = new Map<string, Record<string, number>>();
  const out: string[] = [];
  // A receive may come before its send in true-time order only through clock error between
  // processes; its send is then taken first so the receive can merge it.
  const pending = new Map<string, TraceLine[]>();
  const emit = (l: TraceLine): void => {
    const host = l.node!;
    const vc = { ...(clocks.get(host) ?? {}) };
    if (l.kind === 'receive') {
      const sent = sentClock.get(l.msg);
      if (sent) for (const [k, v] of Object.entries(sent)) vc[k] = Math.max(vc[k] ?? 0, v);
    }
    vc[host] = (vc[host] ?? 0) + 1;
    clocks.set(host, vc);
    if (l.kind === 'send') {
      sentClock.set(l.msg, vc);
      for (const waiting of pending.get(l.msg) ?? []) emit(waiting);
      pending.delete(l.msg);
    }
    out.push(`${describe(l)} [#${l.seq}]`, `${host} ${JSON.stringify(vc)}`);
  };
  const sends = new Set(events.flatMap((l) => (l.kind === 'send' ? [l.msg] : [])));
  for (const l of events) {
    if (l.kind === 'receive' && sends.has(l.msg) && !sentClock.has(l.msg)) {
      pending.set(l.msg, [...(pending.get(l.msg) ?? []), l]);
      continue;
    }
    emit(l);
  }
  for (const waiting of pending.values()) for (const l of waiting) emit(l);
  return `${SHIVIZ_REGEX}\n\n${out.join('\n')}\n`;
}

/** ShiViz's rules, checked on a log (what the tests assert, and the page before it offers a download). */
export function checkShiviz(text: string): string[] {
  const problems: string[] = [];
  const body = text.replace(/\n+$/, '').split('\n').slice(2);
  const own = new Map<string, number>();
  const clocksSeen: Record<string, number>[] = [];
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
    clocksSeen.push(vc);
  }
  if (body.length % 2 !== 0) problems.push('the log ends in the middle of an event');
  return problems;
}
