/** rpc A B: what the sender saw, and beside it what the trace shows really happened. */
import type { Command } from 'commander';
import { labClient } from '../client.js';
import { lensOf, TRUTH_LABEL } from '@faultline/checkers';
import { formatTraceLine, style } from '@faultline/lessons';
import { output, run } from '../output.js';
import { formatDuration, parseDuration, parseMessageType, parseNode } from '../units.js';
import { FaultlineError } from '@faultline/protocol';
import type { GlobalOptions } from './global.js';

export function registerRpcCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('rpc <from> <to>')
    .description('a remote call from one node to another: what the caller saw, and what really happened')
    .option('--type <type>', 'message type (ping, echo)', 'ping')
    .option('--timeout <duration>', 'per attempt, e.g. 500ms')
    .option('--retries <n>', 'more attempts after a timeout', '0')
    .action((a: string, b: string, opts: { type: string; timeout?: string; retries: string }) =>
      run(async () => {
        const out = output(globals().json);
        const retries = Number(opts.retries);
        if (!Number.isInteger(retries) || retries < 0) throw new FaultlineError('bad-usage', `expected a whole number for --retries, got "${opts.retries}"`);
        const body = {
          from: parseNode(a, 'from'),
          to: parseNode(b, 'to'),
          msgType: parseMessageType(opts.type, '--type'),
          body: {},
          timeoutMs: opts.timeout === undefined ? undefined : parseDuration(opts.timeout, '--timeout'),
          retries,
        };
        const { result, trace } = await labClient(globals().lab).rpc({ body });
        out.result({ result, trace });
        const verdict = {
          ok: () => style.green('got a reply'),
          timeout: () => style.yellow('heard nothing in time'),
          failed: () => style.red(`could not send: ${result.error ?? ''}`),
          'caller-died': () => style.red(`nothing (${result.error ?? `${body.from} died`})`),
        }[result.outcome]();
        out.line(`${body.from} saw: ${verdict} after ${formatDuration(result.elapsedMs)}, ${result.attempts} attempt${result.attempts > 1 ? 's' : ''}`);
        out.line(style.dim('what really happened (from the trace):'));
        for (const l of trace) out.line(`  ${formatTraceLine(l)}`);
        const lens = lensOf(trace, { name: result.requestIds[0] ?? '?', from: body.from, to: body.to, msgType: body.msgType, result });
        for (const a of lens?.attempts ?? []) {
          out.line(`${style.bold(`attempt ${a.attempt}`)}: ${body.from} saw ${lens!.senderSaw}; ${style.bold(TRUTH_LABEL[a.truth])}: ${a.story}`);
        }
        if (result.outcome === 'timeout' || result.outcome === 'failed') out.hint('a sender that hears nothing cannot tell a lost request from a lost reply or a dead peer; the trace can');
      }),
    );
}
