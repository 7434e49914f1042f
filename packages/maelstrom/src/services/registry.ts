/**
 * Every service by its name (the node id a program sends to), and a way to run one without
 * knowing its state's type: `startService` then `serve` for each request.
 */
import type { MaelstromMessage, MaelstromServiceName } from '@faultline/protocol';
import { linKvService } from './lin-kv.js';
import { linTsoService } from './lin-tso.js';
import { lwwKvService } from './lww-kv.js';
import { seqKvService } from './seq-kv.js';
import type { Handled, Service, ServiceContext, ServiceOptions } from './service.js';

export const SERVICES = {
  'lin-kv': linKvService,
  'seq-kv': seqKvService,
  'lww-kv': lwwKvService,
  'lin-tso': linTsoService,
} as const satisfies Readonly<Record<MaelstromServiceName, { readonly name: MaelstromServiceName }>>;

/** A service and its current state (opaque). */
export interface RunningService {
  readonly name: MaelstromServiceName;
  readonly state: unknown;
}

export function startService(name: MaelstromServiceName, options?: ServiceOptions): RunningService {
  return { name, state: SERVICES[name].init(options) };
}

/** Handles one request: the service with its new state, and the reply's body. */
export function serve(running: RunningService, request: MaelstromMessage, context: ServiceContext): { readonly running: RunningService; readonly reply: Handled<unknown>['reply'] } {
  const service = SERVICES[running.name] as unknown as Service<unknown>;
  const { state, reply } = service.handle(running.state, request, context);
  return { running: { name: running.name, state }, reply };
}
