/**
 * The words for the partial-failure behaviours' state lines: a key-value store's copies, a
 * leader's terms, a detector's suspicions; and the raw key and value for a line that does not
 * parse (never a crash).
 */
import type { TraceLine } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { stateText } from '../src/index.js';
import { TraceBuilder } from './support/trace-builder.js';

type StateLine = Extract<TraceLine, { kind: 'state' }>;
const line = (behaviour: string, key: string, value: unknown): StateLine => new TraceBuilder().add({ node: 'n1', kind: 'state', behaviour, key, value }).lines[0] as StateLine;

describe('stateText', () => {
  it.each([
    ['kv', 'kv_apply', { key: 'x', value: 3, version: { n: 3, node: 'n2' } }, '• store x = 3 (v3@n2)'],
    ['kv', 'kv_read', { key: 'x', value: null, version: null }, '• read x → nothing (no version)'],
    ['kv', 'kv_backup_missed', { key: 'x', version: { n: 4, node: 'n2' }, backups: ['n3'] }, '• answered without n3: x v4@n2 not copied there'],
    ['leader', 'leader', { term: 2, quorum: false }, '• leads term 2 (no vote)'],
    ['leader', 'leader', { term: 1, quorum: true, votes: ['n6', 'n7', 'n8'], leaseMs: 600, leftMs: 580 }, '• leads term 1 (votes n6, n7, n8; lease 580ms left)'],
    ['leader', 'step_down', { term: 1, reason: 'lease expired: no majority answered', was: 'leader' }, '• steps down (term 1): lease expired: no majority answered'],
    ['leader', 'adopt', { leader: 'n3', term: 2, dropped: [{ key: 'a', value: 1, term: 1 }, { key: 'a', value: 6, term: 1 }] }, "• takes n3's list (term 2), losing 1, 6"],
    ['detector', 'suspect', { peer: 'n3', sinceMs: 300, method: 'timeout', timeoutMs: 300 }, '• suspects n3: 300ms without a heartbeat'],
    ['detector', 'trust', { peer: 'n3', sinceMs: 900, suspectedForMs: 600 }, '• trusts n3 again (suspected for 600ms)'],
    ['detector', 'fd_config', { method: 'phi', timeoutMs: 500, threshold: 8, intervalMs: 100 }, '• detector: suspect after phi above 8 (heartbeats every 100ms)'],
  ])('%s %s', (behaviour, key, value, words) => {
    expect(stateText(line(behaviour, key, value))).toBe(words);
  });

  it('a value that does not parse is shown as it is', () => {
    expect(stateText(line('detector', 'suspect', { peer: 7 }))).toBe('• detector suspect {"peer":7}');
    expect(stateText(line('leader', 'adopt', 'nonsense'))).toBe('• leader adopt "nonsense"');
  });
});
