/**
 * A client's request and what came back, as history events (pure), by Maelstrom's rules:
 * - the `_ok` reply: `ok`, with the value the workload reads from it;
 * - an `error` reply with a definite code (errors.ts), or any error or timeout on an idempotent
 *   operation (a read): `fail`, it certainly changed nothing;
 * - an indefinite error (crash, custom codes) or a timeout on anything else: `info`, it may have
 *   happened, now or later;
 * - a reply of the wrong shape: `info` with error `malformed-reply` (its line says what was
 *   wrong), and the checkers fail the run on it.
 */
import { maelstromError, maelstromErrorBodySchema, parseWith, type MaelstromBody, type MaelstromHistoryEvent } from '@faultline/protocol';
import type { PlannedOp, Workload } from '../workloads/workload.js';

/** What came back for a request: its reply, or nothing before the client's timeout. */
export type Outcome = { readonly kind: 'reply'; readonly body: MaelstromBody } | { readonly kind: 'timeout'; readonly text?: string };

/** The invocation event of a planned operation, by client `process` at `timeMs`. */
export function invocation(op: PlannedOp, process: number | string, timeMs: number): MaelstromHistoryEvent {
  return {
    process,
    type: 'invoke',
    f: op.f,
    ...(op.key === undefined ? {} : { key: op.key }),
    ...(op.value === undefined ? {} : { value: op.value }),
    time: timeMs,
    node: op.node,
    ...(op.final ? { final: true } : {}),
  };
}

/** The completion event of `invoke` given what came back, at `timeMs`. */
export function completion(workload: Workload, invoke: MaelstromHistoryEvent, outcome: Outcome, timeMs: number): MaelstromHistoryEvent {
  const idempotent = (workload.idempotent as ReadonlySet<string>).has(invoke.f);
  const base = {
    process: invoke.process,
    f: invoke.f,
    ...(invoke.key === undefined ? {} : { key: invoke.key }),
    time: timeMs,
    ...(invoke.node === undefined ? {} : { node: invoke.node }),
    ...(invoke.final ? { final: true } : {}),
  };
  const asked = invoke.value === undefined ? {} : { value: invoke.value };
  if (outcome.kind === 'timeout') return { ...base, ...asked, type: idempotent ? 'fail' : 'info', error: { name: 'timeout', code: 0, text: outcome.text ?? 'no reply before the client gave up' } };
  const body = outcome.body;
  if (body.type === 'error') {
    const parsed = parseWith(maelstromErrorBodySchema, body, 'error');
    if (!parsed.ok) return { ...base, ...asked, type: idempotent ? 'fail' : 'info', error: { name: 'malformed-reply', text: parsed.error } };
    const own = workload.readError?.(invoke, parsed.value.code);
    const info = maelstromError(parsed.value.code);
    const error = { name: info.name, code: info.code, ...(parsed.value.text === undefined ? {} : { text: parsed.value.text.slice(0, 1000) }) };
    if (own) return { ...base, ...(own.value === undefined ? asked : { value: own.value }), type: own.type, ...(own.type === 'ok' ? {} : { error }) };
    return { ...base, ...asked, type: info.definite || idempotent ? 'fail' : 'info', error };
  }
  const value = workload.okValue(invoke, body);
  if (!value.ok) return { ...base, ...asked, type: idempotent ? 'fail' : 'info', error: { name: 'malformed-reply', text: value.error.slice(0, 1000) } };
  return { ...base, ...(value.value === undefined ? {} : { value: value.value }), type: 'ok' };
}
