/** `echo` → reply `echo_ok` with the same body (as Maelstrom's echo workload). */
import type { Behaviour } from '../core/behaviour.js';

export function echoBehaviour(): Behaviour {
  return {
    name: 'echo',
    messageTypes: ['echo'],
    onMessage(ctx, message) {
      ctx.reply(message, 'echo_ok', { ...message.body });
    },
  };
}
