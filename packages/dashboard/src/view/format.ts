/** Words for the page's events (pure); times, durations and clocks are the terminal's own words (`@faultline/checkers`). */
import { formatDuration as duration } from '@faultline/checkers';
import type { TraceLine } from '@faultline/protocol';

export { clockTime, formatDuration as duration, vectorText as vcText } from '@faultline/checkers';

export function describe(l: TraceLine): string {
  switch (l.kind) {
    case 'send':
      return `${l.node} sends ${l.msgType} ${l.msg} to ${l.to}${l.replyTo ? ` (reply to ${l.replyTo})` : ''}`;
    case 'receive':
      return `${l.node} receives ${l.msgType} ${l.msg} from ${l.from}`;
    case 'proxy':
      return `proxy ${l.action} ${l.msgType ?? ''} ${String(l.msg ?? '')} on ${l.link}`;
    case 'rpc_timeout':
      return `${l.node} timed out waiting for a reply to ${l.msg} (${duration(l.timeoutMs)})`;
    case 'late_reply':
      return `${l.node} got a late reply to ${l.replyTo}, ${duration(l.lateByMs)} after its timeout`;
    case 'crash':
      return `${l.node} killed (${l.signal})`;
    case 'fault':
      return `fault ${l.action}: ${l.fault}`;
    case 'state':
      return `${l.node} ${l.behaviour} ${l.key} = ${JSON.stringify(l.value)}`;
    case 'failed_send':
      return `${l.node} could not send ${l.msgType} to ${l.to}: ${l.reason}`;
    default:
      return `${l.node ?? 'lab'} ${l.kind.replace('_', ' ')}`;
  }
}
