/**
 * The heartbeat failure detector through real cores, time moved by hand: beats every interval;
 * a timeout detector suspects exactly at its limit (woken then, not polling) and trusts again on
 * the next beat; phi stays quiet on steady beats, suspects later the higher its threshold, and
 * later still after irregular beats; `fd_config` changes the settings at once; bad input.
 */
import { detectorSettingsSchema, detectorSuspectSchema, detectorTrustSchema, type BehaviourSpecInput, type DetectorSuspect, type NodeId } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { interArrival, phi, phiCrossingMs } from '../../src/behaviours/detector.js';
import { HandNetwork } from '../support/hand-network.js';

type Settings = Partial<Omit<Extract<BehaviourSpecInput, { name: 'detector' }>, 'name'>>;

/** Nodes `ids`, those in `running` with a detector of these settings. */
function lab(settings: Settings = {}, ids: NodeId[] = ['n1', 'n2'], running: NodeId[] = ids): HandNetwork {
  return new HandNetwork(ids, (id) => (running.includes(id) ? { name: 'detector', ...settings } : undefined));
}

const suspects = (net: HandNetwork, node: NodeId): DetectorSuspect[] => net.states(node, 'suspect').map((s) => detectorSuspectSchema.parse(s.value));
const trusts = (net: HandNetwork, node: NodeId) => net.states(node, 'trust').map((s) => detectorTrustSchema.parse(s.value));

/**
 * Lets `ms` pass in steps of `stepMs` (every time that matters here falls on one), delivering every
 * beat at the end of the step it was sent in, unless `silent` sent it.
 */
function run(net: HandNetwork, ms: number, silent: NodeId[] = [], stepMs = 10): void {
  for (let t = 0; t < ms; t += stepMs) {
    net.advance(Math.min(stepMs, ms - t));
    for (const from of silent) net.drop({ from, type: 'fd_beat' });
    net.deliver({ type: 'fd_beat' });
  }
}

/** n1 alone runs the detector; n2's beats are handed to it at the monotonic offsets given (from now). */
class OneWatcher {
  readonly net: HandNetwork;
  private elapsedMs = 0;

  constructor(settings: Settings) {
    this.net = lab(settings, ['n1', 'n2'], ['n1']);
  }

  /** A beat from n2 `afterMs` after the last thing this did. */
  beat(afterMs: number): this {
    this.wait(afterMs);
    const h = this.net.node('n1');
    h.deliver(h.envelope('n2', 'fd_beat'));
    return this;
  }

  /** Lets `ms` pass 1 ms at a time (every wake-up met when it is due). */
  wait(ms: number): this {
    for (let t = 0; t < ms; t += 1) this.net.advance(1);
    this.elapsedMs += ms;
    return this;
  }

  /** Waits, in 1 ms steps, until n1 suspects n2 (at most `capMs`): its `suspect` value. */
  untilSuspected(capMs = 10_000): DetectorSuspect {
    for (let t = 0; t < capMs; t += 1) {
      const [s] = suspects(this.net, 'n1');
      if (s) return s;
      this.net.advance(1);
    }
    throw new Error(`n1 did not suspect n2 within ${capMs} ms`);
  }
}

describe('phi: the arithmetic', () => {
  /** Akka's own two branches, as a reference. */
  const akka = (t: number, mean: number, std: number): number => {
    const y = (t - mean) / std;
    const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    return t > mean ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
  };

  it('agrees with Akka where Akka is finite, stays finite and rising where it is not', () => {
    for (const t of [0, 50, 99, 100, 101, 120, 150, 200, 300]) expect(phi(t, 100, 20)).toBeCloseTo(akka(t, 100, 20), 9);
    expect(phi(100, 100, 20)).toBeCloseTo(Math.log10(2), 12);
    expect(akka(100_000, 100, 10)).toBe(Infinity);
    const huge = [1e4, 1e6, 1e9, 1e15].map((t) => phi(t, 100, 10));
    for (const p of huge) expect(Number.isFinite(p)).toBe(true);
    expect([...huge].sort((a, b) => a - b)).toEqual(huge);
  });

  it('phiCrossingMs is where phi reaches the threshold, later for a higher threshold or a wider spread', () => {
    for (const threshold of [0.5, 1, 3, 8, 16, 50, 100]) expect(phi(phiCrossingMs(threshold, 100, 10), 100, 10)).toBeCloseTo(threshold, 6);
    const at = [1, 3, 8, 16].map((threshold) => phiCrossingMs(threshold, 100, 10));
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(phiCrossingMs(8, 100, 40)).toBeGreaterThan(phiCrossingMs(8, 100, 10));
    // A tiny threshold is crossed at once, never at a negative gap.
    expect(phiCrossingMs(1e-9, 0, 10)).toBe(0);
  });

  it('inter-arrival: bootstrap before two samples, the floor on the deviation', () => {
    expect(interArrival([], 100)).toEqual({ meanMs: 100, stdMs: 25 });
    expect(interArrival([140], 100)).toEqual({ meanMs: 100, stdMs: 25 });
    expect(interArrival([100, 100, 100], 100)).toEqual({ meanMs: 100, stdMs: 10 });
    expect(interArrival([60, 140, 60, 140], 100)).toEqual({ meanMs: 100, stdMs: 40 });
  });
});

describe('detector through the cores', () => {
  it('traces its settings at start and beats every intervalMs to every connected peer (the first one interval after the start)', () => {
    const net = lab({ intervalMs: 100 }, ['n1', 'n2', 'n3']);
    expect(net.states('n1', 'fd_config').map((s) => s.value)).toEqual([{ method: 'timeout', timeoutMs: 500, threshold: 8, intervalMs: 100 }]);
    const beatsOf = (): string[] => net.pending({ from: 'n1', type: 'fd_beat' }).map((e) => e.to);
    // None at once: the peers' detectors may not run yet.
    expect(beatsOf()).toEqual([]);
    net.advance(99);
    expect(beatsOf()).toEqual([]);
    net.advance(1);
    expect(beatsOf()).toEqual(['n2', 'n3']);
    net.advance(100);
    expect(beatsOf()).toEqual(['n2', 'n3', 'n2', 'n3']);
    // A link down: no beat to n3 (a failed_send is all).
    net.node('n1').step({ kind: 'link', peer: 'n3', up: false });
    net.advance(100);
    expect(beatsOf()).toEqual(['n2', 'n3', 'n2', 'n3', 'n2']);
    expect(net.pending({ from: 'n1', type: 'fd_beat' }).every((e) => Object.keys(e.body).length === 0)).toBe(true);
  });

  it('timeout: suspects exactly timeoutMs after the last beat, woken then; trusts on the next beat', () => {
    const net = lab({ intervalMs: 100, timeoutMs: 250 });
    run(net, 300);
    const lastBeatMs = net.node('n1').monoMs;
    // From now on n2's beats are lost.
    run(net, 200, ['n2']);
    expect(suspects(net, 'n1')).toEqual([]);
    // The next wake-up is the suspicion's moment, between two of n1's own beats.
    expect(net.node('n1').core.nextWakeMs()).toBe(lastBeatMs + 250);
    run(net, 49, ['n2']);
    expect(suspects(net, 'n1')).toEqual([]);
    run(net, 1, ['n2']);
    expect(suspects(net, 'n1')).toEqual([{ peer: 'n2', sinceMs: 250, method: 'timeout', timeoutMs: 250 }]);
    // Suspected once, however long the silence.
    run(net, 500, ['n2']);
    expect(suspects(net, 'n1')).toHaveLength(1);
    // n2 is heard again 800 ms after its last beat: trusted, after 550 ms of suspicion.
    run(net, 50);
    expect(trusts(net, 'n1')).toEqual([{ peer: 'n2', sinceMs: 800, suspectedForMs: 550 }]);
    run(net, 1000);
    expect(suspects(net, 'n1')).toHaveLength(1);
    // n2 never stopped hearing n1.
    expect(suspects(net, 'n2')).toEqual([]);
  });

  it('never suspects a peer it never heard (one that runs no detector)', () => {
    const net = lab({ timeoutMs: 250 }, ['n1', 'n2', 'n3'], ['n1', 'n2']);
    run(net, 2000);
    expect(suspects(net, 'n1')).toEqual([]);
    // n3 answers the beats it does not handle with an error (the price of beating every peer).
    expect(net.pending({ from: 'n3', type: 'error' }).length).toBeGreaterThan(0);
    run(net, 500, ['n2']);
    expect(suspects(net, 'n1').map((s) => s.peer)).toEqual(['n2']);
  });

  it('a paused observer suspects everyone on resuming (its own gap): real, and left visible', () => {
    const net = lab({ timeoutMs: 300 }, ['n1', 'n2', 'n3']);
    run(net, 500);
    // n1 frozen for 2 s: only its clock moves (one step, as a SIGSTOP'd process sees it).
    const h = net.node('n1');
    h.monoMs += 2000;
    h.trueMs += 2000;
    h.step({ kind: 'tick' });
    expect(suspects(net, 'n1').map((s) => [s.peer, s.sinceMs])).toEqual([
      ['n2', 2000],
      ['n3', 2000],
    ]);
  });
});

describe('phi through the cores', () => {
  it('steady beats: no suspicion; silence: suspected after a gap that grows with the threshold', () => {
    const net = lab({ method: 'phi', intervalMs: 100 });
    run(net, 10_000);
    expect(suspects(net, 'n1')).toEqual([]);
    const gapAt = (threshold: number): DetectorSuspect => {
      const w = new OneWatcher({ method: 'phi', intervalMs: 100, threshold });
      for (let i = 0; i < 20; i += 1) w.beat(100);
      return w.untilSuspected();
    };
    const found = [1, 4, 8, 16].map(gapAt);
    const gaps = found.map((s) => s.sinceMs);
    expect([...gaps].sort((a, b) => a - b)).toEqual(gaps);
    expect(new Set(gaps).size).toBe(4);
    // σ is the floor (10 ms): the gap is where phi(·; 100, 10) crosses, rounded up to the ms.
    expect(gaps).toEqual([1, 4, 8, 16].map((t) => Math.ceil(phiCrossingMs(t, 100, 10))));
    for (const s of found) {
      expect(s).toMatchObject({ peer: 'n2', method: 'phi' });
      expect(s.phi).toBeGreaterThanOrEqual(s.threshold! - 1e-3);
    }
  });

  it('irregular beats (a wider spread) make it wait longer', () => {
    const steady = new OneWatcher({ method: 'phi' });
    for (let i = 0; i < 20; i += 1) steady.beat(100);
    const jittery = new OneWatcher({ method: 'phi' });
    // 20 intervals, 140 and 60 by turns: mean 100, σ 40.
    for (let i = 0; i <= 20; i += 1) jittery.beat(i % 2 === 0 ? 60 : 140);
    const quick = steady.untilSuspected().sinceMs;
    const slow = jittery.untilSuspected().sinceMs;
    expect(slow).toBe(Math.ceil(phiCrossingMs(8, 100, 40)));
    expect(slow).toBeGreaterThan(quick + 100);
  });

  it('before two intervals it assumes mean intervalMs, σ intervalMs/4; the gap that ends a suspicion is not learnt', () => {
    const w = new OneWatcher({ method: 'phi', intervalMs: 100 });
    w.beat(0);
    expect(w.untilSuspected().sinceMs).toBe(Math.ceil(phiCrossingMs(8, 100, 25)));
    w.wait(2000).beat(0);
    expect(trusts(w.net, 'n1')).toHaveLength(1);
    // One interval learnt since (not the long gap): still the bootstrap.
    w.beat(100).beat(100);
    const before = suspects(w.net, 'n1').length;
    w.wait(Math.ceil(phiCrossingMs(8, 100, 10)) - 1);
    expect(suspects(w.net, 'n1')).toHaveLength(before);
    w.wait(1);
    expect(suspects(w.net, 'n1')).toHaveLength(before + 1);
  });
});

describe('fd_config', () => {
  it('changes the settings at once, keeps suspicions and the history, and is traced and answered', () => {
    const w = new OneWatcher({ method: 'phi', intervalMs: 100 });
    for (let i = 0; i < 10; i += 1) w.beat(100);
    w.wait(50);
    expect(w.net.invoke('n1', 'fd_config', { method: 'timeout', timeoutMs: 40 })).toEqual({ ok: true, result: { method: 'timeout', timeoutMs: 40, threshold: 8, intervalMs: 100 } });
    // Already past the new limit: suspected in the same step, after the traced settings.
    const keys = w.net.node('n1').events().flatMap((e) => (e.kind === 'state' ? [e.key] : []));
    expect(keys.slice(-2)).toEqual(['fd_config', 'suspect']);
    expect(suspects(w.net, 'n1')).toEqual([{ peer: 'n2', sinceMs: 50, method: 'timeout', timeoutMs: 40 }]);
    // Back to phi: the suspicion stays; the next beat trusts; the history of steady 100 ms beats
    // is still there (σ at its floor, intervalMs / 10), and the gap that ended the suspicion is not in it.
    expect(w.net.invoke('n1', 'fd_config', { method: 'phi', threshold: 2 }).ok).toBe(true);
    expect(w.net.states('n1', 'fd_config').map((s) => detectorSettingsSchema.parse(s.value))).toEqual([
      { method: 'phi', timeoutMs: 500, threshold: 8, intervalMs: 100 },
      { method: 'timeout', timeoutMs: 40, threshold: 8, intervalMs: 100 },
      { method: 'phi', timeoutMs: 40, threshold: 2, intervalMs: 100 },
    ]);
    w.wait(500);
    expect(suspects(w.net, 'n1')).toHaveLength(1);
    w.beat(0);
    expect(trusts(w.net, 'n1')).toEqual([{ peer: 'n2', sinceMs: 550, suspectedForMs: 500 }]);
    w.wait(Math.ceil(phiCrossingMs(2, 100, 10)) - 1);
    expect(suspects(w.net, 'n1')).toHaveLength(1);
    w.wait(1);
    expect(suspects(w.net, 'n1')[1]).toMatchObject({ peer: 'n2', method: 'phi', threshold: 2 });
  });

  it('refuses a bad fd_config with one clear line, and fd_beat as a client request; changes nothing', () => {
    const net = lab();
    const refused = (msgType: string, body: Record<string, unknown>): string => {
      const answer = net.invoke('n1', msgType, body);
      if (answer.ok) throw new Error('not refused');
      return answer.error;
    };
    expect(refused('fd_config', { method: 'gossip' })).toMatch(/^fd_config\.method: .*"gossip"$/);
    expect(refused('fd_config', { timeoutMs: 5 })).toMatch(/^fd_config\.timeoutMs: .*>=10.*, got 5$/);
    expect(refused('fd_config', { threshold: -1 })).toMatch(/^fd_config\.threshold: .*, got -1$/);
    expect(refused('fd_config', { timeout: 100 })).toBe('fd_config.timeout: unknown field');
    expect(refused('fd_beat', {})).toBe('detector takes only fd_config as a client request; fd_beat comes from peers');
    expect(net.states('n1', 'fd_config')).toHaveLength(1);
    // An empty one changes nothing, and says what is in force.
    expect(net.invoke('n1', 'fd_config', {})).toEqual({ ok: true, result: { method: 'timeout', timeoutMs: 500, threshold: 8, intervalMs: 100 } });
  });

  it('ignores an fd_config from a peer, and any body on a beat', () => {
    const net = lab({ timeoutMs: 200 }, ['n1', 'n2'], ['n1']);
    const h = net.node('n1');
    h.deliver(h.envelope('n2', 'fd_config', { id: 'n2-7', body: { method: 'phi' } }));
    expect(h.events().at(-1)).toMatchObject({ kind: 'local', label: 'detector: fd_config n2-7 from n2 ignored: fd_config is a client request (invoke), not a peer\'s' });
    h.deliver(h.envelope('n2', 'fd_beat', { body: { junk: [1, 2, 3], nested: { deep: true } } }));
    net.advance(200);
    expect(suspects(net, 'n1')).toEqual([{ peer: 'n2', sinceMs: 200, method: 'timeout', timeoutMs: 200 }]);
    expect(net.states('n1', 'fd_config')).toHaveLength(1);
  });
});
