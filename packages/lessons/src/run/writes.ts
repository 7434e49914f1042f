/**
 * The `writes` workload (shell): a register's clients taking turns on nodes. Write i goes to
 * `nodes[(i-1) % n]` once that node has caught up with write i-1 (decided on it: its `apply`,
 * `overwrite`, `discard` or `sibling` line), so each write comes causally after the one before, as a client that read
 * the latest value and then wrote. With `read`, the client reads the key first. The workload ends
 * when every node that runs a register has caught up with the last write (or 10 s have gone: a
 * partition may keep one from ever hearing of it).
 */
import { REGISTER_DECISIONS, registerDecisionSchema, type RowStep, type TraceLine } from '@faultline/protocol';
import { abortable, sleep } from './abortable.js';
import type { RunState } from './do-step.js';

type Writes = NonNullable<RowStep['writes']>;

const DECIDED = new Set<string>(REGISTER_DECISIONS);
const LAST_WAIT_MS = 10_000;

/**
 * A predicate over the trace, in order: true at the line where `node` has caught up with write
 * `id`: it decided on it, or on a write that beat it somewhere (or one that beat that, and so on).
 * A copy never hears of a write that lost everywhere it went (copies pass on only what they hold),
 * so "decided on it" alone could wait for ever.
 */
function caughtUp(node: string, id: string): (line: TraceLine) => boolean {
  const covering = new Set([id]);
  const decidedHere = new Set<string>();
  return (line) => {
    if (line.kind !== 'state' || line.behaviour !== 'register' || !DECIDED.has(line.key)) return false;
    const parsed = registerDecisionSchema.safeParse(line.value);
    if (!parsed.success) return false;
    const { write, others } = parsed.data;
    // Who beat whom: a discarded write lost to the others; an overwrite beat them.
    const beats: [string, string][] = line.key === 'discard' ? others.map((o) => [o.id, write.id]) : line.key === 'overwrite' ? others.map((o) => [write.id, o.id]) : [];
    let found = false;
    for (const [winner, loser] of beats) {
      if (covering.has(loser) && !covering.has(winner)) {
        covering.add(winner);
        if (decidedHere.has(winner)) found = true;
      }
    }
    if (line.node === node) {
      decidedHere.add(write.id);
      if (covering.has(write.id)) found = true;
    }
    return found;
  };
}

/** The running nodes that keep a copy of the register. */
export function registerReplicas(lab: RunState['lab']): string[] {
  return lab.nodes.filter((id) => lab.state(id) === 'running' && lab.behaviours(id).some((b) => b.name === 'register'));
}

/** Until every copy has decided on write `id` (made after trace seq `since`), up to `timeoutMs`. */
export async function awaitReplicated(state: RunState, id: string, since: number, timeoutMs: number): Promise<void> {
  await Promise.all(registerReplicas(state.lab).map((node) => abortable(state.lab.waitForTrace(caughtUp(node, id), { since, timeoutMs, what: `${node} catching up with write ${id}` }), state.signal)));
}

export async function runWrites(state: RunState, w: Writes): Promise<void> {
  const { lab, signal } = state;
  const run = <T>(p: Promise<T>): Promise<T> => abortable(p, signal);
  let previous: { id: string; since: number } | undefined;
  for (let i = 1; i <= w.count; i++) {
    const node = w.nodes[(i - 1) % w.nodes.length];
    if (previous) {
      const { id, since } = previous;
      await run(lab.waitForTrace(caughtUp(node, id), { since, timeoutMs: LAST_WAIT_MS, what: `${node} catching up with write ${id}` }));
    }
    if (w.read) await run(lab.invoke(node, 'read', { key: w.key }));
    const since = lab.lastSeq;
    const { answer } = await run(lab.invoke(node, 'write', { key: w.key, value: `v${i}` }));
    previous = { id: String(answer.id), since };
    if (w.every > 0 && i < w.count) await sleep(w.every, signal);
  }
  if (!previous) return;
  await awaitReplicated(state, previous.id, previous.since, LAST_WAIT_MS).catch((err: unknown) => {
    if (signal?.aborted) throw err;
  });
}
