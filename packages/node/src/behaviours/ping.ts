/** `ping` → reply `pong`: the smallest request/response, what `faultline rpc` sends by default. */
import type { Behaviour } from '../core/behaviour.js';

export function pingBehaviour(): Behaviour {
  return {
    name: 'ping',
    messageTypes: ['ping'],
    onMessage(ctx, message) {
      ctx.reply(message, 'pong');
    },
  };
}
