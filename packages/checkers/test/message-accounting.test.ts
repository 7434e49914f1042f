import type { TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { accountMessages, cutWindows, type MessageAccounting } from '../src/index.js';
import { TraceBuilder } from './support/trace-builder.js';

const fates = (a: MessageAccounting): Record<string, string> => Object.fromEntries(a.records.map((r) => [r.msg, r.fate]));
const nonZero = (a: MessageAccounting): Record<string, number> => Object.fromEntries(Object.entries(a.counts).filter(([, n]) => n > 0));

describe('message accounting', () => {
  it('explains a delivered message, a failed send and a proxy drop named by its fault', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'n1-1', 'ping')
      .receive('n2', 'n1', 'n1-1', 'ping')
      .add({ node: 'n1', kind: 'failed_send', to: 'n3', reason: 'link to n3 is down', msg: 'n1-2', msgType: 'ping', size: 5 })
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'link n1-n2 drop 50%', links: ['n1-n2'] })
      .send('n1', 'n2', 'n1-3', 'ping')
      .proxy('n1-n2', 'dropped', 'n1-3');
    const a = accountMessages(t.lines);
    expect(fates(a)).toEqual({ 'n1-1': 'delivered', 'n1-2': 'failed_send', 'n1-3': 'dropped' });
    expect(a.records.find((r) => r.msg === 'n1-3')?.because).toBe('the proxy dropped it: link n1-n2 drop 50%');
    expect(a.unexplained).toEqual([]);
    expect(a.messages).toBe(3);
  });

  it('counts the proxy line of a message a cut swallowed (dropped, reason cut) as cut_link, not as a drop toxic', () => {
    const t = new TraceBuilder()
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'link n1-n2 drop 50%', links: ['n1-n2'] })
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n1 n2', links: ['n1-n2', 'n2-n1'] })
      .send('n1', 'n2', 'n1-1', 'ping')
      .lab('n1', { kind: 'proxy', action: 'dropped', link: 'n1-n2', msg: 'n1-1', msgType: 'ping', size: 50, reason: 'cut' })
      .send('n1', 'n2', 'n1-2', 'ping')
      .proxy('n1-n2', 'dropped', 'n1-2');
    const a = accountMessages(t.lines);
    expect(fates(a)).toEqual({ 'n1-1': 'cut_link', 'n1-2': 'dropped' });
    expect(nonZero(a)).toEqual({ cut_link: 1, dropped: 1 });
  });

  it('reports a message nothing explains as unexplained, with its id', () => {
    const t = new TraceBuilder().send('n1', 'n2', 'n1-1', 'ping').send('n1', 'n2', 'n1-2', 'ping').receive('n2', 'n1', 'n1-2', 'ping');
    const a = accountMessages(t.lines);
    expect(a.unexplained.map((r) => r.msg)).toEqual(['n1-1']);
    expect(nonZero(a)).toEqual({ delivered: 1, unexplained: 1 });
  });

  it('counts a message sent into a partition by the fault window, and not one that the link carried after it', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'n1-1', 'ping') // sent just before the cut's line: in the lead, lost
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n1 n2', links: ['n1-n2', 'n2-n1'] })
      .send('n1', 'n2', 'n1-2', 'ping')
      .send('n2', 'n1', 'n2-1', 'ping')
      .lab(undefined, { kind: 'fault', action: 'clear', fault: 'heal', links: ['n1-n2', 'n2-n1'] })
      .send('n1', 'n2', 'n1-3', 'ping', undefined, 5_000) // after the heal: no cut explains its loss
      .send('n1', 'n2', 'n1-4', 'ping')
      .receive('n2', 'n1', 'n1-4', 'ping');
    const a = accountMessages(t.lines);
    expect(fates(a)).toEqual({ 'n1-1': 'cut_link_by_fault_window', 'n1-2': 'cut_link_by_fault_window', 'n2-1': 'cut_link_by_fault_window', 'n1-3': 'unexplained', 'n1-4': 'delivered' });
  });

  it('does not put a loss down to a cut when a later message on the link arrived before the cut', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'n1-1', 'ping')
      .send('n1', 'n2', 'n1-2', 'ping')
      .receive('n2', 'n1', 'n1-2', 'ping')
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'block n1 n2', links: ['n1-n2'] });
    expect(fates(accountMessages(t.lines))).toEqual({ 'n1-1': 'unexplained', 'n1-2': 'delivered' });
  });

  it('counts an explicit cut line under cut_link, separately from the fault window', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'n1-1', 'ping')
      .lab('n1', { kind: 'local', label: 'cut n1-1' }, 1);
    const cutMessageOf = (l: TraceLine): string | undefined => (l.kind === 'local' && l.label.startsWith('cut ') ? l.label.slice(4) : undefined);
    const a = accountMessages(t.lines.map((l, i) => (i === 1 ? { ...l, node: 'n1', clocks: undefined } : l)), { cutMessageOf });
    expect(nonZero(a)).toEqual({ cut_link: 1 });
  });

  it('puts a loss down to a dead receiver, killed after the send or down when it was sent', () => {
    const t = new TraceBuilder()
      .send('n1', 'n3', 'n1-1', 'ping')
      .lab('n3', { kind: 'crash', signal: 'SIGKILL' })
      .send('n2', 'n3', 'n2-1', 'ping') // n3 is dead
      .lab('n3', { kind: 'revive', pid: 99 })
      .send('n2', 'n3', 'n2-2', 'ping')
      .receive('n3', 'n2', 'n2-2', 'ping');
    const a = accountMessages(t.lines);
    expect(fates(a)).toEqual({ 'n1-1': 'dead_process', 'n2-1': 'dead_process', 'n2-2': 'delivered' });
    expect(a.records[0].because).toBe(`lost with a dead process: n3 crash (SIGKILL) #2`);
  });

  it('puts a loss down to a dead sender and to a broken connection', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'n1-1', 'ping')
      .lab('n1', { kind: 'exit', code: 1, signal: null })
      .send('n2', 'n3', 'n2-1', 'ping')
      .add({ node: 'n2', kind: 'peer_down', peer: 'n3' });
    const a = accountMessages(t.lines);
    expect(fates(a)).toEqual({ 'n1-1': 'dead_process', 'n2-1': 'broken_connection' });
  });

  it('does not put a loss down to a peer_down of another link', () => {
    const t = new TraceBuilder().send('n2', 'n3', 'n2-1', 'ping').add({ node: 'n2', kind: 'peer_down', peer: 'n1' });
    expect(fates(accountMessages(t.lines))).toEqual({ 'n2-1': 'unexplained' });
  });

  it('tells messages apart by incarnation: a revived node reusing counter 1 is another message', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'n1-1', 'ping')
      .receive('n2', 'n1', 'n1-1', 'ping')
      .lab('n1', { kind: 'crash', signal: 'SIGKILL' })
      .lab('n1', { kind: 'revive', pid: 7 })
      .send('n1', 'n2', 'n1.2-1', 'ping');
    const a = accountMessages(t.lines);
    expect(fates(a)).toEqual({ 'n1-1': 'delivered', 'n1.2-1': 'unexplained' });
  });

  it('counts duplicates, and flags a duplicate no proxy line explains', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'n1-1', 'ping')
      .proxy('n1-n2', 'duplicated', 'n1-1')
      .receive('n2', 'n1', 'n1-1', 'ping')
      .receive('n2', 'n1', 'n1-1', 'ping')
      .send('n1', 'n2', 'n1-2', 'ping')
      .receive('n2', 'n1', 'n1-2', 'ping')
      .receive('n2', 'n1', 'n1-2', 'ping')
      .receive('n3', 'n1', 'n1-9', 'ping');
    const a = accountMessages(t.lines);
    expect([a.duplicates, a.duplicatedByProxy, a.unexplainedDuplicates, a.receivedWithoutSend]).toEqual([2, 1, ['n1-2'], ['n1-9']]);
  });

  it('holds: released and received is delivered, held to the end is held_at_end, dropped with its connection is dropped by the hold', () => {
    const t = new TraceBuilder()
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'hold n1 n2', links: ['n1-n2'] })
      .send('n1', 'n2', 'n1-1', 'ping')
      .proxy('n1-n2', 'held', 'n1-1')
      .send('n1', 'n2', 'n1-2', 'ping')
      .proxy('n1-n2', 'held', 'n1-2')
      .proxy('n1-n2', 'released', 'n1-1')
      .receive('n2', 'n1', 'n1-1', 'ping')
      .proxy('n1-n2', 'dropped', 'n1-2')
      .send('n1', 'n2', 'n1-3', 'ping')
      .proxy('n1-n2', 'held', 'n1-3');
    const a = accountMessages(t.lines);
    expect(fates(a)).toEqual({ 'n1-1': 'delivered', 'n1-2': 'dropped', 'n1-3': 'held_at_end' });
    expect(a.records[1].because).toBe('the proxy dropped it: hold n1 n2');
  });

  it('accounts only messages sent up to untilSeq', () => {
    const t = new TraceBuilder().send('n1', 'n2', 'n1-1', 'ping').receive('n2', 'n1', 'n1-1', 'ping').send('n1', 'n2', 'n1-2', 'ping').receive('n2', 'n1', 'n1-2', 'ping').send('n1', 'n2', 'n1-3', 'ping');
    const a = accountMessages(t.lines, { untilSeq: 2 });
    expect([a.messages, a.notCounted, a.unexplained.length, a.receivedWithoutSend]).toEqual([1, 2, 0, []]);
  });
});

describe('cut windows', () => {
  it('a partition replaces the last one, blocks add, heal ends both', () => {
    const t = new TraceBuilder()
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n1 n2', links: ['n1-n2', 'n2-n1'] })
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'block n3 n1', links: ['n3-n1'] })
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n2 n1,n3', links: ['n2-n1', 'n1-n2', 'n2-n3', 'n3-n2'] })
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n3 n1,n2', links: ['n3-n1', 'n1-n3', 'n3-n2', 'n2-n3'] })
      .lab(undefined, { kind: 'fault', action: 'clear', fault: 'heal', links: [] });
    const w = cutWindows(t.lines).map((x) => `${x.link} ${x.fromSeq}-${x.toSeq ?? 'end'}`);
    expect(w.sort()).toEqual(['n1-n2 1-4', 'n1-n3 4-5', 'n2-n1 1-4', 'n2-n3 3-5', 'n3-n1 2-5', 'n3-n2 3-5']);
  });
});
