/**
 * One trace line as a person reads it: `12:00:03.512 n2 ✗ killed (SIGKILL)`. The time is true time
 * (the lab's god's-eye view); a node's own wall time appears where it matters (a receive shows when
 * the sender's clock said it sent).
 */
import type { TraceLine } from '@faultline/protocol';
import { clockTime, formatDuration } from '@faultline/checkers';

export { clockTime };
import { style } from './style.js';

function signed(ms: number): string {
  return `${ms >= 0 ? '+' : ''}${formatDuration(ms)}`;
}

/** The event part of the line, without time and node. */
export function describeEvent(line: TraceLine): string {
  switch (line.kind) {
    case 'run_start':
      return `run started, seed ${line.seed}`;
    case 'node_start':
      return style.green(`▶ started (pid ${line.pid}, port ${line.port})`);
    case 'send':
      return `→ ${line.to}  ${line.msgType} ${style.dim(line.msg)}${line.replyTo ? style.dim(` (reply to ${line.replyTo})`) : ''}`;
    case 'receive':
      return `← ${line.from}  ${line.msgType} ${style.dim(line.msg)}${style.dim(` sent at ${line.from}'s ${clockTime(line.sentWall)}`)}`;
    case 'failed_send':
      return style.red(`✗→ ${line.to}  ${line.msgType} ${line.msg}: ${line.reason}`);
    case 'rpc_timeout':
      return style.yellow(`⏱ no reply from ${line.to} to ${line.msgType} ${line.msg} in ${formatDuration(line.timeoutMs)} (attempt ${line.attempt})`);
    case 'late_reply':
      return style.yellow(`← ${line.from}  late reply ${line.msg} to ${line.replyTo}, ${formatDuration(line.lateByMs)} after its timeout`);
    case 'retry':
      return style.yellow(`↻ retry ${line.msg} of ${line.retryOf} to ${line.to} (attempt ${line.attempt})`);
    case 'malformed':
      return style.red(`⚠ malformed from ${line.source}: ${line.error}`);
    case 'peer_up':
      return style.green(`↑ link to ${line.peer} up`);
    case 'peer_down':
      return style.red(`↓ link to ${line.peer} down`);
    case 'clock_change':
      return style.magenta(`clock ${line.jumpMs !== undefined ? `jumped ${signed(line.jumpMs)}, ` : ''}offset ${signed(line.offsetMs)}, drift ${line.driftPpm}ppm`);
    case 'local':
      return `• ${line.label}`;
    case 'state':
      return style.blue(`• ${line.behaviour} ${line.key} ${JSON.stringify(line.value)}${line.msg ? style.dim(` (${line.msg})`) : ''}`);
    case 'crash':
      return style.red(`✗ killed (${line.signal})`);
    case 'pause':
      return style.yellow('‖ paused (SIGSTOP)');
    case 'resume':
      return style.green('▶ resumed (SIGCONT)');
    case 'revive':
      return style.green(`↺ revived (pid ${line.pid})`);
    case 'exit':
      return style.red(`exited (${line.signal ?? `code ${line.code}`})`);
    case 'fault':
      return style.magenta(`fault ${line.action === 'set' ? 'set' : 'cleared'}: ${line.fault}${line.links.length ? style.dim(` [${line.links.join(' ')}]`) : ''}`);
    case 'proxy':
      return style.red(`proxy ${line.link.replace('-', '→')} ${line.action} ${line.msg ?? ''} (${line.size} B${line.heldMs !== undefined ? `, held ${formatDuration(line.heldMs)}` : ''})`.replace('  ', ' '));
  }
}

export function formatTraceLine(line: TraceLine): string {
  const who = (line.node ?? 'lab').padEnd(4);
  return `${style.dim(clockTime(line.trueMs))} ${style.bold(who)} ${describeEvent(line)}`;
}

/** Heartbeats are most of the trace; people usually want them hidden. */
export function isHeartbeat(line: TraceLine): boolean {
  return (line.kind === 'send' || line.kind === 'receive' || line.kind === 'proxy') && line.msgType === 'heartbeat';
}
