/**
 * class start | status | push | export | join: the classroom. The instructor runs `class start`
 * (the console: a join code for the students, a key for the instructor); each student runs `class
 * join HOST CODE` beside their own lab, which then reports to the console; `class push LESSON`
 * (or `--file FILE.yaml`, a lesson file's text) runs a lesson on every lab (each student predicts
 * first), `class status` shows who predicted what and each verdict, `class export FILE` writes
 * it all as CSV or JSON.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod';
import { assignRequestSchema, classApi, createClient, FaultlineError, LISTEN_HOST, joinCodeSchema, parseWith, studentNameSchema, type ClassView, type LabReport, type StudentEvent } from '@faultline/protocol';
import { fitTable, findLesson, listLessons, parseLesson, terminalWidth, type PredictionGiven } from '@faultline/lessons';
import { findLabUrl, labClient, lessonClient } from '../client.js';
import { cmd } from '../format/command.js';
import { output, run } from '../output.js';
import { readScenario, runFileOnLab, runOnLab } from '../lesson/remote-run.js';
import type { GlobalOptions } from './global.js';

const DEFAULT_PORT = 4100;
/** Where `class start` says how other terminals reach its console. */
const CONSOLE_FILE = join('.faultline', 'class-console.json');
const consoleFileSchema = z.object({ url: z.string().url(), key: z.string(), code: z.string(), pid: z.number().int() });

function parsePort(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) throw new FaultlineError('bad-usage', `expected a port 0-65535 for ${flag}, got "${text}"`);
  return Number(text);
}

/** The console's address and key: --console and --key, else what `class start` wrote here. */
function findConsole(flags: { console?: string; key?: string }): { url: string; key: string } {
  if (flags.console !== undefined || flags.key !== undefined) {
    if (flags.console === undefined || flags.key === undefined) throw new FaultlineError('bad-usage', 'give both --console URL and --key KEY (as class start printed them)');
    if (!/^https?:\/\/\S+$/.test(flags.console)) throw new FaultlineError('bad-usage', `expected a URL like http://127.0.0.1:4100 for --console, got "${flags.console}"`);
    return { url: flags.console.replace(/\/$/, ''), key: flags.key };
  }
  try {
    const saved = consoleFileSchema.parse(JSON.parse(readFileSync(CONSOLE_FILE, 'utf8')));
    return { url: saved.url, key: saved.key };
  } catch {
    throw new FaultlineError('unavailable', `no class console found here (no ${CONSOLE_FILE})`, { hint: `${cmd('class start')} starts one; or give --console URL --key KEY` });
  }
}

function consoleClient(flags: { console?: string; key?: string }) {
  const { url, key } = findConsole(flags);
  return createClient(classApi, { baseUrl: url, headers: { authorization: `Bearer ${key}` }, unavailableHint: `is the class console running? (${cmd('class start')})` });
}

/** This machine's addresses another machine on the LAN can reach. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

function resultCell(view: ClassView, student: ClassView['students'][number], assignment: number): string {
  const r = student.results.find((x) => x.assignment === assignment);
  const predicted = r?.prediction ? (r.prediction.answer ? String(r.prediction.answer.choice ?? `"${r.prediction.answer.text}"`) : '–') : '…';
  const verdict = r?.verdict ? (r.verdict.error ? 'error' : r.verdict.passed ? 'passed' : 'failed') + (r.verdict.correct === undefined ? '' : r.verdict.correct ? ', right' : ', wrong') : view.assignments.some((a) => a.id === assignment) ? 'waiting' : '';
  return `${predicted} → ${verdict}`;
}

/**
 * What `class push` sends: a built-in lesson by name, or a lesson file's text (`--file`), the
 * assignment's `lesson` the name inside it. Either is checked here first (the loader `run FILE`
 * uses): a bad one is bad usage in one line, and never reaches the students.
 */
function pushBody(lesson: string | undefined, file: string | undefined): { lesson: string; scenario?: { file: string; text: string } } {
  const checked = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw new FaultlineError('bad-usage', err instanceof Error ? err.message : String(err));
    }
  };
  if (file === undefined) {
    if (lesson === undefined) throw new FaultlineError('bad-usage', 'class push needs a LESSON (faultline lesson list names them) or --file FILE.yaml');
    checked(() => findLesson(lesson));
    return { lesson };
  }
  if (lesson !== undefined) throw new FaultlineError('bad-usage', `give a LESSON or --file FILE.yaml, not both (got ${lesson} and --file ${file})`);
  const scenario = checked(() => readScenario(file));
  const body = { lesson: scenario.lesson.name, scenario: { file: scenario.file, text: scenario.text } };
  // The class's own limits (a lesson's name, the text), said before the console is asked.
  const fits = parseWith(assignRequestSchema, body, 'push');
  if (!fits.ok) throw new FaultlineError('bad-usage', `${file}: cannot push it to the class: ${fits.error.replace(/^push\./, '').replace(/Too big: /, '').replace(/, got .*$/, '')}`);
  return body;
}

export function registerClassCommands(program: Command, globals: () => GlobalOptions): void {
  const klass = program.command('class').description("the classroom: an instructor's console that students' labs join");

  klass
    .command('start')
    .description('start the class console: a join code for the students, the console for you')
    .option('--port <n>', `port of the console (default ${DEFAULT_PORT})`)
    .option('--host <addr>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for students on the LAN: they still need the code)')
    .option('--file <path>', 'where the class is saved (default .faultline/class.json; the same file goes on with the same class)')
    .action((flags: { port?: string; host?: string; file?: string }) =>
      run(async () => {
        const out = output(globals().json);
        const port = parsePort(flags.port, '--port', DEFAULT_PORT);
        const host = flags.host ?? '127.0.0.1';
        if (!LISTEN_HOST.test(host)) throw new FaultlineError('bad-usage', `expected an address like 127.0.0.1 or 0.0.0.0 for --host, got "${host}"`);
        const file = flags.file ?? join('.faultline', 'class.json');
        mkdirSync(join(file, '..'), { recursive: true });
        const wild = host === '0.0.0.0' || host === '::';
        const hosts = wild ? lanAddresses() : [host];
        const { ClassServer } = await import('@faultline/classroom');
        // The lessons the console page offers to push: the built-in ones, as class push takes them.
        const lessons = listLessons().map(({ lesson }) => ({ name: lesson.name, title: lesson.title, minutes: lesson.minutes }));
        const joinHosts = hosts.length > 0 ? hosts : ['127.0.0.1'];
        const server = await ClassServer.start({ host, port, file, lessons, joinHosts }).catch((err: unknown) => {
          if (err instanceof FaultlineError) throw err;
          throw new FaultlineError('listen-failed', `the class console cannot listen on ${host}:${port}: ${(err as Error).message}`, { hint: `another port: ${cmd('class start --port 4101')}` });
        });
        // This machine reaches the console where it listens (loopback when it listens everywhere).
        const dial = wild ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
        const url = `http://${dial}:${server.port}`;
        // The key in the fragment: the browser keeps it, never sends it; the page takes it out of the address bar.
        const page = `${url}/#key=${encodeURIComponent(server.key)}`;
        writeFileSync(CONSOLE_FILE, `${JSON.stringify({ url, key: server.key, code: server.code, pid: process.pid })}\n`);
        out.result({ code: server.code, url, key: server.key, port: server.port, hosts, page });
        out.line(`faultline class: join code ${server.code}`);
        out.line('students, beside their running lab (npx faultline up, or the lab in Docker):');
        for (const h of joinHosts) out.line(`  npx faultline class join ${h}:${server.port} ${server.code}`);
        if (!wild) out.line('(only this machine can join: for students on the LAN, --host 0.0.0.0)');
        out.line('your console page (its address holds the key: do not project or share it):');
        out.line(`  ${page}`);
        out.line('or, from another terminal here: npx faultline class status,');
        out.line('  npx faultline class push LESSON, npx faultline class export results.csv');
        out.line('Ctrl-C stops the console; class start here again goes on with the class.');
        const stop = (): void => {
          rmSync(CONSOLE_FILE, { force: true });
          void server.close().then(() => process.exit(0));
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        await new Promise(() => undefined);
      }),
    );

  const consoleFlags = (c: Command): Command => c.option('--console <url>', 'the console (default: from .faultline/class-console.json)').option('--key <key>', "the console's key, as class start printed it");

  consoleFlags(klass.command('status').description('every student: their lab, and for each lesson pushed their prediction and verdict')).action((flags: { console?: string; key?: string }) =>
    run(async () => {
      const out = output(globals().json);
      const view = await consoleClient(flags).classView();
      out.result(view);
      if (view.students.length === 0) {
        out.line('no student has joined yet');
        return;
      }
      const head = ['student', 'lab', ...view.assignments.map((a) => `#${a.id} ${a.lesson}`)];
      const rows = view.students.map((s) => [
        `${s.name}${s.connected ? '' : ' (away)'}`,
        s.lab ? (s.lab.up ? `${s.lab.nodes} nodes${s.lab.lesson ? `, ${s.lab.lesson.name} ${s.lab.lesson.state}` : ''}` : `down${s.lab.error ? `: ${s.lab.error}` : ''}`) : '?',
        ...view.assignments.map((a) => resultCell(view, s, a.id)),
      ]);
      out.line(fitTable(head, rows, terminalWidth(process.env, process.stdout)).join('\n'));
      out.hint('a lesson\'s cell: the prediction (– none, … not yet) → the verdict');
    }),
  );

  consoleFlags(
    klass
      .command('push [lesson]')
      .description("run a lesson (or a lesson file: --file) on every student's lab (each predicts first); those who join later get it too")
      .option('--file <path>', "a lesson or scenario file of your own instead of LESSON: checked here, then sent to every lab as its text"),
  ).action((lesson: string | undefined, flags: { console?: string; key?: string; file?: string }) =>
    run(async () => {
      const out = output(globals().json);
      const body = pushBody(lesson, flags.file);
      const assignment = await consoleClient(flags).assign({ body });
      out.result(assignment);
      out.line(`pushed #${assignment.id} ${assignment.lesson}${assignment.scenario ? ` (the file ${assignment.scenario.file})` : ''} to every lab`);
      out.hint(`${cmd('class status')} shows each prediction, then each verdict`);
    }),
  );

  consoleFlags(klass.command('export <file>').description('write every prediction and verdict to FILE: .csv (a row a student and lesson) or .json (the whole class)')).action(
    (file: string, flags: { console?: string; key?: string }) =>
      run(async () => {
        const out = output(globals().json);
        const csv = file.toLowerCase().endsWith('.csv');
        if (!csv && !file.toLowerCase().endsWith('.json')) throw new FaultlineError('bad-usage', `expected a file ending .csv or .json, got "${file}"`);
        const view = await consoleClient(flags).classView();
        const { classCsv } = await import('@faultline/classroom');
        writeFileSync(file, csv ? classCsv(view) : `${JSON.stringify(view, null, 2)}\n`);
        out.result({ file, students: view.students.length, assignments: view.assignments.length });
        out.line(`wrote ${file}: ${view.students.length} students, ${view.assignments.length} lessons`);
      }),
  );

  klass
    .command('join <host> <code>')
    .description('join a class: your lab reports to the console, and runs the lessons it pushes')
    .option('--name <name>', 'how the instructor sees you (default: your user name)')
    .option('--predict <n>', 'answer every question with this choice instead of being asked (for scripts)')
    .action((hostArg: string, codeArg: string, flags: { name?: string; predict?: string }) =>
      run(async () => {
        const g = globals();
        const out = output(g.json);
        const server = /:[0-9]{1,5}$/.test(hostArg) ? hostArg : `${hostArg}:${DEFAULT_PORT}`;
        if (!/^[A-Za-z0-9.-]{1,253}:[0-9]{1,5}$/.test(server)) throw new FaultlineError('bad-usage', `expected HOST or HOST:PORT like 192.168.1.20:4100, got "${hostArg}"`);
        const code = joinCodeSchema.safeParse(codeArg);
        if (!code.success) throw new FaultlineError('bad-usage', `expected a join code like K7QP-X3MD, got "${codeArg}"`);
        const name = studentNameSchema.safeParse(flags.name ?? userInfo().username);
        if (!name.success) throw new FaultlineError('bad-usage', `--name: ${name.error.issues[0]?.message ?? 'not a name'}`);
        const labUrl = findLabUrl(g.lab);
        const lab = labClient(labUrl);
        const lessons = lessonClient(labUrl);
        await lab.status();
        const report = async (): Promise<LabReport> => {
          const status = await lab.status();
          const current = await lessons.currentLesson().catch(() => null);
          return { up: true, url: labUrl, nodes: status.nodes.length, lesson: current ? { name: current.name, state: current.state } : null };
        };
        const { joinClass } = await import('@faultline/classroom');
        const joined = joinClass({
          server,
          code: code.data,
          name: name.data,
          file: join('.faultline', 'class-join.json'),
          report,
          say: (line) => out.line(line),
          handle: async (assignment, emit: (e: StudentEvent) => void) => {
            out.line('');
            out.line(`the class runs lesson #${assignment.id}: ${assignment.lesson}${assignment.scenario ? ` (the file ${assignment.scenario.file})` : ''}`);
            let predicted = false;
            const runFlags = { pause: flags.predict === undefined && process.stdin.isTTY === true, ...(flags.predict ? { predict: flags.predict } : {}) };
            const hooks = {
              onPrediction: (given: PredictionGiven) => {
                predicted = true;
                emit({ type: 'prediction', assignment: assignment.id, ...('answer' in given ? { answer: given.answer } : { answer: null, unanswered: given.unanswered }) });
              },
            };
            const there = { ...g, lab: labUrl, json: false };
            // A scenario file comes as its text: checked here as `run FILE` checks it, then run through the lab's run-file route.
            const scenario = assignment.scenario;
            const view = scenario
              ? await runFileOnLab({ file: scenario.file, text: scenario.text, lesson: parseLesson(scenario.text, scenario.file) }, runFlags, there, hooks)
              : await runOnLab(assignment.lesson, runFlags, there, hooks);
            if (!predicted) emit({ type: 'prediction', assignment: assignment.id, answer: null, unanswered: 'the run gave none' });
            const r = view.report;
            emit({ type: 'verdict', assignment: assignment.id, passed: r?.passed ?? false, checks: (r?.checks ?? []).map((c) => ({ name: c.name, held: c.held })), ...(r?.prediction?.correct === undefined ? {} : { correct: r.prediction.correct }), ...(r?.error ? { error: r.error } : {}) });
            out.line(`lesson #${assignment.id} done: the class has your prediction and verdict`);
          },
        });
        const stop = (): void => void joined.stop().then(() => process.exit(0));
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        const why = await joined.refused;
        throw new FaultlineError('unauthorized', `the class at ${server} refused this lab: ${why}`);
      }),
    );
}
