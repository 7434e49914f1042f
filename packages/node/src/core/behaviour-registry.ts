/** The behaviours of one node, indexed by the message types they handle. */
import { FaultlineError } from '@faultline/protocol';
import type { NodeId } from '@faultline/protocol';
import type { Behaviour } from './behaviour.js';

export class BehaviourRegistry {
  private readonly byType = new Map<string, Behaviour>();
  private list: Behaviour[] = [];
  /** The only peers a behaviour sees (started `among` some nodes); absent: every peer. */
  private readonly among = new Map<Behaviour, ReadonlySet<NodeId>>();

  constructor(initial: readonly Behaviour[]) {
    for (const behaviour of initial) this.add(behaviour);
  }

  get all(): readonly Behaviour[] {
    return this.list;
  }

  /**
   * Adds a behaviour (seeing only the peers `among`, if given); a `duplicate-handler` error (and
   * nothing added) if one of its types is taken.
   */
  add(behaviour: Behaviour, among?: readonly NodeId[]): void {
    for (const type of behaviour.messageTypes) {
      const taken = this.byType.get(type);
      if (taken?.name === behaviour.name) throw new FaultlineError('duplicate-handler', `this node already runs ${behaviour.name} (one of a kind a node; start a new lab to change its settings)`);
      if (taken) {
        throw new FaultlineError('duplicate-handler', `message type "${type}" is handled by both ${taken.name} and ${behaviour.name}`);
      }
    }
    for (const type of behaviour.messageTypes) this.byType.set(type, behaviour);
    this.list.push(behaviour);
    if (among) this.among.set(behaviour, new Set(among));
  }

  /** The behaviour called `name`, if it runs. */
  get(name: string): Behaviour | undefined {
    return this.list.find((b) => b.name === name);
  }

  /** Removes the behaviour called `name`: answers it, or undefined if none runs. */
  remove(name: string): Behaviour | undefined {
    const behaviour = this.get(name);
    if (!behaviour) return undefined;
    for (const type of behaviour.messageTypes) this.byType.delete(type);
    this.list = this.list.filter((b) => b !== behaviour);
    this.among.delete(behaviour);
    return behaviour;
  }

  /** Whether `behaviour` may see `peer` (it was started among other nodes, or among every one). */
  sees(behaviour: Behaviour, peer: NodeId): boolean {
    return this.among.get(behaviour)?.has(peer) ?? true;
  }

  /** The behaviour for a message type, if any. */
  handlerFor(type: string): Behaviour | undefined {
    return this.byType.get(type);
  }

  /** The earliest wake-up any behaviour asked for, or null. */
  nextWakeMs(): number | null {
    let next: number | null = null;
    for (const behaviour of this.all) {
      const at = behaviour.wakeAtMs?.() ?? null;
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }
}
