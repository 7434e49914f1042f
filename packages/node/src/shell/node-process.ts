/**
 * The shell around `NodeCore`: it owns the sockets (peer server, peer links, control channel),
 * the core's loop (`CoreLoop`: its inputs and its one wake-up timer) and the behaviours it hands
 * the core, and does what the core's effects say.
 *
 * Start-up: listen for peers → open the control channel (≤ 10 s, else exit 1) → `hello` → the
 * core's `node_start`. The node then lives as long as the control channel: when the coordinator
 * closes it the node exits (code 0 for a normal close, 1 otherwise), so no node outlives its lab.
 *
 * What the core asks to write waits in the `Outbox` until the end of the event-loop turn: traces
 * and replies go to the coordinator as one `batch` frame, before that turn's envelopes leave for
 * the peers. Every envelope that arrives is checked against `envelopeSchema` (through its fast
 * check first); one that fails is a `malformed` event, and the node goes on.
 */
import { envelopeSchema, isEnvelope, parseJsonWith, type NodeId } from '@faultline/protocol';
import { createRng } from '@faultline/random';
import type { WebSocket } from 'ws';
import { standardBehaviours } from '../behaviours/standard-behaviours.js';
import type { Effect } from '../core/effect.js';
import { NodeCore } from '../core/node-core.js';
import { openControl, sendControl } from './control-channel.js';
import { CoreLoop, now } from './core-loop.js';
import type { Logger } from './logger.js';
import { Outbox } from './outbox.js';
import { messageIdOf } from './message-id-of.js';
import { parseControlMessage } from './parse-control.js';
import { PeerLinks } from './peer-links.js';
import { programClock, type ProgramClock } from './program-clock.js';
import { startProgram, type RunningProgram } from './program-process.js';
import { startPeerServer } from './peer-server.js';

export interface NodeOptions {
  readonly id: NodeId;
  /** `ws://` URL of the coordinator's control channel. */
  readonly controlUrl: string;
  readonly heartbeatMs: number;
  /** Which life of the node this process is (default 1): the coordinator counts its revives. */
  readonly incarnation?: number;
  readonly seed: bigint;
  /** The lab's secret (from `$FAULTLINE_LAB_SECRET`): every peer's handshake and the control channel's carry it. */
  readonly secret: string;
  /** The lab's node ids (`--lab-nodes`); absent: this node and the peers `set_peers` names. */
  readonly labNodes?: readonly NodeId[];
  /** Where the peer port listens (default 127.0.0.1). */
  readonly listen?: string;
  /** How long to keep trying to open the control channel (default 10 s). */
  readonly controlTimeoutMs?: number;
  /** A program speaking Maelstrom's protocol to host: its command and arguments. */
  readonly program?: readonly string[];
}

export interface RunningNode {
  readonly port: number;
  /** Resolves with the exit code once the node has stopped (sockets closed). */
  readonly done: Promise<number>;
  /** Stop: close every socket (the control channel with 1000), then resolve `done` with `code`. */
  stop(code: number): Promise<number>;
}

/** Normal closes of the control channel: 1000 (normal), 1001 (going away). */
const NORMAL_CLOSE = new Set([1000, 1001]);

export async function startNode(options: NodeOptions, logger: Logger): Promise<RunningNode> {
  let control: WebSocket | undefined;
  let program: RunningProgram | undefined;
  /** The program's wall clock, following this node's (created when there is a program). */
  let clockOfProgram: ProgramClock | undefined;
  const loop = new CoreLoop((effect) => execute(effect), logger);
  const outbox = new Outbox({
    control: (messages) => control !== undefined && sendControl(control, { kind: 'batch', messages }),
    peers: (frames) => links.sendAll(frames),
    lost: (peer, msg) => logger.warn({ peer, msg }, 'the link closed as the message was sent: it is lost'),
  });
  const links = new PeerLinks({
    rng: createRng(options.seed, `reconnect:${options.id}`),
    logger,
    onLink: (peer, up) => loop.feed({ kind: 'link', peer, up }),
    secret: options.secret,
  });
  const execute = (effect: Exclude<Effect, { kind: 'wake' }>): void => {
    switch (effect.kind) {
      case 'send':
        outbox.peer(effect.to, effect.text, effect.envelope.id);
        return;
      case 'trace':
        outbox.control({ kind: 'trace', clocks: effect.clocks, event: effect.event });
        if (effect.event.kind === 'clock_change') clockOfProgram?.changed(effect.event, now().trueMs);
        return;
      case 'reply': {
        const { id, ok, result, error } = effect;
        outbox.control({ kind: 'reply', id, ok, ...(result === undefined ? {} : { result }), ...(error === undefined ? {} : { error }) });
        return;
      }
      case 'peers':
        links.set(effect.peers);
        return;
      case 'program_write':
        program?.write(effect.line);
        return;
      case 'service':
        outbox.control({ kind: 'service', message: effect.message });
        return;
    }
  };
  const server = await startPeerServer({
    host: options.listen ?? '127.0.0.1',
    logger,
    onFrame: (text, size) => {
      const parsed = parseJsonWith(envelopeSchema, text, 'envelope', isEnvelope);
      if (parsed.ok) loop.feed({ kind: 'envelope', envelope: parsed.value, size });
      else loop.feed({ kind: 'malformed', source: 'peer', error: parsed.error, ...withMsg(messageIdOf(text)) });
    },
    onError: (error) => loop.feed({ kind: 'malformed', source: 'peer', error }),
    secret: options.secret,
    onRefused: (reason) => loop.feed({ kind: 'refused', reason }),
  });

  let stopping: Promise<number> | undefined;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const stop = (code: number): Promise<number> => {
    stopping ??= (async () => {
      loop.stop();
      program?.stop();
      clockOfProgram?.close();
      // What the core made before the stop still goes out (the control channel may be open yet).
      outbox.flush();
      links.close();
      if (control) {
        control.removeAllListeners('close');
        control.close(1000, 'node stopping');
      }
      await server.close();
      resolveDone(code);
      return code;
    })();
    return stopping;
  };

  try {
    control = await openControl(options.controlUrl, options.secret, options.controlTimeoutMs ?? 10_000, logger);
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'no control channel: exiting');
    void stop(1);
    return { port: server.port, done, stop };
  }
  control.on('message', (data: Buffer) => {
    const parsed = parseControlMessage(data.toString('utf8'));
    if (parsed.ok) {
      loop.feed({ kind: 'command', id: parsed.message.id, command: parsed.message.command });
      return;
    }
    loop.feed({ kind: 'malformed', source: 'control', error: parsed.error });
    if (parsed.id !== undefined) outbox.control({ kind: 'reply', id: parsed.id, ok: false, error: parsed.error });
  });
  control.on('error', (err) => logger.warn({ err: err.message }, 'control channel error'));
  control.on('close', (code, reason: Buffer) => {
    logger.info({ code, reason: reason.toString() }, 'the coordinator closed the control channel: exiting');
    void stop(NORMAL_CLOSE.has(code) ? 0 : 1);
  });

  sendControl(control, { kind: 'hello', node: options.id, pid: process.pid, port: server.port });
  const behaviours = standardBehaviours({ heartbeatMs: options.heartbeatMs });
  if (options.program) {
    const clock = programClock(() => now().trueMs);
    if (clock.why) logger.info({ program: options.program[0] }, clock.why);
    clockOfProgram = clock;
    program = startProgram(options.program, clock.env, {
      line: (line) => loop.feed({ kind: 'program_line', line }),
      // The program is the node: when it ends, so does the node (the lab sees it exit, the trace says why).
      exit: (code, signal, stderr) => {
        loop.feed({ kind: 'program_exit', code, signal, stderr });
        void stop(1);
      },
    });
  }
  loop.start(new NodeCore({ node: options.id, incarnation: options.incarnation, pid: process.pid, port: server.port, behaviours, labNodes: options.labNodes, program: options.program !== undefined }, now()));
  return { port: server.port, done, stop };
}

function withMsg(msg: string | undefined): { msg?: string } {
  return msg === undefined ? {} : { msg };
}
