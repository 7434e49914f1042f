/**
 * A proxy's toxics (Toxiproxy's ToxicCollection): one ordered chain per direction, applied to every
 * link of that direction, present and future. Names are unique across both directions.
 */
import type { Link } from '../link/link.js';
import type { ToxicSpec } from '../link/stage.js';
import type { AnyToxicDefinition, Direction } from '../toxics/toxic.js';

export type AttributeValue = number | bigint;

export interface Toxic {
  name: string;
  type: string;
  /** The stream as the client wrote it (`UpStream` stays `UpStream`); `direction` is the parsed one. */
  stream: string;
  direction: Direction;
  /** A float32, as Toxiproxy stores it. */
  toxicity: number;
  attributes: Record<string, AttributeValue>;
  def: AnyToxicDefinition;
}

export function toSpec(toxic: Toxic): ToxicSpec {
  const attributes: Record<string, number> = {};
  for (const key of Object.keys(toxic.def.attributes)) attributes[key] = Number(toxic.attributes[key] ?? 0);
  return { name: toxic.name, def: toxic.def, toxicity: toxic.toxicity, attributes };
}

export class ToxicCollection {
  private readonly chain: Record<Direction, Toxic[]> = { upstream: [], downstream: [] };
  readonly links = new Set<Link>();

  /** Upstream toxics first, then downstream, each in the order they were added (as Toxiproxy lists them). */
  list(): Toxic[] {
    return [...this.chain.upstream, ...this.chain.downstream];
  }

  specs(direction: Direction): ToxicSpec[] {
    return this.chain[direction].map(toSpec);
  }

  find(name: string): Toxic | undefined {
    return this.chain.upstream.find((t) => t.name === name) ?? this.chain.downstream.find((t) => t.name === name);
  }

  add(toxic: Toxic): void {
    this.chain[toxic.direction].push(toxic);
    const spec = toSpec(toxic);
    for (const link of this.links) if (link.direction === toxic.direction) link.addToxic(spec);
  }

  updated(toxic: Toxic): void {
    const spec = toSpec(toxic);
    for (const link of this.links) if (link.direction === toxic.direction) link.updateToxic(spec);
  }

  remove(name: string): boolean {
    const toxic = this.find(name);
    if (!toxic) return false;
    const list = this.chain[toxic.direction];
    list.splice(list.indexOf(toxic), 1);
    for (const link of this.links) if (link.direction === toxic.direction) link.removeToxic(name);
    return true;
  }

  reset(): void {
    for (const toxic of this.list()) this.remove(toxic.name);
  }
}
