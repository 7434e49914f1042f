/**
 * `faultline test`, as a student runs it: a program speaking Maelstrom's protocol (JavaScript and
 * Python: examples/maelstrom and tests/fixtures/maelstrom) on every node of a real lab, a workload's clients, a partition
 * nemesis, the verdict in plain words. Correct programs pass; a deliberately wrong one for each
 * checker here fails, saying why. Real processes, real proxy; each run a few seconds long.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLibfaketime } from '@faultline/protocol/faketime';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIn } from './support/cli-process.js';
import { hasPython, js, py, solution } from './support/maelstrom-programs.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-maelstrom-'));
const { faultline } = cliIn(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What was printed, each folded line joined again (a line that goes on starts with two spaces). */
const unfolded = (r: { stdout: string }): string => r.stdout.replace(/\n {2}(?!\d+\.\d s: )/g, ' ');

/** A short run: 3 nodes, 3 s of clients at 20 operations/s, a partition from 1 s to 2 s. */
const run = (workload: string, bin: string[], partition = true) =>
  faultline('test', '-w', workload, '--bin', ...bin, '--node-count', '3', '--time-limit', '3', '--rate', '20', ...(partition ? ['--nemesis', 'partition', '--nemesis-interval', '1'] : []), '--seed', '5');

describe('faultline test', () => {
  it('echo (JavaScript): valid, with its statistics and its files; the clock nemesis (where libfaketime is) sets a clock wrong and right', { timeout: 90_000 }, async () => {
    const clock = findLibfaketime() !== undefined;
    const r = clock
      ? await faultline('test', '-w', 'echo', '--bin', ...js('js/echo.mjs'), '--node-count', '3', '--time-limit', '3', '--rate', '20', '--nemesis', 'clock', '--nemesis-interval', '1', '--seed', '5')
      : await run('echo', js('js/echo.mjs'), false);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    if (clock) {
      expect(r.stdout).toMatch(/^ {2}1\.\d s: clock of n\d set \d\.\d s (ahead|behind)$/m);
      expect(unfolded(r)).toMatch(/^1 clock set wrong and then right \(n\d set \d\.\d s (ahead|behind)\): a program that reads the time through the C library \(libfaketime\) saw its node's, a Go program the machine's\.$/m);
    }
    expect(unfolded(r)).toMatch(/^✓ valid: all \d+ answered echoes came back unchanged$/m);
    expect(unfolded(r)).toMatch(/^operations \d+: \d+ ok, 0 failed, 0 unknown; availability 100\.0%$/m);
    const history = /^history: (.+)$/m.exec(r.stdout)![1];
    expect(readFileSync(history, 'utf8').trim().split('\n').length).toBeGreaterThan(10);
  });

  it.skipIf(!hasPython)('broadcast (Python) under a partition: valid, and the nemesis really cut messages (skipped without python3)', { timeout: 90_000 }, async () => {
    const r = await run('broadcast', py('broadcast.py'));
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(unfolded(r)).toMatch(/^✓ valid: every one of the \d+ acknowledged messages is in the final read of every node/m);
    expect(unfolded(r)).toMatch(/^1 partition; [1-9]\d* messages? of the program lost crossing a cut\.$/m);
  });

  it('a broadcast that gossips once (deliberately wrong) fails under a partition, naming a lost message', { timeout: 90_000 }, async () => {
    const r = await run('broadcast', js('naive-broadcast.mjs'));
    expect(r.exitCode).toBe(1);
    expect(unfolded(r)).toMatch(/^✗ NOT valid: message \d+ was acknowledged by n\d .* but the final read on n\d does not have it/m);
  });

  it("g-counter (JavaScript CRDT: the g-counter-converges exercise's solution) holds under a partition, the nemesis's operations in its history", { timeout: 90_000 }, async () => {
    const r = await run('g-counter', solution('g-counter-converges', dir));
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(unfolded(r)).toMatch(/^✓ valid: every node's final read \(3 nodes\) is a possible total/m);
    const history = readFileSync(/^history: (.+)$/m.exec(r.stdout)![1], 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { process: unknown; type: string; f: string });
    expect(history.filter((e) => e.process === 'nemesis').map((e) => `${e.type} ${e.f}`)).toEqual(['info partition', 'info partition', 'info heal', 'info heal']);
  });

  it("g-counter kept in the lab's lin-kv service (JavaScript): the service answers, the counter holds", { timeout: 90_000 }, async () => {
    const r = await run('g-counter', js('g-counter-kv.mjs'), false);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(unfolded(r)).toMatch(/^✓ valid: every node's final read \(3 nodes\) is a possible total: the acknowledged adds sum to [1-9]\d*$/m);
  });

  it.skipIf(!hasPython)('a counter that never hears of the other nodes (deliberately wrong, Python) fails (skipped without python3)', { timeout: 90_000 }, async () => {
    const r = await run('g-counter', py('local_counter.py'), false);
    expect(r.exitCode).toBe(1);
    expect(unfolded(r)).toMatch(/^✗ NOT valid: the final read on n\d answered \d+, but the acknowledged adds sum to \d+/m);
  });

  it('unique-ids: ids counted per node (deliberately wrong) are caught: every client, so every node, gets its turn', { timeout: 90_000 }, async () => {
    const r = await run('unique-ids', js('counter-ids.mjs'), false);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(unfolded(r)).toMatch(/^✗ NOT valid: id \d+ was handed out twice: by n\d/m);
    const history = readFileSync(/^history: (.+)$/m.exec(r.stdout)![1], 'utf8');
    for (const n of ['n1', 'n2', 'n3']) expect(history, n).toContain(`"node":"${n}"`);
  });

  // One deliberately wrong program (each node answers from what it alone has seen) for each of the
  // checkers no other test here fails: each must say NOT valid, and why, in its own words.
  for (const [workload, reason] of [
    ['echo', /^✗ NOT valid: n\d \(client \d\) was sent "Please echo \d+" at \d+\.\d+ s and echoed /m],
    ['g-set', /^✗ NOT valid: element \d+ was acknowledged by n\d \(client \d\) at \d+\.\d+ s, but the final read on n\d does not have it/m],
    ['pn-counter', /^✗ NOT valid: the final read on n\d answered -?\d+, but the acknowledged adds sum to -?\d+/m],
    ['lin-kv', /^✗ NOT valid: not linearizable: n\d \(client \d\) read /m],
    ['txn-list-append', /^✗ NOT valid: /m],
  ] as const) {
    // Side by side: each fails whatever the speed of the machine.
    it.concurrent(`${workload}: a node that never tells the others (deliberately wrong) fails`, { timeout: 120_000 }, async () => {
      const r = await faultline('test', '-w', workload, '--bin', ...js('local-state.mjs'), workload, '--node-count', '3', '--time-limit', '2', '--rate', '20', '--seed', '5');
      expect(r.exitCode, r.stdout + r.stderr).toBe(1);
      expect(unfolded(r)).toMatch(reason);
    });
  }

  it('a program that dies at start: one line with how it ended and its last words', { timeout: 90_000 }, async () => {
    const r = await run('echo', js('crash-at-start.mjs'), false);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^faultline: .*crash-at-start\.mjs: exited \(code 3\) before it answered init; its last words on stderr: boom: missing config$/) as string]);
  });

  it('bad usage is one line and exit 2: an unknown workload, no --bin, a --bin that is not there, an unknown nemesis, a Maelstrom flag faultline does not take', { timeout: 60_000 }, async () => {
    for (const [args, error] of [
      [['-w', 'frobnicate', '--bin', 'x'], /^faultline: no workload called "frobnicate"; there are: echo, /],
      [['-w', 'echo'], /^faultline: expected --bin PROG \[ARGS…\]/],
      [['-w', 'echo', '--bin', './nope'], /^faultline: --bin \.\/nope: no such file \(looked for .*\/nope\)$/],
      [['-w', 'echo', '--bin', 'x', '--nemesis', 'meteor'], /^faultline: expected --nemesis from partition/],
      ...(findLibfaketime() === undefined ? ([[['-w', 'echo', '--bin', 'x', '--nemesis', 'clock'], /^faultline: --nemesis clock: a program reads this machine's clock, and libfaketime/]] as const) : []),
      [['-w', 'echo', '--bin', 'x', '--log-stderr'], /^faultline: --log-stderr: faultline keeps each program's stderr in runs\/<time>\/<node>\.log/],
    ] as const) {
      const r = await faultline('test', ...args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(error) as string]);
    }
  });
});
