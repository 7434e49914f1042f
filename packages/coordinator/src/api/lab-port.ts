/** What the control API needs of a lab: the interface it is written against (lab.ts implements it). */
import type { BehaviourSpecInput, InvokeResponse, LabStatus, LinkFaultsRequest, NodeId, RpcResponse, TraceLine } from '@faultline/protocol';
import type { Link } from '../links.js';
import type { NodeState } from '../node-supervisor.js';
import type { TraceFilter } from '../trace-query.js';
import type { RawTraceLine, TraceListener } from '../trace-recorder.js';

export interface LabPort {
  readonly seed: string;
  readonly nodes: readonly NodeId[];
  status(): Promise<LabStatus>;
  state(id: NodeId): NodeState;
  kill(id: NodeId): Promise<void>;
  pause(id: NodeId): Promise<void>;
  resume(id: NodeId): Promise<void>;
  revive(id: NodeId): Promise<void>;
  clock(id: NodeId, request: { offsetMs?: number; driftPpm?: number; jumpMs?: number }): Promise<void>;
  startBehaviour(id: NodeId, spec: BehaviourSpecInput): Promise<void>;
  partition(groups: NodeId[][]): Promise<Link[]>;
  block(from: NodeId, to: NodeId): Promise<void>;
  heal(): Promise<Link[]>;
  link(from: NodeId, to: NodeId, faults: LinkFaultsRequest): Promise<void>;
  clearLinks(from?: NodeId, to?: NodeId, options?: { both?: boolean }): Promise<Link[]>;
  hold(from: NodeId, to: NodeId): Promise<void>;
  release(from: NodeId, to: NodeId): Promise<void>;
  rpc(from: NodeId, to: NodeId, msgType?: string, body?: Record<string, unknown>, timeoutMs?: number, retries?: number): Promise<RpcResponse>;
  invoke(node: NodeId, msgType: string, body?: Record<string, unknown>): Promise<InvokeResponse>;
  send(from: NodeId, to: NodeId, msgType?: string, body?: Record<string, unknown>): Promise<void>;
  trace(filter?: TraceFilter): TraceLine[];
  /** The seq of the last line written to the trace file. */
  readonly lastSeq: number;
  /** The file's lines after `since`, read as they are taken. */
  traceAfter(since: number): AsyncIterable<RawTraceLine>;
  subscribe(listener: TraceListener): () => void;
  stop(): Promise<void>;
}
