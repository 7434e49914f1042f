/**
 * One step of a lesson on the running lab (shell): the lab call it stands for. Calls that do not
 * wait (`rpc` with `wait: false`) are left running in `calls`; `await` and the end of the run
 * collect them.
 */
import type { Lab } from '@faultline/coordinator';
import type { RowStep, RpcResponse } from '@faultline/protocol';
import type { InvokeRecord, RpcRecord, SweepResult } from '../checks/context.js';
import { abortable, sleep } from './abortable.js';
import { runOps, type HistoryRecord, type OpsCounters } from './workload.js';
import { awaitReplicated, runWrites } from './writes.js';

export interface RunState {
  readonly lab: Lab;
  readonly signal?: AbortSignal;
  /** Calls made so far, by name (`as`, or `#<step>`), with their outcome once they have one. */
  readonly rpcs: Map<string, RpcRecord>;
  /** Calls still under way, by name. */
  readonly calls: Map<string, Promise<unknown>>;
  /** The workloads' histories (`ops`), by name. */
  readonly histories: Map<string, HistoryRecord>;
  readonly opsCounters: OpsCounters;
  /** What each appends workload sent, by `<from>><to>`. */
  readonly sentItems: Map<string, unknown[]>;
  /** Heard about each call as it ends. */
  readonly onCall: (record: RpcRecord) => void;
  /** Client requests made on nodes (`invoke`), by name (`as`, or `#<step>`). */
  readonly invokes: Map<string, InvokeRecord>;
  /** The sweeps run so far, each with its rows' figures. */
  readonly sweeps: SweepResult[];
  /**
   * The trace file the checks' `faultline order` hints name; absent on a shared lab, whose file is
   * on the lab's machine (a container's, perhaps): the hint asks the running lab instead.
   */
  readonly traceFile?: string;
}

/** One step that is not a sweep (run-lesson.ts runs those, row by row). */
export async function doStep(state: RunState, step: RowStep, index: number): Promise<void> {
  const { lab, signal } = state;
  const run = <T>(p: Promise<T>): Promise<T> => abortable(p, signal);
  if (step.rpc) {
    const r = step.rpc;
    // An unnamed call is `#<step>`: never a name a lesson can give (`as` starts with a letter).
    const name = r.as ?? `#${index + 1}`;
    const call = lab.rpc(r.from, r.to, r.type, r.body, r.timeout, r.retries).then((response: RpcResponse) => {
      const record: RpcRecord = { name, from: r.from, to: r.to, msgType: r.type, result: response.result };
      state.rpcs.set(name, record);
      state.onCall(record);
      return record;
    });
    state.calls.set(name, call);
    // A call left running must not be an unhandled rejection; its error comes out where it is awaited.
    call.catch(() => undefined);
    if (r.wait) await run(call);
    return;
  }
  if (step.await !== undefined) {
    await run(state.calls.get(step.await)!);
    return;
  }
  if (step.invoke) {
    const v = step.invoke;
    const since = lab.lastSeq;
    const response = await run(lab.invoke(v.node, v.type, v.body));
    const name = v.as ?? `#${index + 1}`;
    state.invokes.set(name, { name, node: v.node, msgType: v.type, body: v.body, answer: response.answer, sinceSeq: since });
    return;
  }
  if (step.writes) return runWrites(state, step.writes);
  if (step.ops) {
    const work = runOps(state, step.ops);
    state.calls.set(step.ops.as, work);
    work.catch(() => undefined);
    if (step.ops.wait) await run(work);
    return;
  }
  if (step.replicated) {
    for (const name of step.replicated) {
      const made = state.invokes.get(name);
      if (!made || typeof made.answer.id !== 'string') throw new Error(`${name} made no write (replicated names the invokes of write)`);
      await awaitReplicated(state, made.answer.id, made.sinceSeq, step.within);
    }
    return;
  }
  if (step.send) return run(lab.send(step.send.from, step.send.to, step.send.type, step.send.body));
  if (step.appends) {
    const a = step.appends;
    for (let i = 1; i <= a.count; i++) {
      for (const to of a.to) {
        const item = `a${i}`;
        await run(lab.send(a.from, to, 'append', { item, seq: i }));
        const key = `${a.from}>${to}`;
        state.sentItems.set(key, [...(state.sentItems.get(key) ?? []), item]);
      }
      if (a.every > 0 && i < a.count) await sleep(a.every, signal);
    }
    return;
  }
  if (step.kill) return run(lab.kill(step.kill));
  if (step.pause) return run(lab.pause(step.pause));
  if (step.resume) return run(lab.resume(step.resume));
  if (step.revive) return run(lab.revive(step.revive));
  if (step.partition) {
    await run(lab.partition(step.partition));
    return;
  }
  if (step.block) return run(lab.block(step.block.from, step.block.to));
  if (step.heal) {
    await run(lab.heal());
    return;
  }
  if (step.link) {
    const l = step.link;
    return run(lab.link(l.from, l.to, { latencyMs: l.latency, jitterMs: l.jitter, dropPct: l.drop, duplicatePct: l.duplicate, reorderPct: l.reorder, both: l.both }));
  }
  if (step.clear_links) {
    await run(step.clear_links === true ? lab.clearLinks() : lab.clearLinks(step.clear_links.from, step.clear_links.to));
    return;
  }
  if (step.hold) return run(lab.hold(step.hold.from, step.hold.to));
  if (step.release) return run(lab.release(step.release.from, step.release.to));
  if (step.clock) return run(lab.clock(step.clock.node, { offsetMs: step.clock.offset, driftPpm: step.clock.drift, jumpMs: step.clock.jump }));
  if (step.wait !== undefined) return sleep(step.wait, signal);
}
