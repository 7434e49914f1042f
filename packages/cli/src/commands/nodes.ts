/** kill, pause, resume, revive a node; set its clock. */
import type { Command } from 'commander';
import { labClient } from '../client.js';
import { cmd } from '../format/command.js';
import { output, run } from '../output.js';
import { formatDuration, parseClockOffset, parseDrift, parseNode } from '../units.js';
import { FaultlineError } from '@faultline/protocol';
import type { GlobalOptions } from './global.js';

const SAY: Record<string, { done: string; hint: string }> = {
  kill: { done: 'killed (SIGKILL): gone at once, no goodbye to its peers', hint: `${cmd('trace --follow')} shows its peers timing out and missing heartbeats` },
  pause: { done: 'paused (SIGSTOP): alive but silent; its peers cannot tell it from dead', hint: `${cmd('resume {node}')} brings it back, with everything it missed queued` },
  resume: { done: 'resumed (SIGCONT)', hint: `${cmd('trace --node {node}')} shows the late replies and heartbeats` },
  revive: { done: 'revived: a new process with the same id and a fresh memory', hint: `${cmd('status')} shows its links coming back up` },
};

export function registerNodeCommands(program: Command, globals: () => GlobalOptions): void {
  for (const action of ['kill', 'pause', 'resume', 'revive'] as const) {
    program
      .command(`${action} <node>`)
      .description(`${action} a node (${SAY[action].done.split(':')[0]})`)
      .action((node: string) =>
        run(async () => {
          const g = globals();
          const id = parseNode(node);
          const out = output(g.json);
          out.result(await labClient(g.lab)[action]({ params: { id } }));
          out.line(`${id} ${SAY[action].done}`);
          out.hint(SAY[action].hint.replaceAll('{node}', id));
        }),
      );
  }

  program
    .command('clock <node>')
    .description("set a node's wall clock: --offset +2s, --drift 200ppm, or --jump -5s")
    .option('--offset <duration>', 'wall time minus true time, from now on (a step), e.g. +2s')
    .option('--drift <ppm>', 'how fast the clock runs, e.g. 200ppm (positive: fast)')
    .option('--jump <duration>', 'step the clock now by this much, e.g. -5s')
    .action((node: string, opts: { offset?: string; drift?: string; jump?: string }) =>
      run(async () => {
        const g = globals();
        const id = parseNode(node);
        const body = {
          offsetMs: opts.offset === undefined ? undefined : parseClockOffset(opts.offset, '--offset'),
          driftPpm: opts.drift === undefined ? undefined : parseDrift(opts.drift, '--drift'),
          jumpMs: opts.jump === undefined ? undefined : parseClockOffset(opts.jump, '--jump'),
        };
        if (body.offsetMs === undefined && body.driftPpm === undefined && body.jumpMs === undefined) {
          throw new FaultlineError('bad-usage', 'expected --offset, --drift or --jump for clock');
        }
        const out = output(g.json);
        out.result(await labClient(g.lab).clock({ params: { id }, body }));
        const parts = [
          body.offsetMs !== undefined ? `offset ${body.offsetMs >= 0 ? '+' : ''}${formatDuration(body.offsetMs)}` : '',
          body.driftPpm !== undefined ? `drift ${body.driftPpm}ppm` : '',
          body.jumpMs !== undefined ? `jumped ${body.jumpMs >= 0 ? '+' : ''}${formatDuration(body.jumpMs)}` : '',
        ].filter(Boolean);
        out.line(`${id} clock: ${parts.join(', ')} (true time is unchanged)`);
        out.hint(`${cmd(`trace --node ${id}`)} shows its wall time beside true time`);
      }),
    );
}
