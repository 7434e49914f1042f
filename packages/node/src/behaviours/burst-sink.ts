/**
 * `burst` → nothing: the receiving end of the `burst` load command. Its messages expect no reply;
 * they are traced as `receive` like any other and then dropped. Without it every one would be
 * answered with an `error` (not supported), doubling the traffic a burst means to measure.
 */
import type { Behaviour } from '../core/behaviour.js';

export function burstSinkBehaviour(): Behaviour {
  return { name: 'burst-sink', messageTypes: ['burst'] };
}
