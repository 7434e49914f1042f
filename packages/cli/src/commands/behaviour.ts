/**
 * behaviour NODE NAME [SETTING=VALUE…]: start a behaviour on a node (started again on revive), e.g.
 * `behaviour n1 register resolution=vector`, `behaviour n2 sync server=n1`.
 */
import type { Command } from 'commander';
import { BEHAVIOUR_NAMES, behaviourSpecSchema, FaultlineError, parseWith } from '@faultline/protocol';
import { labClient } from '../client.js';
import { cmd } from '../format/command.js';
import { output, run } from '../output.js';
import { parseNode } from '../units.js';
import type { GlobalOptions } from './global.js';
import { parseFields } from './invoke.js';

export function registerBehaviourCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('behaviour <node> <name> [settings...]')
    .description(`start a behaviour on a node (${BEHAVIOUR_NAMES.join(', ')}), with settings like resolution=vector or server=n1 (docs/lessons.md lists them)`)
    .action((n: string, name: string, settings: string[] = []) =>
      run(async () => {
        const out = output(globals().json);
        const node = parseNode(n, 'node');
        if (!(BEHAVIOUR_NAMES as readonly string[]).includes(name)) throw new FaultlineError('bad-usage', `expected a behaviour (${BEHAVIOUR_NAMES.join(', ')}), got "${name}"`);
        const body = { ...parseFields(settings), name } as never;
        // A bad setting is bad usage, said in the command's own words before the lab is asked.
        const spec = parseWith(behaviourSpecSchema, body, 'behaviour');
        if (!spec.ok) throw new FaultlineError('bad-usage', spec.error);
        const answer = await labClient(globals().lab).startBehaviour({ params: { id: node }, body });
        out.result({ node, behaviour: name, ...answer });
        out.line(`${node} runs ${name}${settings.length ? ` (${settings.join(', ')})` : ''}`);
        if (name === 'register') out.hint(`${cmd(`invoke ${node} write key=x value=A`)} writes; ${cmd(`invoke ${node} read key=x`)} reads`);
        if (name === 'sync') out.hint(settings.some((x) => x.startsWith('server=')) ? `${cmd(`invoke ${node} sync rounds=5`)} asks its server the time` : `${node} answers the time; a node started with server=${node} asks it`);
      }),
    );
}
