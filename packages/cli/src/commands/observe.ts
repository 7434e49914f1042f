/** status, trace (--follow), diagram, order: reading what happened. */
import type { Command } from 'commander';
import type { TraceLine } from '@faultline/protocol';
import { labClient } from '../client.js';
import { isHeartbeat } from '@faultline/checkers';
import { drawDiagram } from '@faultline/lessons';
import { cmd } from '../format/command.js';
import { statusTables } from '../format/status-tables.js';
import { traceRow } from '../format/trace-row.js';
import { checkEventRef, findEvent, orderOf } from '../format/order.js';
import { readTraceFile } from '../format/trace-file.js';
import { output, run } from '../output.js';
import { parseNode } from '../units.js';
import { FaultlineError } from '@faultline/protocol';
import type { GlobalOptions } from './global.js';

export function registerObserveCommands(program: Command, globals: () => GlobalOptions): void {
  const client = (): ReturnType<typeof labClient> => labClient(globals().lab);

  program
    .command('status')
    .description('every node (pid, state, clocks) and the faults on every link')
    .action(() =>
      run(async () => {
        const out = output(globals().json);
        const status = await client().status();
        out.result(status);
        out.line(statusTables(status, process.stdout.columns || 80));
      }),
    );

  program
    .command('trace')
    .description('the events of the run, each led by its number for order (heartbeats hidden unless --heartbeats)')
    .option('--follow', 'print the last n events, then new ones as they happen (Ctrl-C stops)')
    .option('--node <id>', 'only events of this node')
    .option('--last <n>', 'only the last n events', '40')
    .option('--heartbeats', 'include heartbeat sends and receives')
    .action((opts: { follow?: boolean; node?: string; last: string; heartbeats?: boolean }) =>
      run(async () => {
        const g = globals();
        const out = output(g.json);
        const node = opts.node === undefined ? undefined : parseNode(opts.node, '--node');
        const last = Number(opts.last);
        if (!Number.isInteger(last) || last < 1) throw new FaultlineError('bad-usage', `expected a positive number for --last, got "${opts.last}"`);
        const keep = (l: TraceLine): boolean => (node === undefined || l.node === node) && (opts.heartbeats === true || !isHeartbeat(l));
        const lab = client();
        // Asked for one node's lines, the lab answers unknown-node for a node it does not have.
        const all = await lab.trace(node === undefined ? undefined : { query: { node } });
        const lines = all.filter(keep).slice(-last);
        for (const l of lines) {
          if (g.json) process.stdout.write(`${JSON.stringify(l)}\n`);
          else out.line(traceRow(l));
        }
        if (!opts.follow) return;
        // Follow on from the newest line fetched, shown or not: the last n were printed.
        let since = all.length ? all[all.length - 1].seq : 0;
        for (;;) {
          await new Promise((r) => setTimeout(r, 300));
          const more = (await lab.trace({ query: { since } })).filter((l) => l.seq > since);
          if (more.length) since = more[more.length - 1].seq;
          for (const l of more.filter(keep)) process.stdout.write(g.json ? `${JSON.stringify(l)}\n` : `${traceRow(l)}\n`);
        }
      }),
    );

  program
    .command('diagram')
    .description('a space-time diagram of recent events: one column a node, arrows for messages, ✗ for drops')
    .option('--last <n>', 'how many events', '30')
    .option('--heartbeats', 'include heartbeats')
    .action((opts: { last: string; heartbeats?: boolean }) =>
      run(async () => {
        const out = output(globals().json);
        const lab = client();
        const status = await lab.status();
        const lines = (await lab.trace()).filter((l) => opts.heartbeats === true || !isHeartbeat(l)).filter((l) => l.kind !== 'send').slice(-Number(opts.last));
        out.result(lines);
        for (const row of drawDiagram(lines, status.nodes.map((n) => n.id), process.stdout.columns || 80)) out.line(row);
        // Two events of this very diagram, so the hint works as typed.
        const stamped = lines.filter((l) => l.clocks !== undefined && l.node !== undefined);
        const [first, lastOne] = [stamped[0], stamped.at(-1)];
        if (first && lastOne && first !== lastOne) out.hint(`${cmd(`order ${first.seq} ${lastOne.seq}`)} tells whether #${first.seq} happened before #${lastOne.seq}`);
        else out.hint(`${cmd('trace --last 10')} numbers the events; ${cmd('order --help')} compares two`);
      }),
    );

  program
    .command('order <a> <b>')
    .description(
      'did event a happen before event b, after it, or concurrently? (by vector clocks; a, b are event numbers, the #12 that trace and diagram show, or message ids like n1-3 meaning the send of that message)',
    )
    .option('--trace <file>', "read a finished run's trace file (runs/…/trace.ndjson) instead of asking the running lab")
    .action((a: string, b: string, opts: { trace?: string }) =>
      run(async () => {
        const out = output(globals().json);
        for (const ref of [a, b]) {
          const bad = checkEventRef(ref);
          if (bad !== undefined) throw new FaultlineError('bad-usage', bad);
        }
        const lines = opts.trace === undefined ? await client().trace() : readTraceFile(opts.trace);
        const [ea, eb] = [a, b].map((ref) => findEvent(lines, ref));
        if ('error' in ea) throw new FaultlineError('bad-usage', ea.error);
        if ('error' in eb) throw new FaultlineError('bad-usage', eb.error);
        const answer = orderOf(ea, eb);
        out.result(answer);
        if ('error' in answer) throw new FaultlineError('bad-usage', answer.error);
        out.line(answer.sentence);
        out.line(`(their wall clocks say ${answer.wallOrder}, true time says ${answer.trueOrder})`);
      }),
    );
}
