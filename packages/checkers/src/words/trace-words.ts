/**
 * What a trace line says (pure): the one description of every kind of event, in words. The
 * terminal colours it by its tone, dims its minor parts and puts time and node in columns
 * (`12:00:03.512 n2   ✗ killed (SIGKILL)`); the dashboard shows it as it is. A receive says when
 * the sender's own clock said it sent: a node's wall time, beside the trace's true time.
 */
import { HEARTBEAT_TYPES, ROUTINE_STATES, type TraceLine } from '@faultline/protocol';
import { stateText } from './state-words.js';
import { clockTime, formatDuration } from './time.js';

/** What kind of news a line is: the terminal gives each tone a colour. */
export type Tone = 'plain' | 'good' | 'bad' | 'warn' | 'change' | 'state';

/** A piece of a line's words; minor pieces (message ids, details) can be shown fainter. */
export interface WordPart {
  readonly text: string;
  readonly minor?: boolean;
}

export interface TraceWords {
  readonly tone: Tone;
  readonly parts: readonly WordPart[];
}

const signed = (ms: number): string => `${ms >= 0 ? '+' : ''}${formatDuration(ms)}`;

/** Free text from a node (a label, an error) on one line: a line of the trace is one line of words. */
const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ');

const words = (tone: Tone, ...parts: (string | WordPart | undefined)[]): TraceWords => ({
  tone,
  parts: parts.filter((p): p is string | WordPart => p !== undefined && p !== '').map((p) => (typeof p === 'string' ? { text: p } : p)),
});
const minor = (text: string): WordPart => ({ text, minor: true });

/** The event part of a line, without its time and node. */
export function traceWords(line: TraceLine): TraceWords {
  switch (line.kind) {
    case 'run_start':
      return words('plain', `run started, seed ${line.seed}`);
    case 'node_start':
      return words('good', `▶ started (pid ${line.pid}, port ${line.port})`);
    case 'send':
      return words('plain', `→ ${line.to}  ${line.msgType} `, minor(line.msg), line.replyTo ? minor(` (reply to ${line.replyTo})`) : undefined);
    case 'receive':
      return words('plain', `← ${line.from}  ${line.msgType} `, minor(line.msg), minor(` sent at ${line.from}'s ${clockTime(line.sentWall)}`));
    case 'failed_send':
      return words('bad', `✗→ ${line.to}  ${line.msgType} ${line.msg}: ${oneLine(line.reason)}`);
    case 'rpc_timeout':
      return words('warn', `⏱ no reply from ${line.to} to ${line.msgType} ${line.msg} in ${formatDuration(line.timeoutMs)} (attempt ${line.attempt})`);
    case 'late_reply':
      return words('warn', `← ${line.from}  late reply ${line.msg} to ${line.replyTo}, ${formatDuration(line.lateByMs)} after its timeout`);
    case 'retry':
      return words('warn', `↻ retry ${line.msg} of ${line.retryOf} to ${line.to} (attempt ${line.attempt})`);
    case 'malformed':
      return words('bad', `⚠ malformed from ${oneLine(line.source)}: ${oneLine(line.error)}`);
    case 'refused': {
      const who = line.from === undefined ? 'a peer' : oneLine(line.from);
      const what = line.stage === 'handshake' ? `⛔ refused a connection` : `⛔ refused ${line.msg === undefined ? 'a message' : oneLine(line.msg)} from ${who}`;
      return words('bad', `${what}: ${oneLine(line.reason)}`);
    }
    case 'peer_up':
      return words('good', `↑ link to ${line.peer} up`);
    case 'peer_down':
      return words('bad', `↓ link to ${line.peer} down`);
    case 'clock_change':
      return words('change', `clock ${line.jumpMs !== undefined ? `jumped ${signed(line.jumpMs)}, ` : ''}offset ${signed(line.offsetMs)}, drift ${line.driftPpm}ppm`);
    case 'local':
      return words('plain', `• ${oneLine(line.label)}`);
    case 'state':
      return words('state', stateText(line), line.msg ? minor(` (${line.msg})`) : undefined);
    case 'crash':
      return words('bad', `✗ killed (${line.signal})`);
    case 'pause':
      return words('warn', '‖ paused (SIGSTOP)');
    case 'resume':
      return words('good', '▶ resumed (SIGCONT)');
    case 'revive':
      return words('good', `↺ revived (pid ${line.pid})`);
    case 'exit':
      return words('bad', `exited (${line.signal ?? `code ${line.code}`})`);
    case 'fault':
      return words('change', `fault ${line.action === 'set' ? 'set' : 'cleared'}: ${line.fault}`, line.links.length ? minor(` [${line.links.join(' ')}]`) : undefined);
    case 'proxy': {
      const msg = line.msg === undefined ? '' : ` ${line.msg}`;
      return words('bad', `proxy ${line.link.replace('-', '→')} ${line.action}${msg} (${line.size} B${line.heldMs !== undefined ? `, held ${formatDuration(line.heldMs)}` : ''})`);
    }
  }
}

/** The event part of a line in plain words: `✗ killed (SIGKILL)`, `→ n2  ping n1-1`. */
export function eventText(line: TraceLine): string {
  return traceWords(line)
    .parts.map((p) => p.text)
    .join('');
}

/** Heartbeats (protocol's `HEARTBEAT_TYPES`, and routine state lines like a lease renewed) are most of the trace; people usually want them hidden. */
export function isHeartbeat(line: TraceLine): boolean {
  if (line.kind === 'state') return ROUTINE_STATES.has(`${line.behaviour}/${line.key}`);
  return (line.kind === 'send' || line.kind === 'receive' || line.kind === 'proxy') && line.msgType !== undefined && HEARTBEAT_TYPES.has(line.msgType);
}
