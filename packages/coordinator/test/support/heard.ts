/**
 * Waiting for what a node heard, by events rather than by time, so the tests hold on a loaded
 * machine: "a message sent after X arrived" is awaited, and "nothing sent after X arrived" is
 * checked once a witness shows that such a message would have had time to arrive. A message's
 * send time is the sender's wall clock on the receive line (`sentWall`): these tests leave the
 * clocks true (no offset, no drift) wherever they use them.
 */
import type { NodeId, TraceLine } from '@faultline/protocol';
import { expect } from 'vitest';
import type { Lab } from '../../src/lab.js';

/** Generous: a test waits this long only when what it waits for never comes. */
export const BOUND_MS = 30_000;

type Receive = Extract<TraceLine, { kind: 'receive' }>;

function sentAfter(l: TraceLine, to: NodeId, from: NodeId, after: TraceLine, type: string): l is Receive {
  return l.kind === 'receive' && l.node === to && l.from === from && l.msgType === type && l.sentWall > after.trueMs;
}

/** `to`'s receives of `type` messages from `from` that were sent after `after` (so far). */
export function heardSince(lab: Lab, to: NodeId, from: NodeId, after: TraceLine, type = 'heartbeat'): Receive[] {
  return lab.trace({ node: to, kinds: ['receive'] }).filter((l) => sentAfter(l, to, from, after, type));
}

/** Waits until `to` has received `count` `type` messages from `from` sent after `after`; answers them. */
export async function heardAfter(lab: Lab, to: NodeId, from: NodeId, after: TraceLine, count = 1, type = 'heartbeat'): Promise<Receive[]> {
  for (;;) {
    const heard = heardSince(lab, to, from, after, type);
    if (heard.length >= count) return heard;
    const last = heard.at(-1)?.seq ?? after.seq;
    await lab.waitForTrace((l) => sentAfter(l, to, from, after, type) && l.seq > last, { timeoutMs: BOUND_MS, what: `${to} receiving ${type} ${count}× from ${from}` });
  }
}

/**
 * Nothing `from` sent after `after` reaches `to` (messages already on their way may): checked
 * once `witness[0]` has heard two heartbeats from `witness[1]` sent after `after`, so that, had the
 * way from `from` been open, its heartbeats would have had as long to arrive.
 */
export async function expectSilence(lab: Lab, to: NodeId, from: NodeId, after: TraceLine, witness: readonly [NodeId, NodeId]): Promise<void> {
  await heardAfter(lab, witness[0], witness[1], after, 2);
  expect(heardSince(lab, to, from, after), `${to} heard ${from} after seq ${after.seq}`).toEqual([]);
}
