#!/usr/bin/env node
// failure-detector: every 100 ms each node sends a heartbeat to every other,
// and it answers `suspects` with the peers it has not heard from for too long.
import { performance } from 'node:perf_hooks';
import { Node } from './node.mjs';

const node = new Node();
const HEARTBEAT_MS = 100;
/** Each peer's last heartbeat: when it came (ms, this process's clock). */
const lastHeard = new Map();

node.on('beat', (msg) => {
  lastHeard.set(msg.src, performance.now());
});

/** Whether `peer` has been silent for too long at `now`. */
function suspected(peer, now) {
  // TODO: 150 ms is 1.5 heartbeats: a heartbeat a little late, or lost, and a
  // live peer is suspected. Choose the silence from what you have seen.
  return now - lastHeard.get(peer) > 150;
}

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
