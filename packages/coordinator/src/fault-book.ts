/**
 * The faults the lab wants on each link (pure): the current partition, the blocks, and the link
 * faults. Every change returns the toxic changes that bring the proxy from the old state to the
 * new one; the shell applies them. A link is cut while a partition or a block cuts it; `heal` ends
 * both. Link faults (`link`, `hold`) are separate and survive a heal.
 */
import { FaultlineError } from '@faultline/protocol';
import { cutToxic as plainCutToxic, describeFault, holdToxic, type FaultKind, type LinkFaultChanges, type ToxicSpec } from './link-faults.js';
import type { Link } from './links.js';

export interface ToxicChange {
  readonly link: Link;
  readonly op: 'add' | 'update' | 'remove';
  readonly toxic: ToxicSpec;
}

const ORDER: readonly FaultKind[] = ['cut', 'hold', 'latency', 'bandwidth', 'reset', 'drop', 'duplicate', 'reorder'];

export class FaultBook {
  private partitioned = new Set<string>();
  private readonly blocked = new Set<string>();
  private readonly toxics = new Map<string, Map<FaultKind, ToxicSpec>>();
  private readonly links: ReadonlyMap<string, Link>;

  /** `cut`: the toxic of a cut (faultline-proxy's reporting one when the proxy has it). */
  constructor(
    links: readonly Link[],
    private readonly cutToxic: ToxicSpec = plainCutToxic,
  ) {
    this.links = new Map(links.map((l) => [l.name, l]));
    for (const l of links) this.toxics.set(l.name, new Map());
  }

  isCut(l: Link): boolean {
    return this.partitioned.has(l.name) || this.blocked.has(l.name);
  }

  /** The links cut right now, by a partition or a block. */
  cut(): Link[] {
    return [...this.links.values()].filter((l) => this.isCut(l));
  }

  has(l: Link, kind: FaultKind): boolean {
    return kind === 'cut' ? this.isCut(l) : this.table(l).has(kind);
  }

  /** The link's faults in the CLI's words, `cut` first. */
  describe(l: Link): string[] {
    const table = this.table(l);
    return ORDER.flatMap((kind) => {
      if (kind === 'cut') return this.isCut(l) ? ['cut'] : [];
      const toxic = table.get(kind);
      return toxic ? [describeFault(kind, toxic)] : [];
    });
  }

  /** Replaces the current partition (blocks stay). */
  partition(cut: readonly Link[]): ToxicChange[] {
    return this.recut(() => {
      this.partitioned = new Set(cut.map((l) => l.name));
    });
  }

  block(l: Link): ToxicChange[] {
    return this.recut(() => this.blocked.add(l.name));
  }

  /** Ends the partition and every block. */
  heal(): ToxicChange[] {
    return this.recut(() => {
      this.partitioned = new Set();
      this.blocked.clear();
    });
  }

  /** Sets (replacing) and clears link faults on one link. */
  setFaults(l: Link, changes: LinkFaultChanges): ToxicChange[] {
    const table = this.table(l);
    const out: ToxicChange[] = [];
    for (const kind of changes.clear) {
      const old = table.get(kind);
      if (old) out.push({ link: l, op: 'remove', toxic: old });
      table.delete(kind);
    }
    for (const [kind, toxic] of changes.set) {
      const old = table.get(kind);
      out.push({ link: l, op: old && old.type === toxic.type ? 'update' : 'add', toxic });
      table.set(kind, toxic);
    }
    return out;
  }

  /** Removes every link fault (not cuts: `heal` ends those) from these links; a hold releases. */
  clear(links: readonly Link[]): ToxicChange[] {
    return links.flatMap((l) => {
      const table = this.table(l);
      const out = [...table.values()].map((toxic): ToxicChange => ({ link: l, op: 'remove', toxic }));
      table.clear();
      return out;
    });
  }

  hold(l: Link): ToxicChange[] {
    const table = this.table(l);
    if (table.has('hold')) throw new FaultlineError('conflict', `link ${l.name} is already held (release it first)`);
    table.set('hold', holdToxic);
    return [{ link: l, op: 'add', toxic: holdToxic }];
  }

  release(l: Link): ToxicChange[] {
    const table = this.table(l);
    if (!table.has('hold')) throw new FaultlineError('conflict', `link ${l.name} is not held, nothing to release`);
    table.delete('hold');
    return [{ link: l, op: 'remove', toxic: holdToxic }];
  }

  private table(l: Link): Map<FaultKind, ToxicSpec> {
    const table = this.toxics.get(l.name);
    if (!table) throw new FaultlineError('unknown-node', `the lab has no link ${l.name}`);
    return table;
  }

  private recut(mutate: () => void): ToxicChange[] {
    const before = new Set(this.cut().map((l) => l.name));
    mutate();
    const after = new Set(this.cut().map((l) => l.name));
    const out: ToxicChange[] = [];
    for (const l of this.links.values()) {
      if (!before.has(l.name) && after.has(l.name)) out.push({ link: l, op: 'add', toxic: this.cutToxic });
      if (before.has(l.name) && !after.has(l.name)) out.push({ link: l, op: 'remove', toxic: this.cutToxic });
    }
    return out;
  }
}
