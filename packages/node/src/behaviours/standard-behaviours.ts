/**
 * What the shell hands a node's core: the behaviours every node runs from its start (`ping`,
 * `echo`, heartbeats, the `burst` sink, and any `extra`), the heartbeats as the watch on its
 * peers for `status`, and the factories of those a `start_behaviour` names.
 */
import type { Behaviour, BehaviourSet } from '../core/behaviour.js';
import { burstSinkBehaviour } from './burst-sink.js';
import { createBehaviour } from './create-behaviour.js';
import { echoBehaviour } from './echo.js';
import { Heartbeats } from './heartbeats.js';
import { pingBehaviour } from './ping.js';

export interface StandardBehaviourOptions {
  /** Interval of heartbeats to every connected peer, monotonic ms; 0 sends none. */
  readonly heartbeatMs: number;
  /** Behaviours besides the standard ones, from the start. */
  readonly extra?: readonly Behaviour[];
}

export function standardBehaviours(options: StandardBehaviourOptions): BehaviourSet {
  const heartbeats = new Heartbeats(options.heartbeatMs);
  return {
    initial: [heartbeats, pingBehaviour(), echoBehaviour(), burstSinkBehaviour(), ...(options.extra ?? [])],
    peerWatch: { heardFrom: () => heartbeats.heardFrom(), agoMs: (peer, monoMs) => heartbeats.agoMs(peer, monoMs) },
    create: createBehaviour,
  };
}
