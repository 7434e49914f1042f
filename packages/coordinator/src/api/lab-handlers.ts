/** The lab's own routes (protocol's `labApi`), each a call on the lab; requests arrive checked. */
import { labApi, type TraceLine } from '@faultline/protocol';
import { implement, type RouteSet } from '../control-api-port.js';
import { partitionGroups } from '../partition.js';
import type { LabPort } from './lab-port.js';
import { StreamedJsonArray } from './json-stream.js';
import { streamTrace } from './trace-events.js';

const ok = { ok: true } as const;
const names = (links: readonly { name: string }[]): string[] => links.map((l) => l.name);

async function nodeAction(lab: LabPort, id: string, action: 'kill' | 'pause' | 'resume' | 'revive'): Promise<{ ok: true; node: string; state: ReturnType<LabPort['state']> }> {
  await lab[action](id);
  return { ok: true, node: id, state: lab.state(id) };
}

/** The trace file's lines after `since` (of `node`, if given), as JSON text. */
async function* traceJson(lab: LabPort, since: number, node: string | undefined): AsyncGenerator<string> {
  for await (const { json } of lab.traceAfter(since)) {
    if (node === undefined || (JSON.parse(json) as TraceLine).node === node) yield json;
  }
}

export const labHandlers: RouteSet<LabPort> = implement<typeof labApi, LabPort>(labApi, {
  status: ({ ctx }) => ctx.status(),
  kill: ({ ctx, params }) => nodeAction(ctx, params.id, 'kill'),
  pause: ({ ctx, params }) => nodeAction(ctx, params.id, 'pause'),
  resume: ({ ctx, params }) => nodeAction(ctx, params.id, 'resume'),
  revive: ({ ctx, params }) => nodeAction(ctx, params.id, 'revive'),
  clock: async ({ ctx, params, body }) => (await ctx.clock(params.id, body), ok),
  startBehaviour: async ({ ctx, params, body }) => (await ctx.startBehaviour(params.id, body), ok),
  partition: async ({ ctx, body }) => ({ ok: true, cut: names(await ctx.partition(body.groups)), groups: partitionGroups(ctx.nodes, body.groups) }),
  block: async ({ ctx, body }) => (await ctx.block(body.from, body.to), ok),
  heal: async ({ ctx }) => ({ ok: true, healed: names(await ctx.heal()) }),
  link: async ({ ctx, params, body }) => (await ctx.link(params.from, params.to, body), ok),
  clearLinks: async ({ ctx }) => ({ ok: true, cleared: names(await ctx.clearLinks()) }),
  clearLink: async ({ ctx, params, query }) => ({ ok: true, cleared: names(await ctx.clearLinks(params.from, params.to, { both: query.both === true })) }),
  hold: async ({ ctx, params }) => (await ctx.hold(params.from, params.to), ok),
  release: async ({ ctx, params }) => (await ctx.release(params.from, params.to), ok),
  rpc: ({ ctx, body }) => ctx.rpc(body.from, body.to, body.msgType, body.body, body.timeoutMs, body.retries),
  invoke: ({ ctx, body }) => ctx.invoke(body.node, body.msgType, body.body),
  send: async ({ ctx, body }) => (await ctx.send(body.from, body.to, body.msgType, body.body), ok),
  // Streamed from the trace file: a long run's trace is never whole in the lab's memory.
  trace: ({ ctx, query }) => {
    // A node the lab does not have is a mistake (`unknown-node`), not a node with nothing to show.
    if (query.node !== undefined) ctx.state(query.node);
    return Promise.resolve(new StreamedJsonArray(traceJson(ctx, query.since ?? 0, query.node)) as unknown as TraceLine[]);
  },
  events: ({ ctx, query }, sink) => streamTrace(ctx, sink, query.since),
  down: ({ ctx, afterAnswer }) => {
    afterAnswer(() => void ctx.stop());
    return Promise.resolve({ ok: true, stopping: true });
  },
});
