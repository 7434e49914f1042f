/**
 * The `ops` workload (shell): clients of a key-value store, recorded as a history as Jepsen
 * records one. Each client is a process on node `from` doing one operation at a time: it invokes
 * (the history's `invoke`, at the lab's true time), calls the server through the lab's links, and
 * completes it by what it saw — a reply `ok`; a definite error, or a call that could not be sent,
 * `fail`; no reply in time, an error that leaves it unknown, or a caller that died, `info` (it
 * may or may not have taken effect). Writes and clients are numbered over the whole run (write k
 * writes the value k), so every value is written once and histories can be read together. The history is kept under its name (a later step
 * of the same name goes on with it) and written to `history-NAME.jsonl` in the run's folder.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HistoryEvent, RowStep, RpcResult } from '@faultline/protocol';
import { sleep } from './abortable.js';
import type { RunState } from './do-step.js';

type Ops = NonNullable<RowStep['ops']>;

/** One workload's history as it grows, and where it is written. */
export interface HistoryRecord {
  readonly name: string;
  readonly file: string;
  readonly events: HistoryEvent[];
}

/** Numbered over the whole run, so histories read together never share a value or a client. */
export interface OpsCounters {
  /** Writes made so far: the next writes this + 1. */
  values: number;
  /** Clients started so far: the next is `<from>/c<this + 1>`. */
  clients: number;
}

/** True time (ms since the epoch, to the microsecond): the god's-eye clock the trace uses too. */
const trueNow = (): number => performance.timeOrigin + performance.now();

/** How an operation ended, by what its caller saw. */
export function completion(result: RpcResult, f: HistoryEvent['f']): Pick<HistoryEvent, 'type' | 'value' | 'error'> {
  if (result.outcome === 'failed') return { type: 'fail', error: result.error ?? 'could not be sent' };
  if (result.outcome === 'caller-died') return { type: 'info', error: result.error ?? 'the client died' };
  if (result.outcome === 'timeout') return { type: 'info', error: `no reply within ${Math.round(result.elapsedMs)} ms` };
  const reply = result.reply;
  const body = (reply?.body ?? {});
  if (reply?.type === 'kv_error') {
    const reason = typeof body.reason === 'string' ? body.reason : 'an error';
    return body.definite === true ? { type: 'fail', error: reason } : { type: 'info', error: reason };
  }
  if (reply?.type === `${f}_ok`) return f === 'get' ? { type: 'ok', value: body.value ?? null } : { type: 'ok' };
  return { type: 'info', error: `an unexpected reply: ${reply?.type ?? 'none'}` };
}

export function historyOf(state: RunState, o: Ops): HistoryRecord {
  const known = state.histories.get(o.as);
  if (known) return known;
  const record: HistoryRecord = { name: o.as, file: join(state.lab.runDir, `history-${o.as}.jsonl`), events: [] };
  state.histories.set(o.as, record);
  return record;
}

export async function runOps(state: RunState, o: Ops): Promise<void> {
  const { lab, signal } = state;
  const history = historyOf(state, o);
  const record = (e: HistoryEvent): void => {
    history.events.push(e);
    appendFileSync(history.file, `${JSON.stringify(e)}\n`);
  };
  const turns = { read: 0, write: 0 };
  let issued = 0;
  const client = async (process: string): Promise<void> => {
    while (issued < o.count) {
      if (signal?.aborted) return;
      const step = o.cycle[issued % o.cycle.length];
      issued += 1;
      const to = step === 'read' ? o.reads[turns.read++ % o.reads.length] : o.writes[turns.write++ % o.writes.length];
      const f: HistoryEvent['f'] = step === 'read' ? 'get' : o.write;
      const value = step === 'write' ? ++state.opsCounters.values : undefined;
      record({ process, type: 'invoke', f, key: o.key, node: to, ...(value === undefined ? {} : { value }), time: trueNow() });
      let end: Pick<HistoryEvent, 'type' | 'value' | 'error'>;
      try {
        const response = await lab.rpc(o.from, to, f, { key: o.key, ...(value === undefined ? {} : { value }) }, o.timeout);
        end = completion(response.result, f);
      } catch (err) {
        if (signal?.aborted) throw err;
        // The lab could not make the call at all (e.g. the client node is down): nothing was sent.
        end = { type: 'fail', error: (err as Error).message.split('\n')[0] };
      }
      record({ process, type: end.type, f, key: o.key, node: to, ...(end.type === 'ok' && f !== 'get' ? { value } : {}), ...(end.value === undefined ? {} : { value: end.value }), ...(end.error ? { error: end.error } : {}), time: trueNow() });
      if (o.every > 0 && issued < o.count) await sleep(o.every, signal);
    }
  };
  const first = state.opsCounters.clients;
  state.opsCounters.clients += o.clients;
  // `n5/c1`: client 1 of the run, on n5 (not `n5.1`, which names n5's first life in message ids).
  await Promise.all(Array.from({ length: o.clients }, (_, i) => client(`${o.from}/c${first + i + 1}`)));
}
