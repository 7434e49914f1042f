/**
 * A program the node hosts (pure): any executable that speaks Maelstrom's node protocol (one JSON
 * message a line on stdin and stdout), so a Gossip Glomers solution runs unchanged on the lab's
 * real network. The shell runs the process and feeds its stdout lines here; this decides where
 * each goes:
 *
 * - to another node of the lab: an ordinary envelope on the real link (through its proxy, with
 *   its faults), typed by the body's `type` and carrying the body (`{maelstrom: body}`), so the
 *   trace and the diagram show `broadcast`, `gossip` … like any message;
 * - to a client (`c1` …) waiting for it: the answer to the coordinator's `client` command;
 * - to a service (`lin-kv`, `seq-kv`, `lww-kv`, `lin-tso`): to the lab, which runs them and
 *   answers with `deliver` (a service is always reachable: faults are on the nodes' links); the
 *   request and the answer are traced as local events (`→ lin-kv read (msg 4)`);
 * - anywhere else, or not a message at all: a `malformed` event naming what was wrong. The node
 *   and the lab go on.
 *
 * An envelope from a peer that carries a Maelstrom body is written to the program's stdin as
 * `{src: peer, dest: this node, body}`. At the start the program is sent `init` (from `c0`).
 */
import { compareNodeIds } from '@faultline/clock';
import { MAELSTROM_SERVICES, parseMaelstromMessage, type ClientResult, type Envelope, type MaelstromMessage, type NodeId, type NodeTraceEvent } from '@faultline/protocol';
import type { SendOutcome } from './behaviour.js';

/** How many timed-out requests are remembered, to call their answers late. */
const MAX_EXPIRED = 10_000;

/** Who sends `init`: Maelstrom's own client. */
export const INIT_CLIENT = 'c0';

/** What the host needs of the core. */
export interface ProgramPort {
  readonly node: NodeId;
  /** The lab's nodes (this one among them). */
  readonly labNodes: () => readonly NodeId[];
  /** Write one line to the program's stdin. */
  readonly write: (line: string) => void;
  /** Send an envelope to a peer (traced by the core; `failed_send` when its link is down). */
  readonly send: (to: NodeId, type: string, body: Record<string, unknown>) => SendOutcome;
  readonly trace: (event: NodeTraceEvent) => void;
  /** Hand a message to a service (`lin-kv` …): the lab runs them, and answers with `deliver`. */
  readonly toService: (message: MaelstromMessage) => void;
  /** Answer the coordinator's command `id`. */
  readonly reply: (id: number, result: ClientResult | { readonly ready: boolean }) => void;
}

interface Waiting {
  readonly command: number;
  readonly deadlineMs: number;
}

/** The body an envelope between two hosted programs carries: the Maelstrom body, whole. */
export function maelstromBodyOf(envelope: Envelope): Record<string, unknown> | undefined {
  const body = envelope.body.maelstrom;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

export class ProgramHost {
  /** Clients' requests in the program's hands, by `<client> <msg_id>`. */
  private readonly waiting = new Map<string, Waiting>();
  /** Requests answered `timeout` already (the most recent ones): a late answer is told apart from a stray one. */
  private readonly expired = new Set<string>();
  private initialised = false;
  /** Commands waiting for `init_ok`, with their deadlines. */
  private readonly readiness = new Map<number, number>();

  constructor(private readonly port: ProgramPort) {}

  /** Whether the program has answered `init`. */
  get ready(): boolean {
    return this.initialised;
  }

  /** The node has started: `init` goes first. */
  start(): void {
    const nodeIds = [...this.port.labNodes()].sort(compareNodeIds);
    this.write({ src: INIT_CLIENT, dest: this.port.node, body: { type: 'init', msg_id: 1, node_id: this.port.node, node_ids: nodeIds } });
  }

  /** A line the program wrote on stdout. */
  fromProgram(line: string): void {
    if (line.trim() === '') return;
    const parsed = parseMaelstromMessage(line);
    if (!parsed.ok) return this.malformed(parsed.error);
    const message = parsed.value;
    if (message.src !== this.port.node) return this.malformed(`message.src: expected ${this.port.node} (this node), got "${message.src}"`);
    const { dest, body } = message;
    if (this.port.labNodes().includes(dest)) {
      if (dest === this.port.node) this.write(message);
      else this.port.send(dest, body.type, { maelstrom: body });
      return;
    }
    if ((MAELSTROM_SERVICES as readonly string[]).includes(dest)) {
      // In the trace like any exchange of the node's (a service is not a node: a local event).
      this.port.trace({ kind: 'local', label: `→ ${dest} ${body.type}${body.msg_id === undefined ? '' : ` (msg ${body.msg_id})`}` });
      this.port.toService(message);
      return;
    }
    if (dest === INIT_CLIENT && body.type === 'init_ok') {
      this.initialised = true;
      for (const command of this.readiness.keys()) this.port.reply(command, { ready: true });
      this.readiness.clear();
      return;
    }
    const key = body.in_reply_to === undefined ? undefined : `${dest} ${body.in_reply_to}`;
    const waiting = key === undefined ? undefined : this.waiting.get(key);
    if (key !== undefined && waiting) {
      this.waiting.delete(key);
      this.port.reply(waiting.command, { outcome: 'ok', reply: message });
      return;
    }
    if (key !== undefined && this.expired.delete(key)) {
      this.port.trace({ kind: 'local', label: `late answer ${body.type} to ${dest}'s request ${body.in_reply_to}, after the client gave up` });
      return;
    }
    this.malformed(`message.dest: no node of the lab and no client waiting is called "${dest}"${body.in_reply_to === undefined ? '' : ` (in_reply_to ${body.in_reply_to})`}`);
  }

  /** An envelope from a peer: true if it carried a Maelstrom body (now on the program's stdin). */
  fromPeer(envelope: Envelope): boolean {
    const body = maelstromBodyOf(envelope);
    if (!body) return false;
    // As it came: the sending node's program wrote it, and this one reads it whatever it holds.
    this.port.write(JSON.stringify({ src: envelope.from, dest: this.port.node, body }));
    return true;
  }

  /** The coordinator's `client` command: the request goes to the program; answered when the program replies, or at `deadlineMs`. */
  client(command: number, message: MaelstromMessage, deadlineMs: number): void {
    const msgId = message.body.msg_id;
    if (msgId === undefined) {
      this.port.reply(command, { outcome: 'timeout' });
      this.malformed(`client ${message.src}: a request needs a msg_id`);
      return;
    }
    this.waiting.set(`${message.src} ${msgId}`, { command, deadlineMs });
    this.write({ ...message, dest: this.port.node });
  }

  /** A service's answer (the coordinator's `deliver`): to the program's stdin. */
  deliver(message: MaelstromMessage): void {
    const { body } = message;
    this.port.trace({ kind: 'local', label: `← ${message.src} ${body.type}${body.in_reply_to === undefined ? '' : ` (to msg ${body.in_reply_to})`}${body.type === 'error' && typeof body.code === 'number' ? ` code ${body.code}` : ''}` });
    this.write({ ...message, dest: this.port.node });
  }

  /** The coordinator's `program_ready`: answered once the program has answered `init`, or at `deadlineMs`. */
  whenReady(command: number, deadlineMs: number): void {
    if (this.initialised) this.port.reply(command, { ready: true });
    else this.readiness.set(command, deadlineMs);
  }

  /** Answers `timeout` to every client request whose deadline has passed (and `ready: false` to readiness waits). */
  expire(monoMs: number): void {
    for (const [command, deadlineMs] of this.readiness) {
      if (deadlineMs > monoMs) continue;
      this.readiness.delete(command);
      this.port.reply(command, { ready: false });
    }
    for (const [key, w] of this.waiting) {
      if (w.deadlineMs > monoMs) continue;
      this.waiting.delete(key);
      this.port.reply(w.command, { outcome: 'timeout' });
      this.expired.add(key);
      if (this.expired.size > MAX_EXPIRED) this.expired.delete(this.expired.values().next().value!);
    }
  }

  nextWakeMs(): number | null {
    let next: number | null = null;
    for (const d of this.readiness.values()) if (next === null || d < next) next = d;
    for (const w of this.waiting.values()) if (next === null || w.deadlineMs < next) next = w.deadlineMs;
    return next;
  }

  private write(message: MaelstromMessage): void {
    this.port.write(JSON.stringify(message));
  }

  private malformed(error: string): void {
    this.port.trace({ kind: 'malformed', source: 'program', error });
  }
}
