/**
 * Faults on links (shell): checks a request, asks the FaultBook which toxics change, applies them
 * on the proxy, and records a `fault` line. Also waits for links to come up, as the senders report.
 */
import type { LinkFaultsRequest, NodeId } from '@faultline/protocol';
import type { Logger } from 'pino';
import { FaultBook, type ToxicChange } from './fault-book.js';
import { FaultlineError } from '@faultline/protocol';
import { cutToxic, describeFault, linkFaultChanges, reportingCutToxic, requireMessageFaults } from './link-faults.js';
import type { LinkHealth } from './link-health.js';
import { link as makeLink, type Link } from './links.js';
import { cutLinks, describePartition, partitionGroups } from './partition.js';
import type { ProxyAdmin } from './proxy-admin.js';
import type { TraceRecorder } from './trace-recorder.js';

/** How long heal waits for the senders to reconnect over the links it opened. */
const RECONNECT_WAIT_MS = 5_000;

export interface LinkControllerOptions {
  readonly ids: readonly NodeId[];
  readonly links: readonly Link[];
  /** Undefined for a lab without proxies (`direct`): every fault is then `unsupported`. */
  readonly admin: ProxyAdmin | undefined;
  readonly trace: TraceRecorder;
  readonly health: LinkHealth;
  readonly logger: Logger;
  /** Both ends of a link must be running for it to come up. */
  readonly isRunning: (id: NodeId) => boolean;
}

export class LinkController {
  readonly book: FaultBook;
  private readonly byName: ReadonlyMap<string, Link>;

  constructor(private readonly o: LinkControllerOptions) {
    this.book = new FaultBook(o.links, o.admin?.hasToxic('ws_cut') ? reportingCutToxic : cutToxic);
    this.byName = new Map(o.links.map((l) => [l.name, l]));
  }

  requireNode(id: string): NodeId {
    if (!this.o.ids.includes(id)) throw new FaultlineError('unknown-node', `no node ${id} in this lab (it has ${this.o.ids.join(', ')})`);
    return id;
  }

  /** The link `from` → `to`, or `unknown-node` / `bad-request`. */
  linkOf(from: string, to: string): Link {
    this.requireNode(from);
    this.requireNode(to);
    if (from === to) throw new FaultlineError('bad-request', `expected two different nodes, got ${from} twice (a node has no link to itself)`);
    return this.byName.get(makeLink(from, to).name)!;
  }

  async partition(groups: readonly (readonly NodeId[])[]): Promise<Link[]> {
    const full = partitionGroups(this.o.ids, groups);
    const cut = cutLinks(full);
    await this.apply(this.book.partition(cut));
    this.record('set', describePartition(full), cut);
    return cut;
  }

  async block(from: NodeId, to: NodeId): Promise<void> {
    const l = this.linkOf(from, to);
    await this.apply(this.book.block(l));
    this.record('set', `block ${from} ${to}`, [l]);
  }

  /** Ends the partition and every block; waits (a while) for the senders to reconnect. */
  async heal(): Promise<Link[]> {
    const since = this.o.trace.lastSeq;
    const changes = this.book.heal();
    await this.apply(changes);
    const opened = changes.map((c) => c.link);
    this.record('clear', 'heal', opened);
    const live = opened.filter((l) => this.o.isRunning(l.from) && this.o.isRunning(l.to));
    try {
      await this.waitForLinks(live, RECONNECT_WAIT_MS, since);
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'healed, but not every link came back up');
    }
    return opened;
  }

  async link(from: NodeId, to: NodeId, request: LinkFaultsRequest): Promise<void> {
    const forward = this.linkOf(from, to);
    const links = request.both ? [forward, this.linkOf(to, from)] : [forward];
    const changes = linkFaultChanges(request);
    requireMessageFaults(changes.set.keys(), this.admin.messageFaults, this.admin.url);
    await this.apply(links.flatMap((l) => this.book.setFaults(l, changes)));
    const words = [...[...changes.set].map(([kind, toxic]) => describeFault(kind, toxic)), ...changes.clear.map((k) => `no ${k}`)];
    this.record('set', `link ${forward.name}${request.both ? ' both' : ''} ${words.join(', ')}`, links);
  }

  /**
   * Clears link faults: all links, one link (`from`, `to`; with `both` the link back too), or
   * every link from `from` / to `to`.
   */
  async clear(from?: NodeId, to?: NodeId, both = false): Promise<Link[]> {
    if (from !== undefined && to !== undefined) this.linkOf(from, to);
    for (const id of [from, to]) if (id !== undefined) this.requireNode(id);
    const back = both && from !== undefined && to !== undefined;
    const ends = back ? [[from, to], [to, from]] : [[from, to]];
    const links = this.o.links.filter((l) => ends.some(([a, b]) => (a === undefined || l.from === a) && (b === undefined || l.to === b)));
    const down = links.filter((l) => this.book.has(l, 'reset'));
    await this.apply(this.book.clear(links));
    const what = from === undefined && to === undefined ? 'link clear' : `link clear ${from ?? '*'}-${to ?? '*'}${back ? ' both' : ''}`;
    this.record('clear', what, links);
    // A reset fault may have left links down; give the senders a moment to reconnect.
    const live = down.filter((l) => this.o.isRunning(l.from) && this.o.isRunning(l.to));
    await this.waitForLinks(live, RECONNECT_WAIT_MS).catch(() => undefined);
    return links;
  }

  async hold(from: NodeId, to: NodeId): Promise<void> {
    const l = this.linkOf(from, to);
    requireMessageFaults(['hold'], this.admin.messageFaults, this.admin.url);
    await this.apply(this.book.hold(l));
    this.record('set', `hold ${from} ${to}`, [l]);
  }

  async release(from: NodeId, to: NodeId): Promise<void> {
    const l = this.linkOf(from, to);
    await this.apply(this.book.release(l));
    this.record('clear', `release ${from} ${to}`, [l]);
  }

  /**
   * Resolves when every link is up (with `since`: has reported `peer_up` after that seq and is up);
   * rejects with a `timeout` naming the links still down.
   */
  waitForLinks(links: readonly Link[], timeoutMs: number, since?: number, signal?: AbortSignal): Promise<void> {
    const pending = (): Link[] =>
      links.filter((l) => !this.o.health.isUp(l) || (since !== undefined && !this.upSince(l, since)));
    if (pending().length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        stop();
        signal?.removeEventListener('abort', halted);
      };
      const check = (): void => {
        if (pending().length > 0) return;
        done();
        resolve();
      };
      // The lab is stopping (Ctrl-C during start-up): nothing to wait for any more.
      const halted = (): void => {
        done();
        reject(new FaultlineError('interrupted', 'the lab was stopped while waiting for its links'));
      };
      const stop = this.o.health.onChange(check);
      const timer = setTimeout(() => {
        done();
        const names = pending().map((l) => l.name);
        reject(new FaultlineError('timeout', `links still down after ${timeoutMs} ms: ${names.join(', ')}`));
      }, timeoutMs);
      if (signal?.aborted) halted();
      else signal?.addEventListener('abort', halted, { once: true });
    });
  }

  private get admin(): ProxyAdmin {
    if (!this.o.admin) throw new FaultlineError('unsupported', 'this lab runs without proxies (direct): links cannot be faulted');
    return this.o.admin;
  }

  private upSince(l: Link, since: number): boolean {
    return this.o.trace.lines({ since, node: l.from, kinds: ['peer_up'] }).some((line) => line.kind === 'peer_up' && line.peer === l.to);
  }

  private async apply(changes: readonly ToxicChange[]): Promise<void> {
    // Changes to different links are independent; on one link they go in order.
    const byLink = new Map<string, ToxicChange[]>();
    for (const c of changes) byLink.set(c.link.name, [...(byLink.get(c.link.name) ?? []), c]);
    await Promise.all(
      [...byLink.values()].map(async (list) => {
        for (const change of list) await this.admin.apply(change);
      }),
    );
  }

  private record(action: 'set' | 'clear', fault: string, links: readonly Link[]): void {
    this.o.trace.lab({ kind: 'fault', action, fault, links: links.map((l) => l.name) });
  }
}
