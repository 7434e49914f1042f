/**
 * Fuzz target: seeded bad command lines through the CLI's own program (`buildProgram`), in this
 * process (stdout, stderr and process.exit caught for each case). Every lab it could talk to is at
 * a port where nothing listens, and commands that start a lab or a console (`up` and `class start`
 * with good flags, `lesson run`, `run`, `dashboard`) are left out. Each case must end with exit 0, 1 or 2 and, when it fails, one
 * line of error (a `hint:` line and the `--help` pointer aside); a stack trace or a JavaScript
 * error's name is a crash, no end within 10 s a hang.
 */
import { buildProgram } from '@faultline/cli';
import { createRng, type Rng } from '@faultline/random';
import type { Command } from 'commander';
import { Tally, type FuzzOptions, type FuzzResult } from './target.js';

const HANG_MS = 10_000;
const DEAD_LAB = 'http://127.0.0.1:9';
const LEFT_OUT = new Set(['up', 'dashboard', 'run', 'lesson run', 'class start']);
/** Commands that would start something that runs until stopped: in only with a flag that must be refused. */
const BAD_START: Readonly<Record<string, readonly string[]>> = {
  up: ['--nodes', '0', '-1', '51', 'many', '', '1e309', '2.5'],
  'class start': ['--port', '-1', '65536', 'many', '', '1e309', '2.5'],
};
const ODD = ['', ' ', '-1', '0', 'n0', 'n1', 'n2', 'n3', 'n99999', 'x', 'n1,n1', 'n1,,n2', 'n1,n2', 'n3,n4', '💥', '--', '-', '1e309', 'NaN', '100%', '150%', '-5%', '200ms', '-2s', '2', 'fast', '10kb', '1ppm', '+2s', '\u0000', 'a'.repeat(5000), '--json', 'http://', 'ftp://x', '%', '"', "'"];

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)];
}

function leaves(c: Command, prefix: string[] = []): Array<{ words: string[]; command: Command }> {
  return c.commands.flatMap((s) => {
    const words = [...prefix, s.name()];
    return s.commands.length > 0 ? leaves(s, words) : [{ words, command: s }];
  });
}

/** One bad (or odd) command line. */
export function badCommandLine(rng: Rng, commands: ReadonlyArray<{ words: string[]; command: Command }>): string[] {
  if (rng.int(20) === 0) return [pick(rng, ['frobnicate', 'kil', '--nope', '-x', 'lesson', '', '--lab'])];
  const { words, command } = pick(rng, commands);
  const args = [...words];
  const bad = BAD_START[words.join(' ')];
  if (bad) args.push(bad[0], pick(rng, bad.slice(1)));
  const positional = Math.max(0, command.registeredArguments.length + rng.int(3) - 1);
  for (let i = 0; i < positional; i++) args.push(pick(rng, ODD));
  for (const o of command.options) {
    // The refused flag stays the only one of its name: a later good one would win.
    if (o.long === '--lab' || o.long === bad?.[0] || rng.int(3) !== 0) continue;
    args.push(o.long ?? o.flags);
    if (o.required || o.optional) args.push(pick(rng, ODD));
  }
  if (rng.int(6) === 0) args.push(pick(rng, ['--nope', '-z', '--json=maybe', '--lab']));
  if (rng.int(10) === 0) args.push('--lab', pick(rng, ['not a url', 'http://', '']));
  else args.push('--lab', DEAD_LAB);
  return args;
}

interface Outcome {
  code: number;
  stderr: string;
  stdout: string;
  thrown?: unknown;
}

/** Runs `faultline <args>` in this process; undefined when it has not ended within HANG_MS. */
export async function runInProcess(args: string[]): Promise<Outcome | undefined> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr), exit: process.exit.bind(process) };
  const capture = (into: string[]) => (chunk: string | Uint8Array): boolean => into.push(String(chunk)) > 0;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  process.exit = (code?: number | string | null): never => {
    throw new Exit(Number(code ?? 0));
  };
  process.exitCode = undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = buildProgram()
      .parseAsync(['node', 'faultline', ...args])
      .then(
        () => ({ code: Number(process.exitCode ?? 0) }),
        (e: unknown) => (e instanceof Exit ? { code: e.code } : { code: -1, thrown: e }),
      );
    const hung = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), HANG_MS)));
    const r = await Promise.race([run, hung]);
    return r && { ...r, stdout: out.join(''), stderr: err.join('') };
  } finally {
    clearTimeout(timer);
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exit = saved.exit;
    process.exitCode = undefined;
  }
}

const JS_ERROR = /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b|^\s+at .+:\d+:\d+\)?$/m;

export async function fuzzCliFlags(o: FuzzOptions): Promise<FuzzResult> {
  const tally = new Tally('CLI flags', o.seed);
  const rng = createRng(o.seed, 'fuzz:cli');
  const commands = leaves(buildProgram()).filter((c) => !LEFT_OUT.has(c.words.join(' ')) || BAD_START[c.words.join(' ')] !== undefined);
  const count = o.scale === 'full' ? 5_000 : 200;
  const codes: Record<number, number> = {};
  for (let i = 0; i < count; i++) {
    const args = badCommandLine(rng, commands);
    const shown = `faultline ${args.map((a) => (a.length > 40 ? `${a.slice(0, 20)}…(${a.length})` : JSON.stringify(a))).join(' ')}`;
    tally.cases += 1;
    const r = await runInProcess(args);
    if (!r) {
      tally.hang(`case ${i}: ${shown}`);
      continue;
    }
    if (r.thrown !== undefined || JS_ERROR.test(r.stderr) || ![0, 1, 2].includes(r.code)) {
      tally.crash(`case ${i}: ${shown} → exit ${r.code}: ${r.thrown instanceof Error ? r.thrown.stack : r.stderr}`);
      continue;
    }
    codes[r.code] = (codes[r.code] ?? 0) + 1;
    if (r.code === 0) continue;
    // Node's own process warnings (`(node:PID) Warning: …`, emitted late, maybe by an earlier target in this process) aside.
    const errorLines = r.stderr
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('hint:') && !/^\(.*--help.*\)$/.test(l) && !/^\(node:\d+\) Warning:|^\(Use `node --trace-warnings/.test(l));
    if (errorLines.length !== 1) tally.bad(`case ${i}: ${shown} → exit ${r.code}, ${errorLines.length} lines: ${JSON.stringify(r.stderr.slice(0, 300))}`);
  }
  tally.note(`exit codes: ${Object.entries(codes).map(([c, n]) => `${c}: ${n}`).join(', ')}`);
  return tally.result();
}
