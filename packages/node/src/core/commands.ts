/**
 * The coordinator's commands, one handler each (pure): a table keyed by the command's type, so a
 * new command is a schema in `protocol` and an entry here. Each handler acts through the core's
 * `CommandPort` and answers the command (`reply` or `refuse`), at once or later (`rpc`, `burst`).
 */
import { compareNodeIds as byNode } from '@faultline/clock';
import type { ClockStamp, Command, NodeId, NodeStatus, NodeTraceEvent } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';
import type { Behaviour, BehaviourContext, BehaviourSet, SendOutcome } from './behaviour.js';
import type { BehaviourRegistry } from './behaviour-registry.js';
import type { Bursts } from './bursts.js';
import { applyClockCommand } from './clock-commands.js';
import type { NodeClocks } from './node-clocks.js';
import type { ProgramHost } from './program-host.js';
import type { RpcTable } from './rpc-table.js';

/** What a command handler may use of the core. */
export interface CommandPort {
  readonly node: NodeId;
  /** True time now (ms). */
  readonly trueMs: () => number;
  /** Monotonic time now (ms). */
  readonly monoMs: () => number;
  readonly clocks: NodeClocks;
  readonly registry: BehaviourRegistry;
  readonly behaviours: BehaviourSet;
  readonly rpc: RpcTable;
  readonly bursts: Bursts;
  /** Answers command `id` with success. */
  readonly reply: (id: number, result: unknown) => void;
  /** Answers command `id` with an error. */
  readonly refuse: (id: number, error: string) => void;
  /** Connect to exactly these peers (peer → URL of the proxy of the link to it). */
  readonly setPeers: (peers: Record<NodeId, string>) => void;
  readonly send: (to: NodeId, type: string, body: Record<string, unknown>) => SendOutcome;
  /** An event of the node itself: tick the clocks and trace it. */
  readonly record: (event: NodeTraceEvent) => ClockStamp;
  readonly status: () => NodeStatus;
  readonly context: (behaviour: Behaviour) => BehaviourContext;
  /** The program this node hosts, if any. */
  readonly program: ProgramHost | undefined;
}

type Handler<T extends Command['type']> = (port: CommandPort, id: number, command: Extract<Command, { type: T }>) => void;

function setClock(port: CommandPort, id: number, command: Extract<Command, { type: 'set_clock' | 'jump_clock' }>): void {
  const applied = applyClockCommand(port.clocks, command, port.trueMs());
  if (!applied.ok) {
    port.refuse(id, applied.error);
    return;
  }
  const stamp = port.record(applied.event);
  port.reply(id, { offsetMs: applied.event.offsetMs, driftPpm: applied.event.driftPpm, wallMs: stamp.wallMs });
}

const HANDLERS: { readonly [T in Command['type']]: Handler<T> } = {
  set_peers: (port, id, command) => {
    const peers = Object.fromEntries(Object.entries(command.peers).filter(([peer]) => peer !== port.node));
    port.setPeers(peers);
    port.reply(id, { peers: Object.keys(peers).sort(byNode) });
  },
  set_clock: setClock,
  jump_clock: setClock,
  send: (port, id, command) => port.reply(id, port.send(command.to, command.msgType, command.body)),
  rpc: (port, id, command) => port.rpc.call(id, command, port.monoMs()),
  status: (port, id) => port.reply(id, port.status()),
  local: (port, id, command) => port.reply(id, port.record({ kind: 'local', label: command.label })),
  // A load tool: ordinary sends (each ticks the clocks and is traced), answered when the last one is sent.
  burst: (port, id, command) => port.bursts.add(id, command.to, command.msgType, command.count),
  invoke: (port, id, command) => {
    const handler = port.registry.handlerFor(command.msgType);
    if (!handler?.onInvoke) {
      const why = handler ? `${handler.name} takes "${command.msgType}" only from peers` : 'no behaviour here handles it';
      port.refuse(id, `${port.node} takes no client request of type "${command.msgType}" (${why})`);
      return;
    }
    try {
      port.reply(id, handler.onInvoke(port.context(handler), command.msgType, command.body));
    } catch (err) {
      if (!(err instanceof FaultlineError)) throw err;
      port.refuse(id, err.message);
    }
  },
  start_behaviour: (port, id, command) => {
    const behaviour = port.behaviours.create(command.behaviour);
    try {
      port.registry.add(behaviour, command.among);
    } catch (err) {
      if (!(err instanceof FaultlineError)) throw err;
      port.refuse(id, err.message);
      return;
    }
    const ctx = port.context(behaviour);
    ctx.state('started', command.behaviour);
    behaviour.onStart?.(ctx);
    port.reply(id, { name: behaviour.name, messageTypes: [...behaviour.messageTypes] });
  },
  client: (port, id, command) => {
    if (!port.program) {
      port.refuse(id, `${port.node} hosts no program (faultline test --bin PROG runs one on every node)`);
      return;
    }
    port.program.client(id, command.message, port.monoMs() + command.timeoutMs);
  },
  deliver: (port, id, command) => {
    if (!port.program) {
      port.refuse(id, `${port.node} hosts no program`);
      return;
    }
    port.program.deliver(command.message);
    port.reply(id, {});
  },
  program_ready: (port, id, command) => {
    if (!port.program) {
      port.refuse(id, `${port.node} hosts no program`);
      return;
    }
    port.program.whenReady(id, port.monoMs() + command.timeoutMs);
  },
  stop_behaviour: (port, id, command) => {
    const behaviour = port.registry.get(command.name);
    if (!behaviour) {
      port.refuse(id, `${port.node} runs no ${command.name}`);
      return;
    }
    // Traced while it still runs (its name on the event), then gone: its messages are unhandled from now on.
    port.context(behaviour).state('stopped', command.name);
    port.registry.remove(command.name);
    port.reply(id, { name: command.name });
  },
};

/** Runs command `id` (answered through the port). */
export function runCommand(port: CommandPort, id: number, command: Command): void {
  (HANDLERS[command.type] as Handler<Command['type']>)(port, id, command);
}
