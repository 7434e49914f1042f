/**
 * The behaviours a node can start by name (`start_behaviour`), from their settings: one factory a
 * name, keyed like the protocol's `behaviourSpecSchema`, so a new behaviour is a schema there, a
 * file here and one entry below (the compiler asks for it).
 */
import type { BehaviourName, BehaviourSpec } from '@faultline/protocol';
import type { Behaviour } from '../core/behaviour.js';
import { AppendLogBehaviour } from './append-log.js';
import { CounterBehaviour } from './counter.js';
import { DetectorBehaviour } from './detector.js';
import { KvBehaviour } from './kv.js';
import { LeaderBehaviour } from './leader.js';
import { RegisterBehaviour } from './register.js';
import { ServiceBehaviour } from './service.js';
import { SyncBehaviour } from './sync.js';

type Factory<N extends BehaviourName> = (spec: Extract<BehaviourSpec, { name: N }>) => Behaviour;

export const BEHAVIOUR_FACTORIES: { readonly [N in BehaviourName]: Factory<N> } = {
  service: (spec) => new ServiceBehaviour(spec.delayMs),
  counter: (spec) => new CounterBehaviour(spec.idempotent, spec.delayMs),
  log: (spec) => new AppendLogBehaviour(spec.mode),
  register: (spec) => new RegisterBehaviour(spec.resolution),
  sync: (spec) => new SyncBehaviour(spec),
  kv: (spec) => new KvBehaviour(spec),
  detector: (spec) => new DetectorBehaviour(spec),
  leader: (spec) => new LeaderBehaviour(spec),
};

export function createBehaviour(spec: BehaviourSpec): Behaviour {
  return (BEHAVIOUR_FACTORIES[spec.name] as Factory<BehaviourName>)(spec);
}
