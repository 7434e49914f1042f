/**
 * exercise list | start NAME | check NAME: lessons that ask for code. `start` writes the starter
 * (and the node library it imports) into a folder of the student's; `check` runs what is there on
 * a real lab under each of the exercise's fault schedules (`faultline test`'s engine) and grades
 * it: every schedule must hold; a failed one says why, in the checker's words, with a nudge.
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { FaultlineError } from '@faultline/protocol';
import { pino } from 'pino';
import { cmd } from '../format/command.js';
import { findExercise, listExercises, NODE_LIBRARY } from '../exercise/catalog.js';
import { runTest } from '../maelstrom/run-test.js';
import { fold } from './test.js';
import { output, run } from '../output.js';
import type { GlobalOptions } from './global.js';

/** Where a student's work on `name` is (default `exercises/NAME` here). */
const folderOf = (name: string, dir?: string): string => resolve(dir ?? join('exercises', name));
/** `--schedule N`: one of the exercise's `count` schedules. */
function scheduleNumber(value: string, count: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > count) throw new FaultlineError('bad-usage', `expected --schedule from 1 to ${count} (the exercise has ${count}), got "${value}"`);
  return n;
}
/** A path as the student would type it from here. */
const shown = (path: string): string => relative(process.cwd(), path) || '.';

export function registerExerciseCommands(program: Command, globals: () => GlobalOptions): void {
  const exercise = program.command('exercise').description('exercises: write a node yourself, and see it graded under real faults');

  exercise
    .command('list')
    .description('the exercises, each after the lesson whose idea it turns into code')
    .action(() =>
      run(async () => {
        const out = output(globals().json);
        const all = listExercises().map(({ exercise: e }) => ({ name: e.name, title: e.title, after: e.after, workload: e.workload }));
        out.result(all);
        for (const e of all) out.line(`${e.name.padEnd(22)} ${e.title} (after the lesson ${e.after})`);
        out.hint(`${cmd('exercise start NAME')} writes its starter into exercises/NAME/`);
        await Promise.resolve();
      }),
    );

  exercise
    .command('start <name>')
    .description('write the starter of an exercise (and the node library it imports) into a folder, and say what to build')
    .option('--dir <dir>', 'where (default: exercises/NAME)')
    .action((name: string, flags: { dir?: string }) =>
      run(async () => {
        const out = output(globals().json);
        const { exercise: e, dir: source } = findExercise(name);
        const dir = folderOf(name, flags.dir);
        const starter = join(source, 'starter');
        const clash = readdirSync(starter).filter((f) => existsSync(join(dir, f)));
        if (clash.length > 0) throw new FaultlineError('conflict', `${shown(join(dir, clash[0]))} is there already: your work is kept (another folder: --dir)`);
        mkdirSync(dir, { recursive: true });
        cpSync(starter, dir, { recursive: true });
        if (!existsSync(join(dir, 'node.mjs'))) cpSync(NODE_LIBRARY, join(dir, 'node.mjs'));
        out.result({ name: e.name, dir, files: readdirSync(dir) });
        out.line(`━━ ${e.title}`);
        out.line('');
        for (const line of e.statement.trimEnd().split('\n')) out.line(line === '' ? '' : `  ${line}`);
        out.line('');
        out.line(`your files: ${shown(dir)}/ (${readdirSync(dir).sort().join(', ')})`);
        out.line(`edit ${shown(join(dir, 'main.mjs'))}, then grade it under faults:`);
        out.hint(cmd(`exercise check ${e.name}${flags.dir ? ` --dir ${flags.dir}` : ''}`));
        await Promise.resolve();
      }),
    );

  exercise
    .command('check <name>')
    .description('run your node under the exercise\'s fault schedules on a real lab, and grade it')
    .option('--dir <dir>', 'where your files are (default: exercises/NAME)')
    .option('--schedule <n>', 'only this schedule (1, 2 …): again the one that did not hold')
    .action((name: string, flags: { dir?: string; schedule?: string }) =>
      run(async () => {
        const out = output(globals().json);
        const { exercise: e } = findExercise(name);
        const only = flags.schedule === undefined ? undefined : scheduleNumber(flags.schedule, e.schedules.length);
        const dir = folderOf(name, flags.dir);
        if (!existsSync(dir)) throw new FaultlineError('bad-usage', `no folder ${shown(dir)}: start with ${cmd(`exercise start ${e.name}`)}`);
        // The program's own files (main.mjs …) are named from its folder.
        const bin = e.run.map((arg) => (existsSync(join(dir, arg)) ? join(dir, arg) : arg));
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        const results = [];
        for (const [i, s] of e.schedules.entries()) {
          if (only !== undefined && i + 1 !== only) continue;
          const label = `schedule ${i + 1} of ${e.schedules.length}: ${e.workload}, ${s.nemesis.length ? `${s.nemesis.join(' and ')} every ${s.interval} s` : 'no faults'}`;
          out.line(`${label}…`);
          const report = await runTest({
            workload: e.workload,
            bin,
            nodeCount: e.nodes,
            timeLimitS: e.time,
            rate: e.rate,
            nemesis: s.nemesis,
            nemesisIntervalS: s.interval,
            timeoutMs: 1_000,
            seed: s.seed,
            runsDir: 'runs',
            logger: pino({ level: 'error' }),
            signal: controller.signal,
          });
          const held = report.verdict.valid === true;
          results.push({ schedule: i + 1, held, reason: report.verdict.reason, problems: report.problems, report: report.files.reportMd });
          for (const line of fold(`  ${held ? '✓ held' : '✗ did not hold'}: ${report.verdict.reason}`)) out.line(line);
          for (const p of report.problems) for (const line of fold(`  the program: ${p}`)) out.line(line);
          if (!held) out.line(`  report: ${shown(report.files.reportMd)}`);
          if (!held && only === undefined) out.line(`  again, this one alone: ${cmd(`exercise check ${e.name}${flags.dir ? ` --dir ${flags.dir}` : ''} --schedule ${i + 1}`)}`);
        }
        const passed = results.filter((r) => r.held).length;
        out.result({ name: e.name, passed: passed === results.length, schedules: results });
        out.line('');
        if (passed === results.length) {
          out.line(`passed: ${passed} of ${results.length} schedule${results.length === 1 ? '' : 's'} held`);
        } else {
          out.line(`not yet: ${passed} of ${results.length} schedule${results.length === 1 ? '' : 's'} held`);
          for (const line of e.hint.trimEnd().split('\n')) out.line(line === '' ? '' : `  ${line}`);
          process.exitCode = 1;
        }
      }),
    );
}
