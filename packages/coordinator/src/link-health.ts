/**
 * Which links the nodes say are up (pure): link `A-B` is up from A's `peer_up B` until A's
 * `peer_down B`, or until A's process is gone (a dead node reports nothing). This is the senders'
 * view; a cut link can look up, because a cut is silent.
 */
import type { NodeId, TraceLine } from '@faultline/protocol';
import { linkName } from '@faultline/protocol';
import type { Link } from './links.js';

export class LinkHealth {
  private readonly up = new Set<string>();
  private readonly listeners = new Set<() => void>();

  isUp(l: Link): boolean {
    return this.up.has(l.name);
  }

  /** The links of `links` that are not up, in order. */
  down(links: readonly Link[]): Link[] {
    return links.filter((l) => !this.up.has(l.name));
  }

  /** Takes in a trace line; listeners hear of every `peer_up` and `peer_down`, changed or not. */
  observe(line: TraceLine): void {
    if (line.node === undefined || (line.kind !== 'peer_up' && line.kind !== 'peer_down')) return;
    const name = linkName(line.node, line.peer);
    if (line.kind === 'peer_up') this.up.add(name);
    else this.up.delete(name);
    this.notify();
  }

  /** The node's process is gone: every link it sends on is down. */
  nodeGone(node: NodeId): void {
    const prefix = `${node}-`;
    let changed = false;
    for (const name of [...this.up]) {
      if (name.startsWith(prefix)) {
        this.up.delete(name);
        changed = true;
      }
    }
    if (changed) this.notify();
  }

  /** Calls `listener` after every change until the returned function is called. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
