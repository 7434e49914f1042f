/** Words and times for the page (pure). */
import type { TraceLine } from '@faultline/protocol';

export function clockTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function duration(ms: number): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  return a >= 1000 ? `${sign}${+(a / 1000).toFixed(3)}s` : `${sign}${+a.toFixed(1)}ms`;
}

export function vcText(vc: Record<string, number>): string {
  return `[${Object.entries(vc)
    .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
    .map(([k, v]) => `${k}:${v}`)
    .join(' ')}]`;
}

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
