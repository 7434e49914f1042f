/**
 * check HISTORY… --model register|kv: is a history (JSON lines, Jepsen's events) linearizable? Any
 * history, not only the lab's; several files are read as one (ordered by their events' times).
 * Exit 0 linearizable, 1 not (with the counterexample) or unknown
 * (the time budget ran out: never assumed fine), 2 a bad file or flag.
 */
import type { Command } from 'commander';
import { checkLinearizable, type Operation } from '@faultline/checkers';
import { FaultlineError } from '@faultline/protocol';
import { readHistoryFile } from '../format/history-file.js';
import { output, run } from '../output.js';
import { parseDuration } from '../units.js';
import type { GlobalOptions } from './global.js';

const describeOp = (op: Operation): string => {
  const on = op.key === undefined ? '' : ` ${op.key}`;
  const io = op.f === 'read' || op.f === 'get' ? ` → ${JSON.stringify(op.output ?? null)}` : ` ${JSON.stringify(op.input ?? null)}`;
  return `process ${String(op.process)} ${op.f}${on}${io}${op.status === 'info' ? ' (its end unknown)' : ''} (event ${op.id + 1})`;
};

export function registerCheckCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('check <history...>')
    .description('is a history (JSON lines: process, type invoke|ok|fail|info, f, key, value, time) linearizable? exit 0 yes, 1 no or unknown, 2 a bad file')
    .requiredOption('--model <model>', 'register (read, write, cas) or kv (get, put, append, key by key)')
    .option('--budget <duration>', 'give up after this long, answering unknown', '10s')
    .action((files: string[], opts: { model: string; budget: string }) =>
      run(async () => {
        const out = output(globals().json);
        if (opts.model !== 'register' && opts.model !== 'kv') throw new FaultlineError('bad-usage', `expected register or kv for --model, got "${opts.model}"`);
        const budgetMs = parseDuration(opts.budget, '--budget');
        const events = files.flatMap((file) => readHistoryFile(file));
        const file = files.join(' + ');
        const verdict = checkLinearizable(events, opts.model, { budgetMs, now: () => performance.now() });
        out.result(verdict);
        if (verdict.result === 'invalid') throw new FaultlineError('bad-usage', `${file}: ${verdict.why}`);
        const size = `${verdict.operations} ${verdict.operations === 1 ? 'operation' : 'operations'}, checked ${verdict.partitions === 1 ? 'as one part' : `in ${verdict.partitions} parts (key by key)`}`;
        if (verdict.result === 'linearizable') {
          out.line(`linearizable (${size})`);
          return;
        }
        if (verdict.result === 'unknown') {
          out.line(`unknown: ${verdict.why} (${size}); not shown to be linearizable`);
        } else {
          const c = verdict.counterexample;
          out.line(`not linearizable (${size})${c.key === '' ? '' : `: key ${c.key}`}`);
          out.line(`the longest legal order found (${c.prefix.length} operations):`);
          for (const op of c.prefix) out.line(`  ${describeOp(op)}`);
          out.line(`then this one cannot take effect before it returned:`);
          out.line(`  ${describeOp(c.stuck)}`);
        }
        process.exitCode = 1;
        await Promise.resolve();
      }),
    );
}
