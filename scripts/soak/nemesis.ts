/**
 * The soak's nemesis: a seeded sequence of faults, each applied through the control API, held a
 * while, then healed. The choice of each fault (kind, nodes, durations) is pure: one seed, one
 * sequence (`nextFault`); `runNemesis` is the shell that applies them until told to stop.
 */
import type { Client, LabApi } from '@faultline/protocol';
import type { Rng } from '@faultline/random';

export const FAULT_KINDS = ['partition', 'block', 'kill', 'pause', 'clock', 'drop', 'duplicate', 'hold'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  readonly kind: FaultKind;
  /** In the CLI's words: `partition n1,n3 n2,n4,n5`, `kill n2`. */
  readonly words: string;
  /** How long it stays before it is healed, ms. */
  readonly holdMs: number;
  /** Quiet time after the heal, ms. */
  readonly restMs: number;
  readonly apply: (lab: Client<LabApi>) => Promise<unknown>;
  readonly heal: (lab: Client<LabApi>) => Promise<unknown>;
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)];
}

function twoNodes(rng: Rng, ids: readonly string[]): [string, string] {
  const from = pick(rng, ids);
  const to = pick(rng, ids.filter((id) => id !== from));
  return [from, to];
}

/** The next fault: its kind, its nodes and its durations, drawn from `rng`. */
export function nextFault(rng: Rng, ids: readonly string[], scale = 1): Fault {
  const kind = pick(rng, FAULT_KINDS);
  const holdMs = Math.round((1000 + rng.int(3000)) * scale);
  const restMs = Math.round((500 + rng.int(1500)) * scale);
  const base = { kind, holdMs, restMs };
  const [from, to] = twoNodes(rng, ids);
  const params = { from, to };
  switch (kind) {
    case 'partition': {
      const shuffled = [...ids];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const cut = 1 + rng.int(ids.length - 1);
      const groups = [shuffled.slice(0, cut), shuffled.slice(cut)];
      return { ...base, words: `partition ${groups.map((g) => g.join(',')).join(' ')}`, apply: (lab) => lab.partition({ body: { groups } }), heal: (lab) => lab.heal() };
    }
    case 'block':
      return { ...base, words: `block ${from} ${to}`, apply: (lab) => lab.block({ body: params }), heal: (lab) => lab.heal() };
    case 'kill':
      return { ...base, words: `kill ${from}, revive`, apply: (lab) => lab.kill({ params: { id: from } }), heal: (lab) => lab.revive({ params: { id: from } }) };
    case 'pause':
      return { ...base, words: `pause ${from}, resume`, apply: (lab) => lab.pause({ params: { id: from } }), heal: (lab) => lab.resume({ params: { id: from } }) };
    case 'clock': {
      const jumpMs = (rng.int(2) === 0 ? -1 : 1) * (1000 + rng.int(60_000));
      return {
        ...base,
        words: `clock ${from} jump ${jumpMs}ms, back`,
        apply: (lab) => lab.clock({ params: { id: from }, body: { jumpMs } }),
        heal: (lab) => lab.clock({ params: { id: from }, body: { jumpMs: -jumpMs } }),
      };
    }
    case 'drop':
    case 'duplicate': {
      const pct = 10 + rng.int(50);
      const body = kind === 'drop' ? { dropPct: pct } : { duplicatePct: pct };
      return { ...base, words: `link ${from} ${to} --${kind} ${pct}%, clear`, apply: (lab) => lab.link({ params, body }), heal: (lab) => lab.clearLink({ params }) };
    }
    case 'hold':
      return { ...base, words: `hold ${from} ${to}, release`, apply: (lab) => lab.hold({ params }), heal: (lab) => lab.release({ params }) };
  }
}

export interface NemesisLog {
  readonly applied: Record<string, number>;
  /** Requests of the nemesis the lab refused (code: message), e.g. a revive that timed out. */
  readonly refused: string[];
}

/**
 * Applies faults one after another until `stopped()` is true; each is healed before the next, and
 * the last one before it returns. `call` runs one API request (it times it, for stalls).
 */
export async function runNemesis(
  lab: Client<LabApi>,
  rng: Rng,
  ids: readonly string[],
  stopped: () => boolean,
  call: <T>(what: string, request: () => Promise<T>) => Promise<T | undefined>,
  scale = 1,
  onFault: (f: Fault) => void = () => undefined,
): Promise<NemesisLog> {
  const log: NemesisLog = { applied: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])), refused: [] };
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  while (!stopped()) {
    const fault = nextFault(rng, ids, scale);
    onFault(fault);
    await call(`nemesis ${fault.words}`, () => fault.apply(lab));
    log.applied[fault.kind] += 1;
    await sleep(fault.holdMs);
    await call(`nemesis heal ${fault.words}`, () => fault.heal(lab));
    await sleep(fault.restMs);
  }
  return log;
}
