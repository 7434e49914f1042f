import { describe, expect, it } from 'vitest';
import { linkFaultsRequestSchema, type LinkFaultsRequest } from '@faultline/protocol';
import { FaultlineError } from '@faultline/protocol';
import { describeFault, linkFaultChanges, requireMessageFaults, type FaultKind } from '../src/link-faults.js';

const req = (r: Partial<LinkFaultsRequest>): LinkFaultsRequest => linkFaultsRequestSchema.parse(r);

describe('linkFaultChanges: a link request as toxics', () => {
  it('latency and jitter → one latency toxic on the upstream stream', () => {
    const { set, clear } = linkFaultChanges(req({ latencyMs: 200, jitterMs: 50 }));
    expect(clear).toEqual([]);
    expect([...set.values()]).toEqual([
      { name: 'faultline-latency', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 200, jitter: 50 } },
    ]);
  });

  it('bandwidth → bandwidth (KB/s); resetAfterMs → reset_peer', () => {
    const { set } = linkFaultChanges(req({ bandwidthKBs: 64, resetAfterMs: 0 }));
    expect(set.get('bandwidth')).toMatchObject({ type: 'bandwidth', attributes: { rate: 64 } });
    expect(set.get('reset')).toMatchObject({ type: 'reset_peer', name: 'faultline-reset', attributes: { timeout: 0 } });
  });

  it('percentages → faultline message toxics with probability pct/100; reorder waits at most 500 ms', () => {
    const { set } = linkFaultChanges(req({ dropPct: 100, duplicatePct: 12.5, reorderPct: 30 }));
    expect(set.get('drop')).toMatchObject({ type: 'ws_drop', attributes: { probability: 1 } });
    expect(set.get('duplicate')).toMatchObject({ type: 'ws_duplicate', attributes: { probability: 0.125 } });
    expect(set.get('reorder')).toMatchObject({ type: 'ws_reorder', attributes: { probability: 0.3, max_delay_ms: 500 } });
    for (const toxic of set.values()) expect(toxic.stream).toBe('upstream');
  });

  it('0 % or zero latency clears that fault instead of setting it', () => {
    const { set, clear } = linkFaultChanges(req({ dropPct: 0, latencyMs: 0 }));
    expect(set.size).toBe(0);
    expect([...clear].sort()).toEqual(['drop', 'latency']);
  });

  it('a request with no fault is a bad request', () => {
    expect(() => linkFaultChanges(req({ both: true }))).toThrow(expect.objectContaining({ code: 'bad-request' }) as Error);
  });

  it('message faults are refused on a plain Toxiproxy, naming the fields', () => {
    const kinds: FaultKind[] = ['latency', 'drop', 'reorder'];
    let err: FaultlineError | undefined;
    try {
      requireMessageFaults(kinds, false, 'http://127.0.0.1:8474');
    } catch (e) {
      err = e as FaultlineError;
    }
    expect(err?.code).toBe('unsupported');
    expect(err?.message).toBe('dropPct, reorderPct need faultline-proxy (message-level faults); the proxy at http://127.0.0.1:8474 is a plain Toxiproxy');
    expect(() => requireMessageFaults(kinds, true, 'x')).not.toThrow();
    expect(() => requireMessageFaults(['latency', 'cut'], false, 'x')).not.toThrow();
  });

  it('describes faults in words', () => {
    const { set } = linkFaultChanges(req({ latencyMs: 200, jitterMs: 50, dropPct: 10, reorderPct: 5 }));
    expect(describeFault('latency', set.get('latency')!)).toBe('latency 200ms ±50ms');
    expect(describeFault('drop', set.get('drop')!)).toBe('drop 10%');
    expect(describeFault('reorder', set.get('reorder')!)).toBe('reorder 5% (max 500ms)');
  });
});
