/**
 * The message accounting (pure): what became of every message of a run, read from its trace alone.
 * A message is a `send` line (or a `failed_send`: refused before it left), told apart by its id,
 * which carries the sender's incarnation (`n2.2-7`), so ids are unique in a run. Each gets one fate,
 * the first of these that explains it:
 *
 * - `delivered`: a `receive` line with its id (more than one: duplicates, see below);
 * - `failed_send`: the sender refused it, its link was down (a `failed_send` line);
 * - `cut_link`: a line of the trace says it was sent into a cut link (`cutMessageOf`, below: by
 *   default faultline's proxy line `dropped` with reason `cut`);
 * - `dropped`: the proxy dropped it (a `proxy` line, action `dropped`), by the toxic named by the
 *   last `fault` line on its link that set one (`link n1-n2 drop 20%`);
 * - `held_at_end`: the proxy held it (`held`) and neither released nor dropped it before the end;
 * - `cut_link_by_fault_window`: (a proxy that names no message it cuts: a real Toxiproxy) its link was cut (a `partition` or `block` fault line, until `heal`)
 *   when it was sent, or just before (`cutLeadMs`: the cut takes effect before its line is written);
 * - `dead_process`: its receiver was down when it was sent (killed or exited, not yet revived), or
 *   its sender or receiver was killed or exited after it was sent;
 * - `broken_connection`: its sender reported the link down (`peer_down`) after it was sent;
 * - `unexplained`: none of these.
 *
 * Links carry messages in order (one TCP connection), so a loss is not put down to a later cut,
 * crash or broken connection when a message sent after it on the same link arrived before that
 * event: the link was still working after it. (The `reorder` fault breaks this order; a run with it
 * may show losses as unexplained that a delay explains.)
 *
 * Receives beyond the first are duplicates; each should have a `duplicated` proxy line. Receives
 * of an id the trace never sent are listed too.
 */
import type { TraceLine } from '@faultline/protocol';
import { cutWindows, type CutWindow } from './cut-windows.js';

export const MESSAGE_FATES = [
  'delivered',
  'failed_send',
  'dropped',
  'held_at_end',
  'cut_link',
  'cut_link_by_fault_window',
  'dead_process',
  'broken_connection',
  'unexplained',
] as const;
export type MessageFate = (typeof MESSAGE_FATES)[number];

export interface MessageRecord {
  readonly msg: string;
  readonly from: string;
  readonly to: string;
  readonly msgType: string;
  /** The seq of its `send` (or `failed_send`) line. */
  readonly seq: number;
  readonly fate: MessageFate;
  /** What explains it, in words (`proxy dropped it: link n1-n2 drop 20%`, `n3 crash (SIGKILL) #812`). */
  readonly because: string;
}

export interface AccountingOptions {
  /** Only messages sent at or before this seq are accounted (the end of a run's load); later ones are `notCounted`. */
  readonly untilSeq?: number;
  /** How long before its `fault` line a cut may already be in force (default 1000 ms). */
  readonly cutLeadMs?: number;
  /**
   * The id of the message a line says was sent into a cut link, or undefined. The default reads
   * faultline's proxy line for it: action `dropped` with reason `cut` (the `ws_cut` toxic's).
   */
  readonly cutMessageOf?: (line: TraceLine) => string | undefined;
}

export interface MessageAccounting {
  /** Messages accounted: sends and failed sends up to `untilSeq`. */
  readonly messages: number;
  readonly counts: Readonly<Record<MessageFate, number>>;
  /** Extra receives of delivered messages (a message received 3 times: 2). */
  readonly duplicates: number;
  /** `duplicated` lines of the proxy. */
  readonly duplicatedByProxy: number;
  /** Ids received more often than the proxy's `duplicated` lines explain. */
  readonly unexplainedDuplicates: readonly string[];
  /** Ids received that the trace never sent. */
  readonly receivedWithoutSend: readonly string[];
  /** Messages sent after `untilSeq`, not accounted. */
  readonly notCounted: number;
  /** The unexplained messages. */
  readonly unexplained: readonly MessageRecord[];
  /** Every accounted message with its fate, in the order sent. */
  readonly records: readonly MessageRecord[];
}

interface Sent {
  readonly msg: string;
  readonly from: string;
  readonly to: string;
  readonly msgType: string;
  readonly seq: number;
  readonly trueMs: number;
  /** Index among the sends of its link, in order. */
  index: number;
}

interface ProcessEvent {
  readonly seq: number;
  readonly kind: string;
  readonly words: string;
}

const DEFAULT_CUT_LEAD_MS = 1000;

function defaultCutMessageOf(line: TraceLine): string | undefined {
  const l = line as { kind: string; action?: string; reason?: string; msg?: string | number };
  if (l.kind === 'proxy' && l.action === 'dropped' && l.reason === 'cut') return l.msg === undefined ? undefined : String(l.msg);
  return undefined;
}

const TOXIC_WORD: Readonly<Record<string, string>> = { dropped: 'drop', duplicated: 'duplicate', held: 'hold' };

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The first element after `seq` (lists are in seq order). */
function firstAfter<T extends { seq: number }>(list: readonly T[] | undefined, seq: number, ok: (t: T) => boolean = () => true): T | undefined {
  return list?.find((t) => t.seq > seq && ok(t));
}

export function accountMessages(trace: Iterable<TraceLine>, options: AccountingOptions = {}): MessageAccounting {
  const until = options.untilSeq ?? Infinity;
  const leadMs = options.cutLeadMs ?? DEFAULT_CUT_LEAD_MS;
  const cutMessageOf = options.cutMessageOf ?? defaultCutMessageOf;
  const lines = [...trace];

  const sends = new Map<string, Sent>();
  const failed: MessageRecord[] = [];
  const byLink = new Map<string, Sent[]>();
  const receives = new Map<string, number[]>();
  const dropped = new Map<string, string>();
  const held = new Set<string>();
  const released = new Set<string>();
  const duplicated = new Map<string, number>();
  const cutSends = new Map<string, number>();
  const processes = new Map<string, ProcessEvent[]>();
  const peerDowns = new Map<string, Array<{ seq: number; peer: string }>>();
  /** The last fault line that set each kind of toxic on each link: `n1-n2 drop` → its words. */
  const toxicFault = new Map<string, string>();
  /** Messages sent after `untilSeq`: their receives are not ones without a send. */
  const late = new Set<string>();
  let notCounted = 0;
  let duplicatedByProxy = 0;

  for (const line of lines) {
    const cut = cutMessageOf(line);
    if (cut !== undefined) cutSends.set(cut, line.seq);
    switch (line.kind) {
      case 'send': {
        if (line.seq > until) {
          notCounted += 1;
          late.add(line.msg);
          break;
        }
        const link = `${line.node}-${line.to}`;
        const s: Sent = { msg: line.msg, from: line.node ?? '?', to: line.to, msgType: line.msgType, seq: line.seq, trueMs: line.trueMs, index: 0 };
        sends.set(line.msg, s);
        push(byLink, link, s);
        break;
      }
      case 'failed_send':
        if (line.seq > until) notCounted += 1;
        else failed.push({ msg: line.msg, from: line.node ?? '?', to: line.to, msgType: line.msgType, seq: line.seq, fate: 'failed_send', because: `refused by its sender: ${line.reason}` });
        break;
      case 'receive':
        push(receives, line.msg, line.seq);
        break;
      case 'proxy': {
        if (line.msg === undefined) break;
        const id = String(line.msg);
        if (line.action === 'dropped' && !dropped.has(id)) {
          const word = held.has(id) ? 'hold' : 'drop';
          dropped.set(id, toxicFault.get(`${line.link} ${word}`) ?? `a ${word} toxic on ${line.link}`);
        } else if (line.action === 'held') held.add(id);
        else if (line.action === 'released') released.add(id);
        else if (line.action === 'duplicated') {
          duplicated.set(id, (duplicated.get(id) ?? 0) + 1);
          duplicatedByProxy += 1;
        }
        break;
      }
      case 'fault':
        if (line.action === 'set') {
          for (const word of Object.values(TOXIC_WORD)) {
            if (new RegExp(`\\b${word}\\b`).test(line.fault)) for (const link of line.links) toxicFault.set(`${link} ${word}`, line.fault);
          }
        }
        break;
      case 'crash':
      case 'exit':
      case 'revive': {
        if (line.node === undefined) break;
        const words = line.kind === 'crash' ? `crash (${line.signal})` : line.kind === 'exit' ? `exit (${line.signal ?? `code ${line.code}`})` : 'revive';
        push(processes, line.node, { seq: line.seq, kind: line.kind, words: `${line.node} ${words} #${line.seq}` });
        break;
      }
      case 'peer_down':
        if (line.node !== undefined) push(peerDowns, line.node, { seq: line.seq, peer: line.peer });
        break;
      default:
        break;
    }
  }

  // For the in-order argument: the first receive of any message sent later on the same link.
  const laterReceived = new Map<string, number>();
  for (const list of byLink.values()) {
    let min = Infinity;
    for (let i = list.length - 1; i >= 0; i--) {
      list[i].index = i;
      laterReceived.set(list[i].msg, min);
      min = Math.min(min, receives.get(list[i].msg)?.[0] ?? Infinity);
    }
  }
  const windowsByLink = new Map<string, CutWindow[]>();
  for (const w of cutWindows(lines)) push(windowsByLink, w.link, w);

  /** The link still worked after `s` was sent until line `seq`: a later message on it arrived before. */
  const workedPast = (s: Sent, seq: number): boolean => (laterReceived.get(s.msg) ?? Infinity) < seq;

  const fateOf = (s: Sent): { fate: MessageFate; because: string } => {
    const got = receives.get(s.msg);
    if (got && got.length > 0) return { fate: 'delivered', because: `received by ${s.to} #${got[0]}` };
    // The proxy's line for a message a cut swallowed is a `dropped` line with reason `cut`: a cut, not a drop toxic.
    const cutSeq = cutSends.get(s.msg);
    if (cutSeq !== undefined) return { fate: 'cut_link', because: `sent into a cut link #${cutSeq}` };
    const drop = dropped.get(s.msg);
    if (drop !== undefined) return { fate: 'dropped', because: `the proxy dropped it: ${drop}` };
    if (held.has(s.msg) && !released.has(s.msg)) return { fate: 'held_at_end', because: `the proxy still held it: ${toxicFault.get(`${s.from}-${s.to} hold`) ?? 'a hold toxic'}` };
    const window = windowsByLink
      .get(`${s.from}-${s.to}`)
      ?.find((w) => w.fromMs - leadMs <= s.trueMs && (w.toMs === undefined || s.trueMs <= w.toMs) && !workedPast(s, w.fromSeq));
    if (window) return { fate: 'cut_link_by_fault_window', because: `its link was cut: ${window.fault} #${window.fromSeq}` };
    const receiverBefore = processes.get(s.to)?.findLast((p) => p.seq < s.seq);
    if (receiverBefore && receiverBefore.kind !== 'revive') return { fate: 'dead_process', because: `sent to a dead process: ${receiverBefore.words}` };
    const death = [firstAfter(processes.get(s.to), s.seq, (p) => p.kind !== 'revive'), firstAfter(processes.get(s.from), s.seq, (p) => p.kind !== 'revive')]
      .filter((p): p is ProcessEvent => p !== undefined)
      .sort((a, b) => a.seq - b.seq)[0];
    if (death && !workedPast(s, death.seq)) return { fate: 'dead_process', because: `lost with a dead process: ${death.words}` };
    const down = firstAfter(peerDowns.get(s.from), s.seq, (d) => d.peer === s.to);
    if (down && !workedPast(s, down.seq)) return { fate: 'broken_connection', because: `lost with the broken connection ${s.from}-${s.to}: peer_down #${down.seq}` };
    return { fate: 'unexplained', because: 'nothing in the trace explains it' };
  };

  const records: MessageRecord[] = [...failed];
  for (const s of sends.values()) {
    const { fate, because } = fateOf(s);
    records.push({ msg: s.msg, from: s.from, to: s.to, msgType: s.msgType, seq: s.seq, fate, because });
  }
  records.sort((a, b) => a.seq - b.seq);
  const counts = Object.fromEntries(MESSAGE_FATES.map((f) => [f, 0])) as Record<MessageFate, number>;
  for (const r of records) counts[r.fate] += 1;

  let duplicates = 0;
  const unexplainedDuplicates: string[] = [];
  const receivedWithoutSend: string[] = [];
  const failedIds = new Set(failed.map((f) => f.msg));
  for (const [id, seqs] of receives) {
    if (!sends.has(id)) {
      if (!failedIds.has(id) && !late.has(id)) receivedWithoutSend.push(id);
      continue;
    }
    const extra = seqs.length - 1;
    duplicates += extra;
    if (extra > (duplicated.get(id) ?? 0)) unexplainedDuplicates.push(id);
  }
  return {
    messages: records.length,
    counts,
    duplicates,
    duplicatedByProxy,
    unexplainedDuplicates,
    receivedWithoutSend,
    notCounted,
    unexplained: records.filter((r) => r.fate === 'unexplained'),
    records,
  };
}

