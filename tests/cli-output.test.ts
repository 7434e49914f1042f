/**
 * What the `faultline` command prints, against a real lab (`up` in one process, the commands in
 * others): every line of `trace` and `diagram` leads with its event number, `order` takes numbers
 * and message ids, `trace --follow --last n` prints n and then follows, a reader that closes early
 * ends a command quietly, and every command the program prints (banner, hints) works as typed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { traceLineSchema } from '@faultline/protocol';
import { execa, type ResultPromise } from 'execa';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '@faultline/cli';
import { alive } from './support/processes.js';
import { expectCausalTrace } from './support/trace-order.js';
import { CLI, CLI_ENV } from './support/cli-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-output-'));
const env = CLI_ENV;
let up: ResultPromise;
let upOut = '';
let runDir = '';

function faultline(...args: string[]) {
  return execa(process.execPath, [...CLI, ...args], { cwd: dir, reject: false, timeout: 90_000, env });
}

/** Resolves with what `stream` printed once `done(text)` holds; rejects if the process ends first. */
function until(child: ResultPromise, done: (text: string) => boolean, what: string): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer): void => {
      text += b.toString();
      if (!done(text)) return;
      child.stdout?.off('data', onData);
      resolve(text);
    };
    child.stdout?.on('data', onData);
    void child.then(() => reject(new Error(`the process ended before ${what}: ${text}`)));
  });
}

/** Every `npx faultline …` command in `text`: to a backtick, a parenthesis, a semicolon, two spaces or the end of a line. */
function printedCommands(text: string): string[] {
  return [...text.matchAll(/npx faultline ([^`();\n]*?)(?=`|\(|\)|;|\s{2,}|$)/gm)].map((m) => m[1].trim());
}

beforeAll(async () => {
  up = execa(process.execPath, [...CLI, 'up', '--nodes', '3', '--seed', '5'], { cwd: dir, reject: false, buffer: false, env });
  up.stdout?.on('data', (b: Buffer) => (upOut += b.toString()));
  await until(up, (t) => t.includes('Live events'), 'the lab came up');
  const status = JSON.parse((await faultline('status', '--json')).stdout) as { runDir: string };
  runDir = status.runDir;
}, 60_000);

afterAll(async () => {
  if (up.pid && alive(up.pid)) up.kill('SIGTERM');
  await up;
  if (runDir) expectCausalTrace(join(runDir, 'trace.ndjson'));
  rmSync(dir, { recursive: true, force: true });
});

describe('faultline output', () => {
  it('trace and diagram lines lead with the event number; order takes numbers and message ids', { timeout: 200_000 }, async () => {
    const rpc = await faultline('rpc', 'n1', 'n2');
    expect(rpc.exitCode, rpc.stderr).toBe(0);
    const lines = (await faultline('trace', '--json', '--last', '1000')).stdout.trim().split('\n').map((l) => traceLineSchema.parse(JSON.parse(l)));
    const trace = await faultline('trace', '--last', '5');
    const shown = trace.stdout.trim().split('\n');
    expect(shown).toHaveLength(5);
    for (const row of shown) expect(row).toMatch(/^#\d+ +\d\d:\d\d:\d\d\.\d{3} /);
    const diagram = await faultline('diagram', '--last', '6');
    const rows = diagram.stdout.trim().split('\n').filter((r) => r.startsWith('#'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^#\d+ +\d\d:\d\d:\d\d\.\d{3} /);
    // The rpc's request: its send at n1 happened before n2's receive of it.
    const request = lines.find((l) => l.kind === 'send' && l.node === 'n1' && l.to === 'n2' && l.msgType === 'ping')!;
    const receive = lines.find((l) => l.kind === 'receive' && l.msg === (request.kind === 'send' ? request.msg : ''))!;
    const byId = await faultline('order', request.kind === 'send' ? request.msg : '', String(receive.seq));
    expect(byId.exitCode, byId.stderr).toBe(0);
    expect(byId.stdout).toMatch(new RegExp(`^#${request.seq} \\(n1 → n2 .*\\) happened before #${receive.seq} `));
    const missing = await faultline('order', 'n3-99999', '1');
    expect([missing.exitCode, missing.stderr.trim()]).toEqual([2, "faultline: no send of message n3-99999 in this run's trace"]);
  });

  it('trace --follow --last 2 prints the last 2 events, then the new ones as they happen', { timeout: 120_000 }, async () => {
    const follow = execa(process.execPath, [...CLI, 'trace', '--follow', '--last', '2'], { cwd: dir, reject: false, buffer: false, env });
    try {
      // Its first two lines, then (after a call made now) the call's events: nothing older between.
      const first = await until(follow, (t) => t.split('\n').length > 2, 'two lines');
      const done = until(follow, (t) => /n3 +← n1 +ping/.test(t), "the call's events");
      expect((await faultline('rpc', 'n1', 'n3')).exitCode).toBe(0);
      const all = (first + (await done)).trim().split('\n');
      const seqs = all.map((l) => Number(/^#(\d+)/.exec(l)?.[1]));
      expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), all.join('\n')).toBe(true);
      // The two, then the call: n1's send, n3's receive, n3's reply, n1's receive of it at most.
      expect(all.length, all.join('\n')).toBeLessThanOrEqual(2 + 4);
    } finally {
      follow.kill('SIGTERM');
      await follow;
    }
  });

  it('a reader that closes early ends any command quietly (no EPIPE stack trace)', { timeout: 200_000 }, async () => {
    const closedEarly = async (args: string[]): Promise<[string, number | null, string]> => {
      const child = spawn(process.execPath, [...CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      // The reading end is closed before the command writes a byte: every write meets EPIPE.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      return [args.join(' '), code, stderr];
    };
    const all = [['trace', '--heartbeats', '--last', '1000'], ['lesson', 'list'], ['diagram'], ['--help']];
    expect(await Promise.all(all.map(closedEarly))).toEqual(all.map((args) => [args.join(' '), 0, '']));
  });

  it('every command the banner and the hints print works as typed', { timeout: 300_000 }, async () => {
    // Independent chains side by side (each CLI process takes seconds to start on a loaded machine).
    const chains = [[['partition', 'n1', 'n2,n3'], ['heal']], [['link', 'n1', 'n2', '--latency', '10ms']], [['pause', 'n3'], ['resume', 'n3']], [['diagram']], [['lesson', 'list']]];
    const outputs = await Promise.all(
      chains.map(async (chain) => {
        const texts: string[] = [];
        for (const args of chain) {
          const r = await faultline(...args);
          expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
          texts.push(r.stdout);
        }
        return texts;
      }),
    );
    const printed = [upOut, ...outputs.flat(), (await faultline('frobnicate')).stderr];
    const text = printed.join('\n');
    // No bare `faultline <command>` (not on PATH) is left for a person to type.
    expect(text).not.toMatch(/(^|[^x] )faultline (up|down|status|heal|revive|trace|order|rpc|lesson|resume|link|diagram|dashboard)\b/m);
    const commands = [...new Set(printedCommands(text))];
    // The banner's ten, and the hints of partition, heal, link, pause, resume, diagram, lesson list, bad usage.
    expect(commands.length).toBeGreaterThan(15);
    const program = buildProgram();
    expect(commands.map((c) => [c, parseProblem(program, c.split(/\s+/))])).toEqual(commands.map((c) => [c, undefined]));
    // Those that only read run for real.
    const readOnly = commands.filter((c) => /^(status|order \d+ \d+)$/.test(c));
    expect(readOnly).toHaveLength(2);
    for (const r of await Promise.all(readOnly.map((c) => faultline(...c.split(' '))))) expect(r.exitCode, `${r.command}: ${r.stderr}`).toBe(0);
    // And `npx faultline` itself is found from the repository, as typed.
    const npx = await execa('npx', ['faultline', 'status', '--help'], { cwd: ROOT, reject: false, timeout: 60_000, env });
    expect(npx.exitCode, npx.stderr).toBe(0);
    expect(npx.stdout).toMatch(/^Usage: faultline status/);
  });
});

/** Why `words` would not parse as a `faultline` command line (unknown command or flag, wrong count of arguments), or undefined. */
function parseProblem(program: Command, words: string[]): string | undefined {
  let command = program;
  let i = 0;
  for (; i < words.length; i++) {
    const sub = command.commands.find((c) => c.name() === words[i]);
    if (!sub) break;
    command = sub;
  }
  if (command === program) return words.length === 1 && words[0] === '--help' ? undefined : `unknown command ${words[0]}`;
  if (command.commands.length > 0) return `${command.name()} needs a subcommand`;
  let positional = 0;
  for (; i < words.length; i++) {
    const word = words[i];
    if (!word.startsWith('--')) {
      positional++;
      continue;
    }
    const option = command.options.find((o) => o.long === word);
    if (!option) return `${command.name()} has no ${word}`;
    if (option.required || option.optional) i++;
  }
  const args = command.registeredArguments;
  const required = args.filter((a) => a.required).length;
  const most = args.some((a) => a.variadic) ? Infinity : args.length;
  if (positional < required || positional > most) return `${command.name()} takes ${required}…${most} arguments, got ${positional}`;
  return undefined;
}
