/**
 * A proxy event as a trace event (pure). Proxy `A-B` carries the messages A sends B on its
 * `upstream` stream (A's outbound connection), so an upstream event is about a message from A; a
 * downstream one (B answering on A's connection) is about a message from B.
 */
import type { LabTraceEvent, NodeId, ProxyEvent } from '@faultline/protocol';
import type { Link } from './links.js';

export interface MappedProxyEvent {
  /** The sender of the message the proxy acted on. */
  readonly node: NodeId;
  readonly trueMs: number;
  readonly event: LabTraceEvent;
}

/** Undefined for a proxy that is not one of the lab's links. */
export function mapProxyEvent(ev: ProxyEvent, linkByName: ReadonlyMap<string, Link>): MappedProxyEvent | undefined {
  const l = linkByName.get(ev.proxy);
  if (!l) return undefined;
  const event: LabTraceEvent = {
    kind: 'proxy',
    action: ev.action,
    link: l.name,
    ...(ev.id === undefined ? {} : { msg: ev.id }),
    ...(ev.msgType === undefined ? {} : { msgType: ev.msgType }),
    size: ev.size,
    ...(ev.heldMs === undefined ? {} : { heldMs: ev.heldMs }),
    ...(ev.reason === undefined ? {} : { reason: ev.reason }),
  };
  return { node: ev.direction === 'upstream' ? l.from : l.to, trueMs: ev.timeMs, event };
}
