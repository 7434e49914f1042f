/**
 * A running lab: real node processes, one proxy per directed link, and the trace of everything.
 * Every method checks its input (a `FaultlineError` with a stable code when it cannot be done), does the
 * fault on the live system, and records it in the trace. Changes to processes and links run one
 * at a time; messages (`rpc`, `send`) and `status` run alongside.
 */
import {
  behaviourSpecSchema,
  burstResultSchema,
  clientResultSchema,
  clockRequestSchema,
  invokeRequestSchema,
  linkFaultsRequestSchema,
  nodeStatusSchema,
  rpcRequestSchema,
  rpcResultSchema,
  sendRequestSchema,
  type BehaviourSpec,
  type BehaviourSpecInput,
  type BurstResult,
  type ClientResult,
  type InvokeResponse,
  type LabConfig,
  type LabStatus,
  type MaelstromMessage,
  type NodeId,
  type RpcResponse,
  type RpcResult,
  type TraceLine,
} from '@faultline/protocol';
import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { check } from './check.js';
import type { RunningApi, ServeOptions, StartApi } from './control-api-port.js';
import { FaultlineError } from '@faultline/protocol';
import type { LabRuntime } from './lab-runtime.js';
import type { NodeKiller, NodeState } from './node-supervisor.js';
import type { Link } from './links.js';
import { Serial } from './serial.js';
import { PROCESS_EVENTS } from './trace-landmarks.js';
import { byTrueTime, relatedToRequests, type TraceFilter } from './trace-query.js';
import type { RawTraceLine, TraceListener } from './trace-recorder.js';

const STATUS_TIMEOUT_MS = 500;
const COMMAND_TIMEOUT_MS = 5_000;
/** After an RPC, how long message events of the proxy may still be on their way to the lab. */
const PROXY_EVENT_SLACK_MS = 30;

export class Lab implements AsyncDisposable {
  /** Settles when the lab has stopped (by `stop()`, disposal or `POST /down`). */
  readonly stopped: Promise<void>;
  private markStopped!: () => void;
  private stopping?: Promise<void>;
  private api?: RunningApi;
  private readonly serial = new Serial();

  /**
   * `startApi` starts the control API for `serve()` (start-lab.ts hands in the HTTP one); `killer`,
   * if given, is how `kill` ends a node instead of SIGKILL (`killBy: 'pod'`: its pod is deleted).
   */
  constructor(
    private readonly rt: LabRuntime,
    private readonly startApi?: StartApi<Lab>,
    private readonly killer?: NodeKiller,
  ) {
    this.stopped = new Promise((resolve) => (this.markStopped = resolve));
  }

  get seed(): string {
    return this.rt.o.seed;
  }
  get config(): LabConfig {
    return this.rt.o.config;
  }
  /** `runs/<timestamp>/`: the trace and one log per node. */
  get runDir(): string {
    return this.rt.o.runDir;
  }
  get traceFile(): string {
    return this.rt.trace.file;
  }
  get nodes(): readonly NodeId[] {
    return this.rt.ids;
  }
  get links(): readonly Link[] {
    return this.rt.links;
  }
  get proxyUrl(): string {
    return this.rt.proxyUrl;
  }
  /** True when the proxy is faultline's: drop, duplicate, reorder, hold and message events work. */
  get messageFaults(): boolean {
    return this.rt.admin?.messageFaults ?? false;
  }
  /** The control API's URL once `serve()` has started it. */
  get controlUrl(): string | undefined {
    return this.api?.url;
  }

  // ── the trace ─────────────────────────────────────────────────────────────

  /**
   * The trace's lines (after `filter.since`, of a node, of some kinds): the newest from memory,
   * older ones read back from the file. A long run's whole trace is big: pass `since`.
   */
  trace(filter: TraceFilter = {}): TraceLine[] {
    // A node the lab does not have is a mistake, not a node with nothing to show.
    if (filter.node !== undefined) this.rt.nodes.require(filter.node);
    return this.rt.trace.lines(filter);
  }

  /** The seq of the last line written to the trace (0 before any). */
  get lastSeq(): number {
    return this.rt.trace.writtenSeq;
  }

  /** The trace file's lines after `since`, as written, read a chunk at a time as they are taken. */
  traceAfter(since: number): AsyncIterable<RawTraceLine> {
    return this.rt.trace.linesAfter(since);
  }

  /** Hears every new trace line until the returned function is called. */
  subscribe(listener: TraceListener): () => void {
    return this.rt.trace.subscribe(listener);
  }

  /** The first line (after `since`, if given) that satisfies `predicate`; `timeout` error if none comes. */
  waitForTrace(predicate: (line: TraceLine) => boolean, options?: { since?: number; timeoutMs?: number; what?: string }): Promise<TraceLine> {
    return this.rt.trace.waitFor(predicate, options);
  }

  /** Waits until every link between two running nodes that is not cut is up (as its sender reports). */
  waitForLinks(timeoutMs = 10_000): Promise<void> {
    const controller = this.controller();
    const live = this.rt.links.filter((l) => this.isRunning(l.from) && this.isRunning(l.to) && !controller.book.isCut(l));
    return controller.waitForLinks(live, timeoutMs);
  }

  // ── processes ─────────────────────────────────────────────────────────────

  /** starting, running, paused, killed or exited. */
  state(id: NodeId): NodeState {
    return this.rt.nodes.state(id);
  }

  /**
   * SIGKILL: the node is gone at once (with `killBy: 'pod'`, its pod is deleted: gone once the API
   * accepted that and its agent's connection dropped). Resolves when the process is gone.
   */
  kill(id: NodeId): Promise<void> {
    return this.serial.run(async () => {
      const atMs = await this.rt.nodes.kill(id, this.killer);
      this.rt.health.nodeGone(id);
      this.rt.trace.lab({ kind: 'crash', signal: 'SIGKILL' }, { node: id, trueMs: atMs });
    });
  }

  /** SIGSTOP: alive but silent. */
  pause(id: NodeId): Promise<void> {
    return this.serial.run(() => {
      this.rt.nodes.pause(id);
      this.rt.trace.lab({ kind: 'pause' }, { node: id });
      return Promise.resolve();
    });
  }

  /** SIGCONT. */
  resume(id: NodeId): Promise<void> {
    return this.serial.run(() => {
      this.rt.nodes.resume(id);
      this.rt.trace.lab({ kind: 'resume' }, { node: id });
      return Promise.resolve();
    });
  }

  /** A new process with the same id (and a fresh memory); resolves when its links are up again. */
  revive(id: NodeId): Promise<void> {
    return this.serial.run(() => this.rt.revive(id));
  }

  // ── links ─────────────────────────────────────────────────────────────────

  /** Blockade's form: the nodes not named form one more group; links between groups are cut. */
  partition(groups: NodeId[][]): Promise<Link[]> {
    return this.serial.run(() => this.controller().partition(groups));
  }

  /** Cuts one direction only: messages `from` → `to` vanish. */
  block(from: NodeId, to: NodeId): Promise<void> {
    return this.serial.run(() => this.controller().block(from, to));
  }

  /** Ends the partition and every block. */
  heal(): Promise<Link[]> {
    return this.serial.run(() => this.controller().heal());
  }

  /**
   * Sets faults on the link `from` → `to` (and back, with `both`); a fault set again replaces it,
   * 0 % or 0 ms clears it. Drop, duplicate and reorder need faultline-proxy (`unsupported` otherwise).
   */
  link(from: NodeId, to: NodeId, faults: z.input<typeof linkFaultsRequestSchema>): Promise<void> {
    const request = check(linkFaultsRequestSchema, faults, 'link');
    return this.serial.run(() => this.controller().link(from, to, request));
  }

  /**
   * Removes link faults (not partitions or blocks): everywhere, or on the links from `from` / to
   * `to`; with `both` (and both nodes named) on the link `to` → `from` too.
   */
  clearLinks(from?: NodeId, to?: NodeId, options: { both?: boolean } = {}): Promise<Link[]> {
    return this.serial.run(() => this.controller().clear(from, to, options.both));
  }

  /** Holds every message `from` → `to` until `release`. */
  hold(from: NodeId, to: NodeId): Promise<void> {
    return this.serial.run(() => this.controller().hold(from, to));
  }

  /** Lets the held messages through, in order. */
  release(from: NodeId, to: NodeId): Promise<void> {
    return this.serial.run(() => this.controller().release(from, to));
  }

  // ── clocks and messages ───────────────────────────────────────────────────

  /** Sets a node's wall clock (offset, drift) and/or steps it (`jumpMs`). True time is unchanged. */
  async clock(id: NodeId, request: z.input<typeof clockRequestSchema>): Promise<void> {
    const { offsetMs, driftPpm, jumpMs } = check(clockRequestSchema, request, 'clock');
    const channel = this.rt.nodes.channel(id, 'change its clock');
    if (offsetMs !== undefined || driftPpm !== undefined) {
      await channel.command({ type: 'set_clock', ...(offsetMs === undefined ? {} : { offsetMs }), ...(driftPpm === undefined ? {} : { driftPpm }) }, COMMAND_TIMEOUT_MS);
    }
    if (jumpMs !== undefined) await channel.command({ type: 'jump_clock', deltaMs: jumpMs }, COMMAND_TIMEOUT_MS);
    const words = [
      offsetMs === undefined ? '' : `offset ${offsetMs}ms`,
      driftPpm === undefined ? '' : `drift ${driftPpm}ppm`,
      jumpMs === undefined ? '' : `jump ${jumpMs}ms`,
    ].filter(Boolean);
    this.rt.trace.lab({ kind: 'fault', action: 'set', fault: `clock ${id} ${words.join(' ')}`, links: [] }, { node: id });
  }

  /**
   * `from` calls `to`: what the sender saw (`result`) and what the trace shows really happened to
   * those requests and their replies (`trace`: sends, receives, timeouts, retries, the proxy's drops,
   * the behaviours' state, and any crash or pause of the two nodes meanwhile).
   */
  async rpc(from: NodeId, to: NodeId, msgType = 'ping', body: Record<string, unknown> = {}, timeoutMs?: number, retries = 0): Promise<RpcResponse> {
    check(rpcRequestSchema, { from, to, msgType, body, timeoutMs, retries }, 'rpc');
    this.controller().linkOf(from, to);
    const perAttemptMs = timeoutMs ?? this.config.rpcTimeoutMs;
    const since = this.rt.trace.lastSeq;
    // What is in force as the call starts (from what the trace said so far, not from reading it).
    const pauses = this.rt.landmarks.pausesInForce([from, to]);
    const cuts = this.cutsAtStart(from, to);
    const channel = this.rt.nodes.channel(from, 'send');
    const startedAt = performance.now();
    let raw: unknown;
    try {
      raw = await channel.command({ type: 'rpc', to, msgType, body, timeoutMs: perAttemptMs, retries }, perAttemptMs * (retries + 1) + COMMAND_TIMEOUT_MS);
    } catch (err) {
      // The caller's channel closed mid-call: it was killed, or died. That is how the call ended.
      if (channel.isOpen) throw err;
      const before = (): TraceLine[] => [...cuts(), ...pauses];
      return this.callerDied(from, to, msgType, since, performance.now() - startedAt, before);
    }
    const result = rpcResultSchema.safeParse(raw);
    if (!result.success) throw new FaultlineError('failed', `${from} answered rpc with something that is not an RpcResult`);
    await this.settle([from, to]);
    return this.rpcStory(from, to, result.data, since, [...cuts(), ...pauses]);
  }

  /** A call whose caller died before it ended: its requests are the caller's sends in the trace. */
  private async callerDied(from: NodeId, to: NodeId, msgType: string, since: number, elapsedMs: number, before: () => TraceLine[]): Promise<RpcResponse> {
    await this.settle([to]);
    const requests = this.rt.trace.lines({ since, node: from, kinds: ['send'] }).filter((l) => l.kind === 'send' && l.to === to && l.msgType === msgType && l.replyTo === undefined);
    const requestIds = requests.map((l) => (l as { msg: string }).msg);
    const result: RpcResult = { outcome: 'caller-died', attempts: Math.max(1, requestIds.length), requestIds, elapsedMs, error: `${from} was ${this.rt.nodes.state(from)} before the call ended` };
    return this.rpcStory(from, to, result, since, before());
  }

  /** What the sender saw beside what the trace shows happened to its requests and their replies. */
  private rpcStory(from: NodeId, to: NodeId, result: RpcResult, since: number, before: readonly TraceLine[]): RpcResponse {
    const lines = this.rt.trace.lines({ since });
    // What happened to the two processes meanwhile belongs to the story too (a crash, a pause).
    const processes = lines.filter((l) => PROCESS_EVENTS.has(l.kind) && (l.node === from || l.node === to));
    return { result, trace: byTrueTime([...before, ...relatedToRequests(lines, result.requestIds), ...processes]) };
  }

  /**
   * A client request on `node` itself (a register's `write` or `read`, a `sync` round): answered by
   * the behaviour that takes `msgType` there; refused (`bad-request`) when none does.
   */
  async invoke(node: NodeId, msgType: string, body: Record<string, unknown> = {}): Promise<InvokeResponse> {
    const request = check(invokeRequestSchema, { node, msgType, body }, 'invoke');
    const raw = await this.rt.nodes.channel(node, 'answer a client').command({ type: 'invoke', msgType: request.msgType, body: request.body }, COMMAND_TIMEOUT_MS);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FaultlineError('failed', `${node} answered ${msgType} with something that is not an object`);
    return { node, msgType, answer: raw as Record<string, unknown> };
  }

  /**
   * A client's request to the program `node` hosts (Maelstrom's protocol: `faultline test`):
   * answered with the program's reply, or `timeout` after `timeoutMs` (the node measures it).
   */
  async client(node: NodeId, message: MaelstromMessage, timeoutMs: number): Promise<ClientResult> {
    const raw = await this.rt.nodes.channel(node, 'answer a client').command({ type: 'client', message, timeoutMs }, timeoutMs + COMMAND_TIMEOUT_MS);
    const result = clientResultSchema.safeParse(raw);
    if (!result.success) throw new FaultlineError('failed', `${node} answered a client with something that is not a ClientResult`);
    return result.data;
  }

  /** Whether the program `node` hosts has answered `init`, waiting up to `timeoutMs` for it. */
  async programReady(node: NodeId, timeoutMs: number): Promise<boolean> {
    const raw = await this.rt.nodes.channel(node, 'say whether its program is ready').command({ type: 'program_ready', timeoutMs }, timeoutMs + COMMAND_TIMEOUT_MS);
    return typeof raw === 'object' && raw !== null && (raw as { ready?: unknown }).ready === true;
  }

  /** `from` sends one message to `to`, no reply expected. */
  async send(from: NodeId, to: NodeId, msgType = 'echo', body: Record<string, unknown> = {}): Promise<void> {
    check(sendRequestSchema, { from, to, msgType, body }, 'send');
    this.controller().linkOf(from, to);
    await this.rt.nodes.channel(from, 'send').command({ type: 'send', to, msgType, body }, COMMAND_TIMEOUT_MS);
  }

  /**
   * A load tool (benchmarks, lessons): `from` sends `count` (1 … 1,000,000) messages of type
   * `msgType` to `to` back to back, no replies expected; each is an ordinary traced send. Resolves
   * when `from` has handed them all to its link (not when they arrived: watch the trace for that).
   */
  async burst(from: NodeId, to: NodeId, count: number, msgType = 'burst'): Promise<BurstResult> {
    this.controller().linkOf(from, to);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new FaultlineError('bad-request', `burst: count must be an integer in 1 … 1000000, got ${count}`);
    if (msgType.length === 0) throw new FaultlineError('bad-request', 'burst: msgType must not be empty');
    const raw = await this.rt.nodes.channel(from, 'send').command({ type: 'burst', to, count, msgType }, COMMAND_TIMEOUT_MS + count);
    const result = burstResultSchema.safeParse(raw);
    if (!result.success) throw new FaultlineError('failed', `${from} answered burst with something that is not a BurstResult`);
    return result.data;
  }

  /**
   * Starts a behaviour on a node (a service, a counter, a log: `BehaviourSpec`). The lab remembers
   * it: a revived node starts it again, with a fresh memory (what the old process held is gone).
   */
  startBehaviour(id: NodeId, spec: BehaviourSpecInput, options: { readonly among?: readonly NodeId[] } = {}): Promise<void> {
    const behaviour = check(behaviourSpecSchema, spec, 'behaviour');
    for (const peer of options.among ?? []) if (!this.nodes.includes(peer)) throw new FaultlineError('unknown-node', `among: ${peer} is not a node of this lab (${this.nodes.join(', ')})`);
    if (behaviour.name === 'sync' && behaviour.server !== undefined) {
      if (!this.nodes.includes(behaviour.server)) throw new FaultlineError('unknown-node', `behaviour.server: ${behaviour.server} is not a node of this lab (${this.nodes.join(', ')})`);
      if (behaviour.server === id) throw new FaultlineError('bad-request', `behaviour.server: ${id} cannot be its own time server`);
    }
    return this.serial.run(() => this.rt.startBehaviour(id, behaviour, options.among));
  }

  /** Stops a behaviour started on a node (it forgets its state), and no revival starts it again. */
  stopBehaviour(id: NodeId, name: BehaviourSpec['name']): Promise<void> {
    this.rt.nodes.require(id);
    return this.serial.run(() => this.rt.stopBehaviour(id, name));
  }

  /** The behaviours started on a node (and started again when it is revived). */
  behaviours(id: NodeId): readonly BehaviourSpec[] {
    this.rt.nodes.require(id);
    return this.rt.behavioursOf(id);
  }

  /** The lab, each node's own answer to `status` (running nodes only), and each link's faults. */
  async status(): Promise<LabStatus> {
    const nodes = await Promise.all(
      this.rt.ids.map(async (id) => {
        const state = this.rt.nodes.state(id);
        const base = { id, pid: this.rt.nodes.pid(id), state };
        if (state !== 'running') return base;
        try {
          const raw = await this.rt.nodes.channel(id, 'answer').command({ type: 'status' }, STATUS_TIMEOUT_MS);
          const parsed = nodeStatusSchema.safeParse(raw);
          return parsed.success ? { ...base, status: parsed.data } : base;
        } catch {
          return base;
        }
      }),
    );
    const book = this.controller().book;
    return {
      seed: this.seed,
      runDir: this.runDir,
      proxyUrl: this.proxyUrl,
      messageFaults: this.messageFaults,
      controlUrl: this.controlUrl ?? '',
      nodes,
      links: this.rt.links.map((l) => ({ name: l.name, from: l.from, to: l.to, faults: book.describe(l) })),
    };
  }

  // ── the control API and the end ───────────────────────────────────────────

  /**
   * Starts the HTTP control API on 127.0.0.1, or the lab's `listenHost` (`port` 0: any free port); answers its URL. With
   * `dashboardDir` (the built dashboard) it also serves the page at `/`, on the same origin.
   */
  async serve(port = 0, options: ServeOptions<Lab> = {}): Promise<string> {
    if (!this.startApi) throw new FaultlineError('unsupported', 'this lab was made without a control API');
    const { listenHost } = this.rt.o.config;
    const names = [listenHost, this.rt.placement.controlHost].filter((h) => h !== '0.0.0.0' && h !== '::');
    this.api ??= await this.startApi(this, port, this.rt.o.logger, { host: listenHost, hostNames: names, ...options });
    return this.api.url;
  }

  /**
   * The lab's secret, which every handshake on a node's peer port and on the control channel must
   * carry: for a test that plays a peer of the lab. It is never printed nor written to a file.
   */
  labSecret(): string {
    return this.rt.secret;
  }

  /** Every PID the lab started and every port it opened (for checking that stop left none). */
  resources(): { pids: number[]; ports: number[] } {
    const r = this.rt.resources();
    return this.api ? { pids: r.pids, ports: [...r.ports, this.api.port] } : r;
  }

  /** SIGTERM every node, close the servers, stop the proxy (or delete the lab's proxies on an external one). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.api?.close();
      await this.rt.stop();
      this.markStopped();
    })();
    return this.stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  private isRunning(id: NodeId): boolean {
    return this.rt.nodes.state(id) === 'running';
  }

  private controller(): NonNullable<LabRuntime['controller']> {
    if (!this.rt.controller) throw new FaultlineError('conflict', 'the lab is not started');
    return this.rt.controller;
  }

  /**
   * The partition or block lines that cut the links between `a` and `b` as a call starts, and
   * the function that answers those that still cut them when it ends (the ones healed meanwhile
   * are left out). Without them a request on a cut link reads as one that was lost.
   */
  private cutsAtStart(a: NodeId, b: NodeId): () => TraceLine[] {
    const controller = this.controller();
    const links = [controller.linkOf(a, b), controller.linkOf(b, a)];
    const atStart = links.map((l) => ({ link: l, line: this.rt.landmarks.lastCutOf(l.name) }));
    return () => {
      const found = new Map<number, TraceLine>();
      for (const { link, line } of atStart) if (line && controller.book.isCut(link)) found.set(line.seq, line);
      return [...found.values()];
    };
  }

  /** Waits until what `ids` reported before now has arrived: each answers `status` after its earlier trace lines. */
  private async settle(ids: readonly NodeId[]): Promise<void> {
    await Promise.all(
      ids.filter((id) => this.isRunning(id)).map((id) => this.rt.nodes.channel(id, 'answer').command({ type: 'status' }, STATUS_TIMEOUT_MS).catch(() => undefined)),
    );
    if (this.messageFaults) await new Promise((r) => setTimeout(r, PROXY_EVENT_SLACK_MS));
  }
}
