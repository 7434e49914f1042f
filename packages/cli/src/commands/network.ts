/** partition, block, heal, link faults, hold and release. */
import type { Command } from 'commander';
import type { LinkFaultsRequest } from '@faultline/protocol';
import { labClient } from '../client.js';
import { cmd } from '../format/command.js';
import { output, run } from '../output.js';
import { parseDuration, parseGroup, parseNode, parsePercent, parseRate } from '../units.js';
import { FaultlineError } from '@faultline/protocol';
import type { GlobalOptions } from './global.js';

interface LinkFlags {
  latency?: string;
  jitter?: string;
  bandwidth?: string;
  drop?: string;
  duplicate?: string;
  reorder?: string;
  reset?: string;
  both?: boolean;
}

/** The flags of `faultline link A B` as the control API's request (pure; throws a `bad-usage` FaultlineError). */
export function linkRequest(flags: LinkFlags): LinkFaultsRequest {
  const request: LinkFaultsRequest = {
    latencyMs: flags.latency === undefined ? undefined : parseDuration(flags.latency, '--latency'),
    jitterMs: flags.jitter === undefined ? undefined : parseDuration(flags.jitter, '--jitter'),
    bandwidthKBs: flags.bandwidth === undefined ? undefined : parseRate(flags.bandwidth, '--bandwidth'),
    dropPct: flags.drop === undefined ? undefined : parsePercent(flags.drop, '--drop'),
    duplicatePct: flags.duplicate === undefined ? undefined : parsePercent(flags.duplicate, '--duplicate'),
    reorderPct: flags.reorder === undefined ? undefined : parsePercent(flags.reorder, '--reorder'),
    resetAfterMs: flags.reset === undefined ? undefined : parseDuration(flags.reset, '--reset'),
    both: flags.both === true,
  };
  if (Object.entries(request).every(([k, v]) => k === 'both' || v === undefined)) {
    throw new FaultlineError('bad-usage', 'expected at least one of --latency --jitter --bandwidth --drop --duplicate --reorder --reset for link');
  }
  if (request.jitterMs !== undefined && request.latencyMs === undefined) throw new FaultlineError('bad-usage', '--jitter needs --latency');
  return request;
}

export function registerNetworkCommands(program: Command, globals: () => GlobalOptions): void {
  const client = (): ReturnType<typeof labClient> => labClient(globals().lab);

  program
    .command('partition <groups...>')
    .description('split the cluster into groups that cannot reach each other, e.g. partition n1,n2 n3 (unnamed nodes form one more group)')
    .action((groups: string[]) =>
      run(async () => {
        const out = output(globals().json);
        const parsed = groups.map(parseGroup);
        const answer = await client().partition({ body: { groups: parsed } });
        out.result(answer);
        // The lab's groups: the nodes nobody named are one more group, and are cut off too.
        out.line(`partitioned: ${answer.groups.map((g) => `{${g.join(' ')}}`).join(' | ')}; messages between groups now vanish silently`);
        // Two nodes on either side of the cut, so the hint works as typed.
        const [a, b] = crossing(parsed);
        out.hint(`${cmd('heal')} ends it${a && b ? `; ${cmd(`rpc ${a} ${b}`)} shows what a sender sees` : ''}`);
      }),
    );

  program
    .command('block <from> <to>')
    .description('cut one direction only: messages from <from> to <to> vanish, the other way still works')
    .action((from: string, to: string) =>
      run(async () => {
        const out = output(globals().json);
        const body = { from: parseNode(from, 'from'), to: parseNode(to, 'to') };
        out.result(await client().block({ body }));
        out.line(`blocked ${body.from} → ${body.to} (${body.to} → ${body.from} still works)`);
        out.hint(`${cmd('heal')} ends it`);
      }),
    );

  program
    .command('heal')
    .description('end every partition and block')
    .action(() =>
      run(async () => {
        const out = output(globals().json);
        out.result(await client().heal());
        out.line('healed: every link carries messages again');
      }),
    );

  program
    .command('link <nodes...>')
    .description('faults on the link a → b: --latency 200ms --jitter 50ms --drop 10% ...; `link clear [a b] [--both]` removes them')
    .option('--latency <duration>', 'delay every message, e.g. 200ms')
    .option('--jitter <duration>', 'plus or minus this much, e.g. 50ms (with --latency)')
    .option('--bandwidth <rate>', 'limit the rate, e.g. 500KB/s')
    .option('--drop <percent>', 'drop this share of messages, e.g. 10%')
    .option('--duplicate <percent>', 'deliver this share of messages twice')
    .option('--reorder <percent>', 'hold back this share until a later message overtakes it')
    .option('--reset <duration>', 'reset the connection (TCP RST) after this long')
    .option('--both', 'also the link b → a')
    .action((nodes: string[], flags: LinkFlags) =>
      run(async () => {
        const out = output(globals().json);
        if (nodes[0] === 'clear') {
          if (nodes.length === 1) {
            out.result(await client().clearLinks());
            out.line('cleared the faults of every link');
            return;
          }
          if (nodes.length !== 3) throw new FaultlineError('bad-usage', 'expected `link clear` or `link clear A B [--both]`');
          const from = parseNode(nodes[1], 'A');
          const to = parseNode(nodes[2], 'B');
          const both = flags.both === true;
          out.result(await client().clearLink({ params: { from, to }, query: both ? { both: true } : {} }));
          out.line(`link ${from} → ${to}${both ? ' (and back)' : ''}: faults cleared`);
          return;
        }
        if (nodes.length !== 2) throw new FaultlineError('bad-usage', 'expected two nodes: link A B --latency 200ms (or link clear [A B])');
        const from = parseNode(nodes[0], 'A');
        const to = parseNode(nodes[1], 'B');
        const request = linkRequest(flags);
        out.result(await client().link({ params: { from, to }, body: request }));
        out.line(`link ${from} → ${to}${request.both ? ' (and back)' : ''}: faults set`);
        out.hint(`${cmd('status')} shows every link's faults; ${cmd(`link clear ${from} ${to}${request.both ? ' --both' : ''}`)} removes them`);
      }),
    );

  for (const action of ['hold', 'release'] as const) {
    program
      .command(`${action} <from> <to>`)
      .description(action === 'hold' ? 'hold every message from <from> to <to> (pings still pass)' : 'release the held messages, in order')
      .action((a: string, b: string) =>
        run(async () => {
          const out = output(globals().json);
          const from = parseNode(a, 'from');
          const to = parseNode(b, 'to');
          out.result(await client()[action]({ params: { from, to } }));
          out.line(action === 'hold' ? `holding messages ${from} → ${to}` : `released the messages held on ${from} → ${to}`);
          if (action === 'hold') out.hint(`${cmd(`release ${from} ${to}`)} lets them through, all at once`);
        }),
      );
  }
}

/** A node of the first group and one of the second: a call between them crosses the cut. */
function crossing(groups: readonly string[][]): [string | undefined, string | undefined] {
  return [groups[0]?.[0], groups[1]?.[0]];
}
