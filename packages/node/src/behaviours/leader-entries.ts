/**
 * The entries a `leader` node holds, pure: per key, the values appended, each with the term of the
 * leader that appended it; at most `LEADER_MAX_VALUES` in all; and the term of the leader they came
 * from (0: none yet). A follower takes a leader's entries wholesale; `dropped` says which values
 * held here they lack (a value counted as often as it is held, told apart by term and value).
 */
import { LEADER_MAX_VALUES, type LeaderEntries, type LeaderEntry } from '@faultline/protocol';

/** A value held here and absent from a leader's entries. */
export interface DroppedValue {
  readonly key: string;
  readonly value: unknown;
  readonly term: number;
}

const signature = (e: LeaderEntry): string => `${e.term}\u0000${JSON.stringify(e.value)}`;

export class LeaderEntryStore {
  private readonly entries = new Map<string, LeaderEntry[]>();
  private total = 0;
  /** The term of the leader whose entries these are (0: none yet). */
  term = 0;

  /** How many values it holds, over every key. */
  get count(): number {
    return this.total;
  }

  /** It holds `LEADER_MAX_VALUES` values, the most it keeps. */
  get full(): boolean {
    return this.total >= LEADER_MAX_VALUES;
  }

  /** Whether entries of `term` with `count` values are older than these: by term, then count. */
  newerThan(term: number, count: number): boolean {
    return term < this.term || (term === this.term && count < this.total);
  }

  read(key: string): { key: string; value: unknown[] | null } {
    const values = this.entries.get(key);
    return { key, value: values ? values.map((e) => e.value) : null };
  }

  /** Appends `value` to `key` in `term`; the count of values then. */
  append(key: string, value: unknown, term: number): number {
    const values = this.entries.get(key) ?? [];
    values.push({ value, term });
    this.entries.set(key, values);
    this.total += 1;
    return this.total;
  }

  /** A copy of the entries, as a `lead` carries them. */
  snapshot(): LeaderEntries {
    return [...this.entries].map(([key, values]) => ({ key, values: values.map((e) => ({ ...e })) }));
  }

  /** The values held here that `theirs` lacks, in key order then value order. */
  dropped(theirs: LeaderEntries): DroppedValue[] {
    const counted = new Map<string, Map<string, number>>();
    for (const { key, values } of theirs) {
      const counts = new Map<string, number>();
      for (const e of values) counts.set(signature(e), (counts.get(signature(e)) ?? 0) + 1);
      counted.set(key, counts);
    }
    const dropped: DroppedValue[] = [];
    for (const [key, values] of this.entries) {
      const counts = counted.get(key);
      for (const e of values) {
        const left = counts?.get(signature(e)) ?? 0;
        if (left > 0) counts!.set(signature(e), left - 1);
        else dropped.push({ key, value: e.value, term: e.term });
      }
    }
    return dropped;
  }

  /** Takes `entries`, of the leader of `term`, in place of what it held. */
  replace(entries: LeaderEntries, term: number): void {
    this.entries.clear();
    this.total = 0;
    for (const { key, values } of entries) {
      this.entries.set(key, values);
      this.total += values.length;
    }
    this.term = term;
  }
}
