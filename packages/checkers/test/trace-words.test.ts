/**
 * What a trace line says: one line of words for every kind of event, the same words wherever the
 * line is shown (the terminal colours them, the dashboard leads with the node).
 */
import { labTraceEventSchema, nodeTraceEventSchema, traceLineSchema, type TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { eventText, isHeartbeat, traceWords } from '../src/index.js';
import { ONE_OF_EACH_KIND, T0 } from './support/trace-builder.js';

/** Kind, tone, words: a transcript of every kind. */
const TRANSCRIPT = `
run_start     plain   run started, seed 42
node_start    good    ▶ started (pid 4242, port 40001)
send          plain   → n2  ping n1-1-7 (reply to n2-1-3)
receive       plain   ← n1  ping n1-1-7 sent at n1's 12:00:03.512
failed_send   bad     ✗→ n3  ping n1-1-8: no link
rpc_timeout   warn    ⏱ no reply from n2 to work n1-1-9 in 1.5s (attempt 2)
late_reply    warn    ← n2  late reply n2-1-4 to n1-1-9, 250ms after its timeout
retry         warn    ↻ retry n1-1-10 of n1-1-9 to n2 (attempt 2)
malformed     bad     ⚠ malformed from n3: not JSON: at byte 3
peer_up       good    ↑ link to n2 up
peer_down     bad     ↓ link to n3 down
clock_change  change  clock jumped +1.5s, offset -2s, drift 50ppm
local         plain   • hello
state         state   • counter counter 2 (n1-1-11)
crash         bad     ✗ killed (SIGKILL)
pause         warn    ‖ paused (SIGSTOP)
resume        good    ▶ resumed (SIGCONT)
revive        good    ↺ revived (pid 4343)
exit          bad     exited (code 1)
fault         change  fault set: partition n1 n2,n3 [n1-n2 n1-n3]
proxy         bad     proxy n1→n3 held n1-1-12 (10 B, held 800ms)
refused       bad     ⛔ refused n2-1-5 from n2: lamport: 9007199254740991 is past the bound
`;

const expected = TRANSCRIPT.trim()
  .split('\n')
  .map((row) => /^(\S+)\s+(\S+)\s+(.*)$/.exec(row)!.slice(1));

describe('the words for a trace line', () => {
  it('the transcript has every kind of event the trace schema has', () => {
    const kinds = [...nodeTraceEventSchema.options, ...labTraceEventSchema.options].map((o) => o.shape.kind.value);
    expect(expected.map(([kind]) => kind).sort()).toEqual([...kinds].sort());
    for (const [kind, line] of Object.entries(ONE_OF_EACH_KIND)) expect(line.kind).toBe(kind);
  });

  it.each(expected)('%s reads as the transcript says', (kind, tone, text) => {
    const line = ONE_OF_EACH_KIND[kind as TraceLine['kind']];
    expect(traceWords(line).tone).toBe(tone);
    expect(eventText(line)).toBe(text);
  });

  it('message ids and details are the minor parts', () => {
    expect(traceWords(ONE_OF_EACH_KIND.send).parts).toEqual([{ text: '→ n2  ping ' }, { text: 'n1-1-7', minor: true }, { text: ' (reply to n2-1-3)', minor: true }]);
    expect(traceWords(ONE_OF_EACH_KIND.fault).parts.filter((p) => p.minor).map((p) => p.text)).toEqual([' [n1-n2 n1-n3]']);
  });

  it('what is absent is not said: no reply-to, no message id, no links, no jump', () => {
    const line = (l: Record<string, unknown>): TraceLine => traceLineSchema.parse({ seq: 1, trueMs: T0, ...l });
    expect(eventText(line({ node: 'n1', kind: 'send', to: 'n2', msg: 'm', msgType: 'ping', size: 1 }))).toBe('→ n2  ping m');
    expect(eventText(line({ kind: 'proxy', action: 'dropped', link: 'n1-n2', size: 3 }))).toBe('proxy n1→n2 dropped (3 B)');
    expect(eventText(line({ kind: 'fault', action: 'clear', fault: 'heal', links: [] }))).toBe('fault cleared: heal');
    expect(eventText(line({ node: 'n1', kind: 'clock_change', offsetMs: 0, driftPpm: 0 }))).toBe('clock offset +0ms, drift 0ppm');
    expect(eventText(line({ node: 'n1', kind: 'exit', code: null, signal: 'SIGTERM' }))).toBe('exited (SIGTERM)');
  });

  it('a line of the trace is one line of words, whatever a node put in a label', () => {
    const label = traceLineSchema.parse({ seq: 1, trueMs: T0, node: 'n1', kind: 'local', label: 'two\r\n  lines\nand three' });
    expect(eventText(label)).toBe('• two lines and three');
    for (const line of Object.values(ONE_OF_EACH_KIND)) expect(eventText(line)).not.toMatch(/[\r\n]/);
  });

  it('knows heartbeats', () => {
    expect(isHeartbeat({ ...ONE_OF_EACH_KIND.send, msgType: 'heartbeat' } as TraceLine)).toBe(true);
    expect(isHeartbeat({ ...ONE_OF_EACH_KIND.proxy, msgType: 'heartbeat' } as TraceLine)).toBe(true);
    expect(isHeartbeat(ONE_OF_EACH_KIND.send)).toBe(false);
    expect(isHeartbeat(ONE_OF_EACH_KIND.local)).toBe(false);
  });
});
