/**
 * The running parts of a lab (shell) and the order they start and stop in: the trace, the proxy,
 * the control channel's server, the node processes, one proxy per directed link, the proxy's
 * message events. It routes what nodes report into the trace and the link health, and revives
 * nodes (which touches processes, proxies and peers at once).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BehaviourSpec, LabConfig, MaelstromBody, MaelstromMessage, NodeId } from '@faultline/protocol';
import type { Logger } from 'pino';
import { FaultlineError } from '@faultline/protocol';
import { ControlServer } from './control-server.js';
import { spawnProxy, type ProxyProcess } from './launch/spawn-proxy.js';
import { LinkController } from './link-controller.js';
import { LinkHealth } from './link-health.js';
import { allLinks, linksOf, nodeIds, type Link } from './links.js';
import type { NodeChannel } from './node-channel.js';
import { nodeArgs, nodeEnv } from './launch/node-command.js';
import { newLabSecret } from '@faultline/protocol/lab-secret';
import { localLauncher, type NodeCommand } from './node-process.js';
import { NodeSupervisor } from './node-supervisor.js';
import { AgentLink } from './agent/agent-link.js';
import { placementOf, type Placement } from './placement.js';
import { authHeaders, ProxyAdmin } from './proxy-admin.js';
import { ProxyEventGate } from './proxy-event-gate.js';
import { mapProxyEvent, type MappedProxyEvent } from './proxy-event-map.js';
import { ProxyEventsClient } from './proxy-events-client.js';
import { nodeSeed } from './seed.js';
import { TraceLandmarks } from './trace-landmarks.js';
import { TraceRecorder } from './trace-recorder.js';

const HELLO_TIMEOUT_MS = 20_000;
const COMMAND_TIMEOUT_MS = 5_000;

export interface RuntimeOptions {
  readonly config: LabConfig;
  readonly seed: string;
  readonly runDir: string;
  readonly logger: Logger;
  readonly nodeCommand: NodeCommand;
  /** How long start and revive wait for links to come up. */
  readonly linksTimeoutMs: number;
  /** No proxy: each node's peers are the other nodes' own ports (a baseline for benchmarks and tests). */
  readonly direct?: boolean;
  /** The API token of a faultline-proxy that listens beyond loopback (its own container). */
  readonly toxiproxyToken?: string;
  /** Answers the hosted programs' requests to services (lin-kv …): `faultline test` hands them in. */
  readonly services?: ServiceHandler;
}

/**
 * Answers one request of a hosted program to a service (`dest`: lin-kv, seq-kv, lww-kv, lin-tso):
 * the reply's body. The coordinator knows no service itself: whoever starts the lab hands this in.
 */
export type ServiceHandler = (request: MaelstromMessage) => MaelstromBody;

/** How long start-up waits for the agents' containers to answer. */
const AGENTS_TIMEOUT_MS = 60_000;
/** How long a revive waits for an agent whose connection was lost to answer again. */
const REDIAL_TIMEOUT_MS = 15_000;

export class LabRuntime {
  readonly ids: NodeId[];
  readonly links: Link[];
  /**
   * The lab's secret: every node gets it in its environment, and every handshake on a node's peer
   * port or the control channel must carry it. It stays in this process (no file, no argv).
   */
  readonly secret = newLabSecret();
  readonly trace: TraceRecorder;
  /** What is in force (pauses, cuts), kept as lines pass. */
  readonly landmarks = new TraceLandmarks();
  readonly health = new LinkHealth();
  readonly nodes: NodeSupervisor;
  /** Where the processes run, and the names they reach each other by. */
  readonly placement: Placement;
  /** With agents: the connection to each node's agent. */
  private readonly agentLinks = new Map<NodeId, AgentLink>();
  proxy?: ProxyProcess;
  admin?: ProxyAdmin;
  control?: ControlServer;
  controller?: LinkController;
  private events?: ProxyEventsClient;
  /** Holds a proxy event until the trace has the send of its message (the two come by different ways). */
  private readonly gate: ProxyEventGate<MappedProxyEvent>;
  private gateTimer?: NodeJS.Timeout;
  private linkPorts = new Map<string, number>();
  /** The behaviours started on each node, started again when it is revived. */
  private readonly behaviours = new Map<NodeId, { spec: BehaviourSpec; among?: readonly NodeId[] }[]>();
  private readonly linkByName: Map<string, Link>;
  /** Aborted by `stop()`: a start-up still under way gives up at its next step. */
  private readonly halt = new AbortController();

  constructor(readonly o: RuntimeOptions) {
    this.ids = nodeIds(o.config.nodes);
    this.links = allLinks(this.ids);
    this.linkByName = new Map(this.links.map((l) => [l.name, l]));
    this.trace = new TraceRecorder(join(o.runDir, 'trace.ndjson'), {
      onForced: (line) => o.logger.warn({ seq: line.seq, node: line.node, kind: line.kind }, 'a trace line was written before its cause, which did not come in time'),
    });
    // A send may wait for its own causes, so the gate waits as long as a line may, and a little more.
    this.gate = new ProxyEventGate<MappedProxyEvent>((m) => this.trace.lab(m.event, { node: m.node, trueMs: m.trueMs }), this.trace.maxHoldMs + 250);
    this.trace.subscribe((line) => {
      this.landmarks.observe(line);
      this.health.observe(line);
      if (line.kind === 'send' && line.clocks !== undefined) this.gate.sentMessage(line.msg, performance.now());
    });
    this.trace.lab({ kind: 'run_start', seed: o.seed, config: { ...o.config, seed: o.seed } });
    this.placement = placementOf(o.config, this.ids);
    // A node that hosts a program leads a process group, so that a kill or a pause reaches the program.
    const spawn = { group: o.config.program !== undefined };
    const local = localLauncher(o.nodeCommand, spawn);
    this.nodes = new NodeSupervisor({
      ids: this.ids,
      launcher: (id, args, env, logFile) => {
        if (!this.placement.agents) return local(id, args, env, logFile);
        return this.agentFor(id).then((agent) => agent.launch(args, env, logFile, spawn));
      },
      argsFor: (id, incarnation) =>
        nodeArgs({
          id,
          incarnation,
          controlUrl: this.control!.url,
          heartbeatMs: o.config.heartbeatMs,
          seed: nodeSeed(o.seed, this.ids.indexOf(id) + 1),
          labNodes: this.ids,
          ...(this.placement.agents ? { listen: this.placement.nodeListenHost } : {}),
          ...(o.config.program ? { program: o.config.program } : {}),
        }),
      env: nodeEnv(this.secret),
      runDir: o.runDir,
      logger: o.logger,
      onExit: (id, exit) => {
        this.health.nodeGone(id);
        this.trace.lab({ kind: 'exit', code: exit.code, signal: exit.signal }, { node: id });
        o.logger.warn({ node: id, ...exit }, 'a node exited on its own');
      },
    });
  }

  /** Every port the lab listens on or made a proxy listen on, and every PID it started. */
  resources(): { pids: number[]; ports: number[] } {
    // Direct, the links' ports are the nodes' own.
    const ports = [...(this.o.direct ? [] : this.linkPorts.values()), ...this.nodes.ports()];
    if (this.control) ports.push(this.control.port);
    if (this.proxy) ports.push(Number(new URL(this.proxy.url).port));
    return { pids: [...this.nodes.pids(), ...(this.proxy ? [this.proxy.pid] : [])], ports };
  }

  get proxyUrl(): string {
    return this.admin?.url ?? this.o.config.toxiproxyUrl ?? '';
  }

  /** Throws `interrupted` once `stop()` was called (Ctrl-C during start-up). */
  private checkHalt(): void {
    if (this.halt.signal.aborted) throw new FaultlineError('interrupted', 'the lab was stopped while it was starting');
  }

  async boot(): Promise<void> {
    const { config, seed, logger } = this.o;
    const control = await ControlServer.start(
      {
        hello: (channel) => {
          const accepted = this.nodes.hello(channel);
          if (accepted) this.trace.nodeOpened(channel.node);
          return accepted;
        },
        traces: (node, messages) => this.trace.nodeEvents(node, messages),
        settled: (node, fn) => this.trace.whenWritten(node, fn),
        service: (node, message) => this.service(node, message),
        closed: (channel) => {
          this.nodes.closed(channel);
          this.trace.nodeClosed(channel.node);
        },
      },
      logger,
      this.secret,
      { host: this.placement.listenHost, advertise: this.placement.controlHost },
    );
    // Started after stop() ran: nobody else will close it.
    if (this.halt.signal.aborted) await control.close();
    this.checkHalt();
    this.control = control;
    // The proxy and the nodes start side by side (each takes a second to load); both are
    // settled before an error is thrown, so stop() finds everything that was started.
    const proxyReady = (async () => {
      if (this.o.direct) return undefined;
      if (config.toxiproxyUrl === undefined) {
        const proxy = await spawnProxy(['--seed', seed]);
        // Up after stop() ran: nobody else will stop it.
        if (this.halt.signal.aborted) await proxy.stop();
        this.checkHalt();
        this.proxy = proxy;
      }
      this.admin = await ProxyAdmin.connect(this.proxy?.url ?? config.toxiproxyUrl!, this.proxy ? undefined : this.o.toxiproxyToken);
      return this.admin;
    })();
    const nodesReady = (async () => {
      if (this.placement.agents) await this.connectAgents();
      return Promise.all(this.ids.map((id) => this.nodes.start(id, HELLO_TIMEOUT_MS)));
    })();
    const [proxied, started] = await Promise.allSettled([proxyReady, nodesReady]);
    this.checkHalt();
    if (proxied.status === 'rejected') throw proxied.reason;
    if (started.status === 'rejected') throw started.reason;
    const admin = proxied.value;
    const channels = started.value;
    const portOf = new Map(channels.map((c) => [c.node, c.hello.port]));
    this.linkPorts = admin
      ? await admin.createLinks(
          this.links.map((l) => ({ link: l, upstreamHost: this.placement.nodeHost(l.to), upstreamPort: portOf.get(l.to)! })),
          this.placement.linkListenHost,
        )
      : new Map(this.links.map((l) => [l.name, portOf.get(l.to)!]));
    this.controller = new LinkController({
      ids: this.ids,
      links: this.links,
      admin,
      trace: this.trace,
      health: this.health,
      logger,
      isRunning: (id) => this.nodes.state(id) === 'running',
    });
    this.checkHalt();
    const eventsUrl = admin?.eventsUrl;
    if (eventsUrl) {
      const events = await ProxyEventsClient.start(eventsUrl, (ev) => this.proxyEvent(ev), logger, authHeaders(admin?.token));
      if (this.halt.signal.aborted) events.stop();
      this.checkHalt();
      this.events = events;
    }
    await Promise.all(channels.map((c) => this.setPeers(c)));
    this.checkHalt();
    await this.controller.waitForLinks(this.links, this.o.linksTimeoutMs, undefined, this.halt.signal);
  }

  /**
   * A hosted program's request to a service: answered at once from the service (a lab without
   * services answers Maelstrom's `not-supported`), delivered to the program's stdin.
   */
  private service(node: NodeId, request: MaelstromMessage): void {
    const body = this.o.services
      ? this.o.services(request)
      : { type: 'error', code: 10, text: `this lab runs no ${request.dest} (faultline test runs the services: lin-kv, seq-kv, lww-kv, lin-tso)`, ...(request.body.msg_id === undefined ? {} : { in_reply_to: request.body.msg_id }) };
    const reply: MaelstromMessage = { src: request.dest, dest: node, body };
    if (this.nodes.state(node) !== 'running') return;
    this.nodes
      .channel(node, 'take a service reply')
      .command({ type: 'deliver', message: reply }, COMMAND_TIMEOUT_MS)
      .catch((err: unknown) => this.o.logger.warn({ node, err: (err as Error).message }, 'a service reply was not delivered'));
  }

  /** The behaviours started on `id` so far. */
  behavioursOf(id: NodeId): readonly BehaviourSpec[] {
    return (this.behaviours.get(id) ?? []).map((b) => b.spec);
  }

  /** Starts `spec` on a running node and remembers it for revivals. */
  async startBehaviour(id: NodeId, spec: BehaviourSpec, among?: readonly NodeId[]): Promise<void> {
    const channel = this.nodes.channel(id, 'start a behaviour');
    await channel.command({ type: 'start_behaviour', behaviour: spec, ...(among ? { among: [...among] } : {}) }, COMMAND_TIMEOUT_MS);
    this.behaviours.set(id, [...(this.behaviours.get(id) ?? []), { spec, ...(among ? { among } : {}) }]);
  }

  /** Stops behaviour `name` on `id` (if it runs: a dead node's is only forgotten) and forgets it for revivals. */
  async stopBehaviour(id: NodeId, name: BehaviourSpec['name']): Promise<void> {
    const started = this.behaviours.get(id) ?? [];
    if (!started.some((b) => b.spec.name === name)) throw new FaultlineError('bad-request', `${id} runs no ${name}`);
    this.behaviours.set(id, started.filter((b) => b.spec.name !== name));
    if (this.nodes.state(id) === 'running') await this.nodes.channel(id, 'stop a behaviour').command({ type: 'stop_behaviour', name }, COMMAND_TIMEOUT_MS);
  }

  /** Starts a new process for a dead node, points the links to it at its new port, connects it. */
  async revive(id: NodeId): Promise<void> {
    this.nodes.requireDead(id);
    const since = this.trace.lastSeq;
    const channel = await this.nodes.start(id, HELLO_TIMEOUT_MS, (pid) => this.trace.lab({ kind: 'revive', pid }, { node: id }));
    const inbound = this.links.filter((l) => l.to === id);
    if (this.admin) {
      await Promise.all(inbound.map((l) => this.admin!.setUpstream(l.name, this.placement.nodeHost(id), channel.hello.port)));
      await this.setPeers(channel);
    } else {
      // Direct: the other nodes must be told the new port.
      for (const l of inbound) this.linkPorts.set(l.name, channel.hello.port);
      const others = this.ids.filter((other) => other !== id && this.nodes.state(other) === 'running');
      await Promise.all([channel, ...others.map((other) => this.nodes.channel(other, 'connect'))].map((c) => this.setPeers(c)));
    }
    for (const { spec, among } of this.behaviours.get(id) ?? []) await channel.command({ type: 'start_behaviour', behaviour: spec, ...(among ? { among: [...among] } : {}) }, COMMAND_TIMEOUT_MS);
    const controller = this.controller!;
    const live = linksOf(this.links, id).filter(
      (l) => this.nodes.state(l.from) === 'running' && this.nodes.state(l.to) === 'running' && !controller.book.isCut(l),
    );
    await controller.waitForLinks(live, this.o.linksTimeoutMs, since);
  }

  /** Stops everything that was started, in reverse order; never throws. */
  async stop(): Promise<void> {
    this.halt.abort();
    const step = async (what: string, fn: () => Promise<void> | void): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        this.o.logger.error({ err: (err as Error).message }, `stopping the lab: ${what} failed`);
      }
    };
    await step('nodes', () => this.nodes.stopAll());
    for (const agent of this.agentLinks.values()) agent.close();
    await step('control server', () => this.control?.close());
    await step('proxy events', () => this.events?.stop());
    clearTimeout(this.gateTimer);
    this.gate.drain();
    if (this.proxy) await step('proxy', () => this.proxy?.stop());
    else await step('proxies', () => this.admin?.removeLinks());
    this.trace.close();
  }

  /**
   * Node `id`'s agent, connected again if its connection was lost (its container restarted: the
   * agent there waits for a coordinator), so a revive works after it.
   */
  private async agentFor(id: NodeId): Promise<AgentLink> {
    const known = this.agentLinks.get(id);
    if (known && !known.gone) return known;
    const address = this.placement.agentOf(id)!;
    const link = await AgentLink.connect(address, REDIAL_TIMEOUT_MS, this.o.logger, this.halt.signal);
    this.agentLinks.set(id, link);
    return link;
  }

  /** Connects to every node's agent (their containers may still be starting), or throws. */
  private async connectAgents(): Promise<void> {
    const links = await Promise.allSettled(
      this.ids.map(async (id) => {
        const link = await AgentLink.connect(this.placement.agentOf(id)!, AGENTS_TIMEOUT_MS, this.o.logger, this.halt.signal);
        this.agentLinks.set(id, link);
      }),
    );
    const failed = links.find((l) => l.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async setPeers(channel: NodeChannel): Promise<void> {
    const peers: Record<NodeId, string> = {};
    // Through the proxy, a link is dialled at the proxy's host; direct, at the peer's own.
    for (const l of this.links) if (l.from === channel.node) peers[l.to] = `ws://${this.admin ? this.placement.proxyHost : this.placement.nodeHost(l.to)}:${this.linkPorts.get(l.name)}/`;
    await channel.command({ type: 'set_peers', peers }, COMMAND_TIMEOUT_MS);
  }

  private proxyEvent(ev: Parameters<typeof mapProxyEvent>[0]): void {
    const mapped = mapProxyEvent(ev, this.linkByName);
    if (!mapped) return;
    const msg = mapped.event.kind === 'proxy' && mapped.event.msg !== undefined ? String(mapped.event.msg) : undefined;
    this.gate.push({ msg, value: mapped }, performance.now());
    this.armGate();
  }

  /** While a proxy event waits for its send, flush again when its wait is over. */
  private armGate(): void {
    if (this.gateTimer) return;
    const deadline = this.gate.nextDeadline();
    if (deadline === undefined) return;
    this.gateTimer = setTimeout(() => {
      this.gateTimer = undefined;
      this.gate.flush(performance.now());
      this.armGate();
    }, Math.max(1, deadline - performance.now()));
    this.gateTimer.unref();
  }
}
