/**
 * `faultline check HISTORY --model …` as a user runs it on a history file from anywhere: exit 0
 * for a linearizable history, 1 with the counterexample for one that is not, 1 and "unknown" when
 * the budget runs out, 2 and one line for a bad file or flag.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, CLI_ENV } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const faultline = (...args: string[]) => execa(process.execPath, [...CLI, ...args], { cwd: dir, reject: false, timeout: 60_000, env: CLI_ENV });

function file(name: string, events: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return path;
}

const write1 = [
  { process: 0, type: 'invoke', f: 'write', value: 1, time: 0 },
  { process: 0, type: 'ok', f: 'write', value: 1, time: 10 },
  { process: 1, type: 'invoke', f: 'read', time: 20 },
  { process: 1, type: 'ok', f: 'read', value: 1, time: 30 },
];

describe('faultline check', () => {
  it('a linearizable history: exit 0', async () => {
    const r = await faultline('check', file('good.jsonl', write1), '--model', 'register');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('linearizable (2 operations, checked as one part)');
  });

  it('a stale read: exit 1, the longest legal order and the read that cannot be placed', async () => {
    const stale = [...write1, { process: 2, type: 'invoke', f: 'read', time: 40 }, { process: 2, type: 'ok', f: 'read', value: null, time: 50 }];
    const r = await faultline('check', file('bad.jsonl', stale), '--model', 'register');
    expect(r.exitCode).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      'not linearizable (3 operations, checked as one part)',
      'the longest legal order found (2 operations):',
      '  process 0 write 1 (event 1)',
      '  process 1 read → 1 (event 3)',
      'then this one cannot take effect before it returned:',
      '  process 2 read → null (event 5)',
    ]);
    const json = JSON.parse((await faultline('check', join(dir, 'bad.jsonl'), '--model', 'register', '--json')).stdout) as { result: string; counterexample: { stuck: { id: number } } };
    expect(json).toMatchObject({ result: 'not', counterexample: { stuck: { id: 4 } } });
  });

  it('out of budget: exit 1 and unknown, never linearizable', async () => {
    const events: object[] = Array.from({ length: 14 }, (_, p) => [
      { process: p, type: 'invoke', f: 'write', value: p, time: 0 },
      { process: p, type: 'ok', f: 'write', value: p, time: 100 },
    ]).flat();
    events.push({ process: 99, type: 'invoke', f: 'read', time: 50 }, { process: 99, type: 'ok', f: 'read', value: 'never', time: 60 });
    const r = await faultline('check', file('hard.jsonl', events), '--model', 'register', '--budget', '0ms');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^unknown: the time budget \(0 ms\) ran out after 0 of 1 part \(15 operations, checked as one part\); not shown to be linearizable$/m);
  });

  it('a bad file or flag: exit 2, one line naming what was wrong', async () => {
    const typo = file('typo.jsonl', [{ process: 0, type: 'invoke', f: 'wrte' }]);
    for (const [args, want] of [
      [[typo, '--model', 'register'], /typo\.jsonl:1: event\.f: .*got "wrte"$/],
      [[join(dir, 'good.jsonl'), '--model', 'regster'], /^faultline: expected register or kv for --model, got "regster"$/],
      [[join(dir, 'nothing.jsonl'), '--model', 'kv'], /nothing\.jsonl: no such file$/],
      [[file('open.jsonl', [{ process: 0, type: 'invoke', f: 'read' }, { process: 0, type: 'invoke', f: 'read' }]), '--model', 'register'], /open\.jsonl: event 2: process 0 invokes read while its read \(event 1\) is still open$/],
    ] as const) {
      const r = await faultline('check', ...args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(want);
    }
  });
});
