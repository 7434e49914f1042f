/**
 * The shell around `NodeCore`: it owns the sockets (peer server, peer links, control channel),
 * the one wake-up timer and the readings of time, and does what the core's effects say.
 *
 * Start-up: listen for peers → open the control channel (≤ 10 s, else exit 1) → `hello` → the
 * core's `node_start`. The node then lives as long as the control channel: when the coordinator
 * closes it the node exits (code 0 for a normal close, 1 otherwise), so no node outlives its lab.
 *
 * Inputs are queued and fed to the core one at a time: an effect whose execution produces a new
 * input (closing a link reports it down) never re-enters the core mid-step. What the core asks to
 * write waits in the `Outbox` until the end of the event-loop turn: traces and replies go to the
 * coordinator as one `batch` frame, before that turn's envelopes leave for the peers.
 *
 * Every envelope that arrives is checked against `envelopeSchema` (through its fast check first);
 * one that fails is a `malformed` event, and the node goes on.
 */
import { envelopeSchema, isEnvelope, parseJsonWith, type NodeId } from '@faultline/protocol';
import { createRng } from '@faultline/random';
import type { Logger } from './logger.js';
import type { WebSocket } from 'ws';
import type { Effect } from '../core/effect.js';
import type { NodeInput } from '../core/input.js';
import { NodeCore } from '../core/node-core.js';
import type { Now } from '../core/now.js';
import { openControl, sendControl } from './control-channel.js';
import { Outbox } from './outbox.js';
import { parseControlMessage } from './parse-control.js';
import { PeerLinks } from './peer-links.js';
import { startPeerServer, type PeerServer } from './peer-server.js';

export interface NodeOptions {
  readonly id: NodeId;
  /** `ws://` URL of the coordinator's control channel. */
  readonly controlUrl: string;
  readonly heartbeatMs: number;
  /** Which life of the node this process is (default 1): the coordinator counts its revives. */
  readonly incarnation?: number;
  readonly seed: bigint;
  /** How long to keep trying to open the control channel (default 10 s). */
  readonly controlTimeoutMs?: number;
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

function now(): Now {
  return { monoMs: performance.now(), trueMs: Date.now() };
}

export async function startNode(options: NodeOptions, logger: Logger): Promise<RunningNode> {
  const queue: NodeInput[] = [];
  /** False until the control channel is open and `hello` sent: inputs wait in the queue. */
  let ready = false;
  let draining = false;
  let wakeTimer: NodeJS.Timeout | undefined;
  let wakeNow: NodeJS.Immediate | undefined;
  /** When the armed wake-up is for (undefined: none armed). */
  let wakeAtMs: number | undefined;
  let control: WebSocket | undefined;
  let stopping: Promise<number> | undefined;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const feed = (input: NodeInput): void => {
    queue.push(input);
    if (draining || !ready || stopping) return;
    draining = true;
    try {
      for (let next = queue.shift(); next !== undefined && !stopping; next = queue.shift()) {
        try {
          execute(core.step(next, now()));
        } catch (err) {
          logger.error({ err, input: next.kind }, 'the core failed on an input; it was dropped');
        }
      }
    } finally {
      draining = false;
    }
  };

  const execute = (effects: Effect[]): void => {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send':
          outbox.peer(effect.to, effect.text, effect.envelope.id);
          break;
        case 'trace':
          outbox.control({ kind: 'trace', clocks: effect.clocks, event: effect.event });
          break;
        case 'reply': {
          const { id, ok, result, error } = effect;
          outbox.control({ kind: 'reply', id, ok, ...(result === undefined ? {} : { result }), ...(error === undefined ? {} : { error }) });
          break;
        }
        case 'peers':
          links.set(effect.peers);
          break;
        case 'wake':
          wake(effect.atMonoMs);
          break;
      }
    }
  };

  const outbox = new Outbox({
    control: (messages) => control !== undefined && sendControl(control, { kind: 'batch', messages }),
    peers: (frames) => links.sendAll(frames),
    lost: (peer, msg) => logger.warn({ peer, msg }, 'the link closed as the message was sent: it is lost'),
  });

  /** Arms the one wake-up for `atMonoMs`, in place of any other (nearly every step asks again for the same time: kept). */
  const wake = (atMonoMs: number): void => {
    if (atMonoMs === wakeAtMs) return;
    clearTimeout(wakeTimer);
    clearImmediate(wakeNow);
    wakeAtMs = atMonoMs;
    const fire = (): void => {
      wakeAtMs = undefined;
      feed({ kind: 'tick' });
    };
    const delayMs = atMonoMs - performance.now();
    // Due already (a burst goes on): the next turn, after this one's writes, not a timer's 1 ms later.
    if (delayMs <= 0) wakeNow = setImmediate(fire);
    else wakeTimer = setTimeout(fire, delayMs);
  };

  const links = new PeerLinks({
    rng: createRng(options.seed, `reconnect:${options.id}`),
    logger,
    onLink: (peer, up) => feed({ kind: 'link', peer, up }),
  });

  const server: PeerServer = await startPeerServer({
    logger,
    onFrame: (text, size) => {
      const parsed = parseJsonWith(envelopeSchema, text, 'envelope', isEnvelope);
      feed(parsed.ok ? { kind: 'envelope', envelope: parsed.value, size } : { kind: 'malformed', source: 'peer', error: parsed.error });
    },
    onError: (error) => feed({ kind: 'malformed', source: 'peer', error }),
  });

  const core = new NodeCore({ node: options.id, incarnation: options.incarnation, pid: process.pid, port: server.port, heartbeatMs: options.heartbeatMs }, now());

  const stop = (code: number): Promise<number> => {
    stopping ??= (async () => {
      clearTimeout(wakeTimer);
      clearImmediate(wakeNow);
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
    control = await openControl(options.controlUrl, options.controlTimeoutMs ?? 10_000, logger);
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'no control channel: exiting');
    void stop(1);
    return { port: server.port, done, stop };
  }

  control.on('message', (data: Buffer) => {
    const parsed = parseControlMessage(data.toString('utf8'));
    if (parsed.ok) {
      feed({ kind: 'command', id: parsed.message.id, command: parsed.message.command });
      return;
    }
    feed({ kind: 'malformed', source: 'control', error: parsed.error });
    if (parsed.id !== undefined) outbox.control({ kind: 'reply', id: parsed.id, ok: false, error: parsed.error });
  });
  control.on('error', (err) => logger.warn({ err: err.message }, 'control channel error'));
  control.on('close', (code, reason: Buffer) => {
    const normal = NORMAL_CLOSE.has(code);
    logger.info({ code, reason: reason.toString() }, 'the coordinator closed the control channel: exiting');
    void stop(normal ? 0 : 1);
  });

  sendControl(control, { kind: 'hello', node: options.id, pid: process.pid, port: server.port });
  ready = true;
  feed({ kind: 'start' });
  return { port: server.port, done, stop };
}
