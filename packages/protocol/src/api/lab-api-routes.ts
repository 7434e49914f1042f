/**
 * The coordinator's control API, declared once: HTTP JSON on 127.0.0.1, used by the CLI, the
 * dashboard and scripts. The coordinator serves exactly these routes (a handler each, checked by
 * the compiler), checks every request against them in one place, and the clients are derived
 * from them. A route's name is the clients' method: `client.kill({ params: { id: 'n2' } })`.
 * Every route can also answer `bad-request` (a bad param, query or body) and `failed`.
 */
import * as z from 'zod';
import { behaviourSpecSchema } from '../behaviours.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { nodeIdSchema } from '../ids.js';
import {
  blockRequestSchema,
  clearLinksResponseSchema,
  clockRequestSchema,
  downResponseSchema,
  eventsQuerySchema,
  healResponseSchema,
  labStatusSchema,
  linkClearQuerySchema,
  linkFaultsRequestSchema,
  nodeActionResponseSchema,
  okSchema,
  partitionRequestSchema,
  partitionResponseSchema,
  invokeRequestSchema,
  invokeResponseSchema,
  rpcRequestSchema,
  rpcResponseSchema,
  sendRequestSchema,
  traceQuerySchema,
} from '../lab-api.js';
import { traceLineSchema } from '../trace.js';
import { defineRoute } from './route.js';

const node = { id: nodeIdSchema };
const link = { from: nodeIdSchema, to: nodeIdSchema };

const nodeAction = <const A extends string>(action: A, summary: string, errors: readonly ErrorCode[] = ['unknown-node', 'conflict']) =>
  defineRoute({ method: 'POST', path: `/nodes/{id}/${action}`, summary, params: node, response: nodeActionResponseSchema, errors });

export const labApi = {
  status: defineRoute({ method: 'GET', path: '/status', summary: "the lab, each node's own status, each link's faults", response: labStatusSchema }),
  kill: nodeAction('kill', 'SIGKILL a node: gone at once', ['unknown-node', 'conflict', 'failed']),
  pause: nodeAction('pause', 'SIGSTOP a node: alive but silent', ['unknown-node', 'conflict', 'unsupported']),
  resume: nodeAction('resume', 'SIGCONT a paused node'),
  revive: nodeAction('revive', 'a new process with the same id and a fresh memory; answers when its links are up', ['unknown-node', 'conflict', 'timeout', 'failed']),
  clock: defineRoute({ method: 'POST', path: '/nodes/{id}/clock', summary: "set a node's wall clock (offset, drift) or step it", params: node, body: clockRequestSchema, response: okSchema, errors: ['unknown-node', 'conflict', 'timeout'] }),
  startBehaviour: defineRoute({ method: 'POST', path: '/nodes/{id}/behaviours', summary: 'start a behaviour on a node (started again on revive)', params: node, body: behaviourSpecSchema, response: okSchema, errors: ['unknown-node', 'conflict', 'timeout'] }),
  partition: defineRoute({ method: 'POST', path: '/partition', summary: 'cut the links between groups (unnamed nodes form one more group)', body: partitionRequestSchema, response: partitionResponseSchema, errors: ['unknown-node', 'unsupported'] }),
  block: defineRoute({ method: 'POST', path: '/block', summary: 'cut one direction only', body: blockRequestSchema, response: okSchema, errors: ['unknown-node', 'unsupported'] }),
  heal: defineRoute({ method: 'POST', path: '/heal', summary: 'end every partition and block', response: healResponseSchema }),
  link: defineRoute({ method: 'POST', path: '/links/{from}/{to}', summary: 'set faults on the link from → to (and back, with both)', params: link, body: linkFaultsRequestSchema, response: okSchema, errors: ['unknown-node', 'unsupported'] }),
  clearLinks: defineRoute({ method: 'DELETE', path: '/links', summary: 'remove the faults of every link (not partitions or blocks)', response: clearLinksResponseSchema }),
  clearLink: defineRoute({ method: 'DELETE', path: '/links/{from}/{to}', summary: 'remove the faults of the link from → to (and back, with both)', params: link, query: linkClearQuerySchema, response: clearLinksResponseSchema, errors: ['unknown-node'] }),
  hold: defineRoute({ method: 'POST', path: '/links/{from}/{to}/hold', summary: 'hold every message from → to until release', params: link, response: okSchema, errors: ['unknown-node', 'unsupported', 'conflict'] }),
  release: defineRoute({ method: 'POST', path: '/links/{from}/{to}/release', summary: 'let the held messages through, in order', params: link, response: okSchema, errors: ['unknown-node', 'unsupported', 'conflict'] }),
  rpc: defineRoute({ method: 'POST', path: '/rpc', summary: 'from calls to: what the sender saw, and what the trace shows happened', body: rpcRequestSchema, response: rpcResponseSchema, errors: ['unknown-node', 'conflict', 'timeout'] }),
  invoke: defineRoute({ method: 'POST', path: '/invoke', summary: 'a client request on node itself (a register write or read, a sync round): the behaviour answers', body: invokeRequestSchema, response: invokeResponseSchema, errors: ['unknown-node', 'conflict', 'timeout'] }),
  send: defineRoute({ method: 'POST', path: '/send', summary: 'from sends one message to to, no reply expected', body: sendRequestSchema, response: okSchema, errors: ['unknown-node', 'conflict', 'timeout'] }),
  trace: defineRoute({ method: 'GET', path: '/trace', summary: 'the trace so far (after since; of one node)', query: traceQuerySchema, response: z.array(traceLineSchema), errors: ['unknown-node'] }),
  events: defineRoute({ method: 'GET', path: '/events', summary: 'the trace live, as server-sent events (after since, or Last-Event-ID)', query: eventsQuerySchema, response: traceLineSchema, stream: true }),
  down: defineRoute({ method: 'POST', path: '/down', summary: 'stop the lab (it answers first)', response: downResponseSchema }),
} as const;

export type LabApi = typeof labApi;
