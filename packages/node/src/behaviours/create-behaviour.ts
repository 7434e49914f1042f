/** The behaviours a node can start by name (`start_behaviour`), from their settings. */
import type { BehaviourSpec } from '@faultline/protocol';
import type { Behaviour } from '../core/behaviour.js';
import { AppendLogBehaviour } from './append-log.js';
import { CounterBehaviour } from './counter.js';
import { ServiceBehaviour } from './service.js';

export function createBehaviour(spec: BehaviourSpec): Behaviour {
  switch (spec.name) {
    case 'service':
      return new ServiceBehaviour(spec.delayMs);
    case 'counter':
      return new CounterBehaviour(spec.idempotent, spec.delayMs);
    case 'log':
      return new AppendLogBehaviour(spec.mode);
  }
}
