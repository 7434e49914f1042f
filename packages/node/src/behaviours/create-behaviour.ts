/**
 * The behaviours a node can start by name (`start_behaviour`), from their settings: one factory a
 * name, keyed like the protocol's `behaviourSpecSchema`, so a new behaviour is a schema there, a
 * file here and one entry below (the compiler asks for it).
 */
import type { BehaviourName, BehaviourSpec } from '@faultline/protocol';
import type { Behaviour } from '../core/behaviour.js';
import { AppendLogBehaviour } from './append-log.js';
import { CounterBehaviour } from './counter.js';
import { ServiceBehaviour } from './service.js';

type Factory<N extends BehaviourName> = (spec: Extract<BehaviourSpec, { name: N }>) => Behaviour;

export const BEHAVIOUR_FACTORIES: { readonly [N in BehaviourName]: Factory<N> } = {
  service: (spec) => new ServiceBehaviour(spec.delayMs),
  counter: (spec) => new CounterBehaviour(spec.idempotent, spec.delayMs),
  log: (spec) => new AppendLogBehaviour(spec.mode),
};

export function createBehaviour(spec: BehaviourSpec): Behaviour {
  return (BEHAVIOUR_FACTORIES[spec.name] as Factory<BehaviourName>)(spec);
}
