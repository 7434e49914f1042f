/**
 * The ambiguity lens on hand-made traces: every kind of truth behind the same timeout, told from
 * the god's-eye trace; and what the sender saw is the same words each time.
 */
import { describe, expect, it } from 'vitest';
import { lensOf, truthOf, TRUTHS, type Truth } from '../src/index.js';
import { TraceBuilder, timedOut } from './support/trace-builder.js';

/** n1 sends request r to n2, `story` happens, n1 times out. */
function scenario(story: (t: TraceBuilder) => void): TraceBuilder {
  const t = new TraceBuilder().send('n1', 'n2', 'r', 'work');
  story(t);
  return t.timeout('n1', 'n2', 'r');
}

const cases: [Truth, (t: TraceBuilder) => void, RegExp][] = [
  ['request_dropped', (t) => t.proxy('n1-n2', 'dropped', 'r'), /^the proxy dropped the request on the link n1→n2 \(\+1ms\); n2 never saw it$/],
  ['request_malformed', (t) => t.add({ node: 'n2', kind: 'malformed', source: 'peer', error: 'envelope.type: too long', msg: 'r' }), /^n2 got it \(\+1ms\) but refused it as malformed \(envelope\.type: too long\); it was never handled$/],
  ['request_held', (t) => t.proxy('n1-n2', 'held', 'r'), /held the request on the link n1→n2 and still holds it/],
  ['request_lost', () => undefined, /never reached n2/],
  ['receiver_paused', (t) => t.lab('n2', { kind: 'pause' }), /n2 was paused \(SIGSTOP\)/],
  ['crashed_before_processing', (t) => t.receive('n2', 'n1', 'r', 'work').lab('n2', { kind: 'crash', signal: 'SIGKILL' }, 100), /n2 got it \(\+1ms\) and was killed \(\+101ms\) before it had processed it/],
  ['crashed_after_processing', (t) => t.receive('n2', 'n1', 'r', 'work').state('n2', 'processed', 1, 'r', 400).lab('n2', { kind: 'crash', signal: 'SIGKILL' }), /processed it \(\+401ms\), then was killed \(\+402ms\) before it replied/],
  ['not_answered', (t) => t.receive('n2', 'n1', 'r', 'work'), /n2 got it \(\+1ms\) and has not answered it/],
  ['reply_dropped', (t) => t.receive('n2', 'n1', 'r', 'work').send('n2', 'n1', 'p', 'work_ok', 'r').proxy('n2-n1', 'dropped', 'p'), /the proxy dropped the reply on the link n2→n1/],
  ['reply_held', (t) => t.receive('n2', 'n1', 'r', 'work').send('n2', 'n1', 'p', 'work_ok', 'r').proxy('n2-n1', 'held', 'p'), /the reply is still held on the link n2→n1/],
  ['reply_lost', (t) => t.receive('n2', 'n1', 'r', 'work').send('n2', 'n1', 'p', 'work_ok', 'r'), /the reply never reached n1/],
];

describe('ambiguity lens', () => {
  it.each(cases)('%s', (truth, story, sentence) => {
    const t = scenario(story);
    const found = truthOf(t.lines, 'r', 'n1', 'n2');
    expect(found.truth).toBe(truth);
    expect(found.story).toMatch(sentence);
    // The evidence is real lines of the trace, the send first and (when it came) the timeout last.
    expect(found.evidence[0]).toBe(1);
    for (const seq of found.evidence) expect(t.lines.some((l) => l.seq === seq)).toBe(true);
  });

  it('a message the proxy swallowed in a cut: lost, said from its own line, with or without the fault line', () => {
    const bare = scenario((t) => t.lab('n1', { kind: 'proxy', action: 'dropped', link: 'n1-n2', msg: 'r', msgType: 'work', size: 50, reason: 'cut' }));
    expect(truthOf(bare.lines, 'r', 'n1', 'n2')).toMatchObject({ truth: 'request_lost', story: 'the link n1→n2 was cut: the proxy swallowed the request (+1ms); n2 never saw it', evidence: [1, 2, 3] });
    const withFault = new TraceBuilder()
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n1 n2', links: ['n1-n2', 'n2-n1'] })
      .send('n1', 'n2', 'r', 'work')
      .receive('n2', 'n1', 'r', 'work')
      .send('n2', 'n1', 'p', 'work_ok', 'r')
      .lab('n2', { kind: 'proxy', action: 'dropped', link: 'n2-n1', msg: 'p', msgType: 'work_ok', size: 50, reason: 'cut' })
      .timeout('n1', 'n2', 'r');
    expect(truthOf(withFault.lines, 'r', 'n1', 'n2')).toMatchObject({ truth: 'reply_lost', story: 'n2 got it (+1ms) and replied; the link n2→n1 was cut (partition n1 n2): the proxy swallowed the reply (+3ms)' });
  });

  it('covers every truth it can name (reply_late below)', () => {
    expect(new Set([...cases.map((c) => c[0]), 'reply_late'])).toEqual(new Set(TRUTHS));
  });

  it('a reply that came after the timeout is late, not lost; the held and released reply says so', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'r', 'incr')
      .receive('n2', 'n1', 'r', 'incr')
      .send('n2', 'n1', 'p', 'incr_ok', 'r')
      .proxy('n2-n1', 'held', 'p')
      .timeout('n1', 'n2', 'r', 200)
      .proxy('n2-n1', 'released', 'p', 30)
      .receive('n1', 'n2', 'p', 'incr_ok', 'r')
      .add({ node: 'n1', kind: 'late_reply', from: 'n2', msg: 'p', replyTo: 'r', lateByMs: 31 });
    const found = truthOf(t.lines, 'r', 'n1', 'n2');
    expect(found).toMatchObject({ truth: 'reply_late' });
    expect(found.story).toMatch(/held the reply on the link n2→n1 until it was released; it arrived 31ms after the timeout/);
  });

  it('a pause explains a request read only after the timeout; a pause after the reply, or a crash after the timeout, does not', () => {
    const pausedFirst = new TraceBuilder()
      .lab('n2', { kind: 'pause' })
      .send('n1', 'n2', 'r', 'ping')
      .timeout('n1', 'n2', 'r', 500)
      .lab('n2', { kind: 'resume' }, 100)
      .receive('n2', 'n1', 'r', 'ping')
      .send('n2', 'n1', 'p', 'pong', 'r')
      .receive('n1', 'n2', 'p', 'pong', 'r')
      .add({ node: 'n1', kind: 'late_reply', from: 'n2', msg: 'p', replyTo: 'r', lateByMs: 102 });
    expect(truthOf(pausedFirst.lines, 'r', 'n1', 'n2').truth).toBe('receiver_paused');
    const pausedLater = new TraceBuilder()
      .send('n1', 'n2', 'r', 'ping')
      .receive('n2', 'n1', 'r', 'ping')
      .send('n2', 'n1', 'p', 'pong', 'r')
      .proxy('n2-n1', 'dropped', 'p')
      .lab('n2', { kind: 'pause' }, 100)
      .timeout('n1', 'n2', 'r', 500);
    expect(truthOf(pausedLater.lines, 'r', 'n1', 'n2').truth).toBe('reply_dropped');
    const crashLater = new TraceBuilder()
      .send('n1', 'n2', 'r', 'work')
      .receive('n2', 'n1', 'r', 'work')
      .timeout('n1', 'n2', 'r', 500)
      .lab('n2', { kind: 'crash', signal: 'SIGKILL' }, 3000);
    expect(truthOf(crashLater.lines, 'r', 'n1', 'n2').truth).toBe('not_answered');
  });

  it('a call to a node paused before it (the pause the lab hands in with the call, no receive, no resume yet): receiver paused', () => {
    const t = new TraceBuilder()
      .lab('n2', { kind: 'pause' }, 5)
      .send('n1', 'n2', 'r', 'ping', undefined, 2000)
      .timeout('n1', 'n2', 'r', 300);
    const found = truthOf(t.lines, 'r', 'n1', 'n2');
    expect(found).toMatchObject({ truth: 'receiver_paused', evidence: [2, 1, 3] });
    expect(found.story).toBe('n2 was paused (SIGSTOP): alive, connected, but reading nothing');
  });

  it('a new partition does not end a block', () => {
    const t = new TraceBuilder()
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'block n1 n2', links: ['n1-n2'] })
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n3 n1,n2', links: ['n1-n3', 'n3-n1', 'n2-n3', 'n3-n2'] })
      .send('n1', 'n2', 'r', 'ping')
      .timeout('n1', 'n2', 'r');
    expect(truthOf(t.lines, 'r', 'n1', 'n2').story).toBe('the link n1→n2 was cut (block n1 n2): the request vanished and nothing reported it');
  });

  it('a cut link explains a lost request by the partition that made it', () => {
    const t = new TraceBuilder()
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n1 n2', links: ['n1-n2', 'n2-n1'] })
      .send('n1', 'n2', 'r', 'ping')
      .timeout('n1', 'n2', 'r');
    expect(truthOf(t.lines, 'r', 'n1', 'n2')).toMatchObject({ truth: 'request_lost', story: 'the link n1→n2 was cut (partition n1 n2): the request vanished and nothing reported it' });
    const healed = new TraceBuilder()
      .lab(undefined, { kind: 'fault', action: 'set', fault: 'partition n1 n2', links: ['n1-n2', 'n2-n1'] })
      .lab(undefined, { kind: 'fault', action: 'clear', fault: 'heal', links: ['n1-n2', 'n2-n1'] })
      .send('n1', 'n2', 'r', 'ping')
      .timeout('n1', 'n2', 'r');
    expect(truthOf(healed.lines, 'r', 'n1', 'n2').story).toMatch(/no receive of it anywhere/);
  });

  it('the sender sees the same words for every attempt that timed out, whatever happened; an ok call has no lens', () => {
    const t = new TraceBuilder()
      .send('n1', 'n2', 'a', 'work')
      .proxy('n1-n2', 'dropped', 'a')
      .timeout('n1', 'n2', 'a', 500, 1)
      .add({ node: 'n1', kind: 'retry', to: 'n2', msg: 'b', retryOf: 'a', attempt: 2 })
      .send('n1', 'n2', 'b', 'work')
      .receive('n2', 'n1', 'b', 'work')
      .send('n2', 'n1', 'c', 'work_ok', 'b')
      .proxy('n2-n1', 'dropped', 'c')
      .timeout('n1', 'n2', 'b', 500, 2);
    const entry = lensOf(t.lines, { name: 'W', from: 'n1', to: 'n2', msgType: 'work', result: timedOut(['a', 'b']) })!;
    expect(entry.senderSaw).toBe('no reply within 500ms');
    expect(entry.attempts.map((a) => [a.attempt, a.requestId, a.truth])).toEqual([
      [1, 'a', 'request_dropped'],
      [2, 'b', 'reply_dropped'],
    ]);
    const ok = new TraceBuilder().send('n1', 'n2', 'a', 'ping').receive('n2', 'n1', 'a', 'ping');
    expect(lensOf(ok.lines, { name: 'P', from: 'n1', to: 'n2', msgType: 'ping', result: { outcome: 'ok', attempts: 1, requestIds: ['a'], elapsedMs: 2 } })).toBeUndefined();
  });
});
