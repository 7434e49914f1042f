import { describe, expect, it } from 'vitest';
import { ProxyEventGate } from '../src/proxy-event-gate.js';

describe('ProxyEventGate: a proxy event never comes before the send of its message', () => {
  it('holds an event until its send is in, and keeps the events behind it in order', () => {
    const out: string[] = [];
    const gate = new ProxyEventGate<string>((v) => out.push(v), 250);
    gate.push({ msg: 'n1-1', value: 'dropped n1-1' }, 0);
    gate.push({ value: 'no id' }, 1);
    gate.push({ msg: 'n1-0', value: 'held n1-0' }, 2);
    expect(out).toEqual([]);
    gate.sentMessage('n1-0', 3);
    expect(out).toEqual([]);
    gate.sentMessage('n1-1', 4);
    expect(out).toEqual(['dropped n1-1', 'no id', 'held n1-0']);
    expect(gate.nextDeadline()).toBeUndefined();
  });

  it('lets an event through at once when its send is already in, or when no id could be read', () => {
    const out: string[] = [];
    const gate = new ProxyEventGate<string>((v) => out.push(v), 250);
    gate.sentMessage('a', 0);
    gate.push({ msg: 'a', value: 'x' }, 1);
    gate.push({ value: 'y' }, 2);
    expect(out).toEqual(['x', 'y']);
  });

  it('gives up waiting after maxWaitMs (the sender died before its report left)', () => {
    const out: string[] = [];
    const gate = new ProxyEventGate<string>((v) => out.push(v), 250);
    gate.push({ msg: 'never', value: 'dropped never' }, 100);
    expect(gate.nextDeadline()).toBe(350);
    gate.flush(349);
    expect(out).toEqual([]);
    gate.flush(350);
    expect(out).toEqual(['dropped never']);
  });

  it('drain emits everything still waiting', () => {
    const out: string[] = [];
    const gate = new ProxyEventGate<string>((v) => out.push(v));
    gate.push({ msg: 'a', value: '1' }, 0);
    gate.push({ msg: 'b', value: '2' }, 0);
    gate.drain();
    expect(out).toEqual(['1', '2']);
  });

  it('remembers at least the last 50,000 sends, in bounded memory', () => {
    const out: string[] = [];
    const gate = new ProxyEventGate<string>((v) => out.push(v), 250);
    gate.sentMessages(Array.from({ length: 120_000 }, (_, i) => `n1-${i}`), 0);
    gate.push({ msg: 'n1-70000', value: 'recent' }, 1);
    expect(out).toEqual(['recent']);
    gate.push({ msg: 'n1-0', value: 'forgotten' }, 2);
    expect(out).toEqual(['recent']);
    gate.flush(252);
    expect(out).toEqual(['recent', 'forgotten']);
  });
});
