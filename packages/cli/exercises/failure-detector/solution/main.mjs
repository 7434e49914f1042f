#!/usr/bin/env node
// The reference solution of failure-detector: an adaptive timeout. Each node
// keeps the last 30 gaps between a peer's heartbeats and suspects it after a
// silence longer than their mean plus four standard deviations, and never
// sooner than 650 ms: a step in the latency (a link turning slow) makes one
// gap long before the gaps have shown it. A gap that ended a suspicion is a
// failure, not a sample: it is left out.
import { performance } from 'node:perf_hooks';
import { Node } from './node.mjs';

const node = new Node();
const HEARTBEAT_MS = 100;
const WINDOW = 30;
const FLOOR_MS = 650;
const lastHeard = new Map();
const gaps = new Map();

/** How long a silence of `peer` may last before it is suspected (ms). */
function timeout(peer) {
  const recent = gaps.get(peer) ?? [];
  if (recent.length < 5) return FLOOR_MS;
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  const squares = recent.reduce((a, b) => a + (b - mean) ** 2, 0);
  const variance = squares / recent.length;
  return Math.max(FLOOR_MS, mean + 4 * Math.sqrt(variance));
}

const suspected = (peer, now) => now - lastHeard.get(peer) > timeout(peer);

node.on('beat', (msg) => {
  const now = performance.now();
  const peer = msg.src;
  if (lastHeard.has(peer) && !suspected(peer, now)) {
    const recent = gaps.get(peer) ?? [];
    recent.push(now - lastHeard.get(peer));
    if (recent.length > WINDOW) recent.shift();
    gaps.set(peer, recent);
  }
  lastHeard.set(peer, now);
});

node.on('suspects', (msg) => {
  const now = performance.now();
  const peers = node.nodeIds.filter((peer) => peer !== node.id);
  const suspects = peers.filter((peer) => suspected(peer, now));
  node.reply(msg, { type: 'suspects_ok', suspects });
});

node.onInit(() => {
  const peers = node.nodeIds.filter((peer) => peer !== node.id);
  for (const peer of peers) lastHeard.set(peer, performance.now());
  setInterval(() => {
    for (const peer of peers) node.send(peer, { type: 'beat' });
  }, HEARTBEAT_MS);
});
node.main();
