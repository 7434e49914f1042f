/**
 * `faultline`: start the lab, break it, and read what happened.
 *   faultline up [--nodes 3]          (in one terminal; npm start does this)
 *   faultline kill n2 | partition n1,n2 n3 | link n1 n2 --latency 200ms | clock n3 --offset +2s
 *   faultline status | trace --follow | diagram | rpc n1 n2 | order 12 15
 * Every command takes --json. Exit codes: 0 done, 1 the lab failed or is not running, 2 bad usage.
 */
import { Command } from 'commander';
import { CLI } from './format/command.js';
import type { GlobalOptions } from './commands/global.js';
import { registerNetworkCommands } from './commands/network.js';
import { registerNodeCommands } from './commands/nodes.js';
import { registerObserveCommands } from './commands/observe.js';
import { registerRpcCommand } from './commands/rpc.js';
import { registerLabCommands } from './commands/lab.js';
import { registerLessonCommands } from './commands/lesson.js';
import { quietOnEpipe } from './quiet-epipe.js';

quietOnEpipe();

const program = new Command()
  .name('faultline')
  .description('a hands-on lab for the fundamentals of distributed systems')
  .option('--json', 'print one JSON document (or one JSON line per event) instead of text')
  .option('--lab <url>', 'the control URL of the lab (default: from .faultline/lab.json)')
  .showHelpAfterError(`(${CLI} --help lists the commands)`)
  .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') })
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

const globals = (): GlobalOptions => {
  const o = program.opts<{ json?: boolean; lab?: string }>();
  return { json: o.json === true, lab: o.lab };
};

registerLabCommands(program, globals);
registerNodeCommands(program, globals);
registerNetworkCommands(program, globals);
registerObserveCommands(program, globals);
registerRpcCommand(program, globals);
registerLessonCommands(program, globals);

// Subcommands (and theirs: `lesson run`) accept the global flags too: `faultline status --json`.
const withGlobals = (command: Command): void => {
  for (const sub of command.commands) {
    withGlobals(sub);
    if (sub.commands.length > 0) continue;
    sub.option('--json', 'print JSON').option('--lab <url>', 'the control URL of the lab');
    sub.hook('preAction', (_parent, action) => {
      const local = action.opts<{ json?: boolean; lab?: string }>();
      if (local.json) program.setOptionValue('json', true);
      if (local.lab) program.setOptionValue('lab', local.lab);
    });
  }
  for (const sub of command.commands) {
    sub.configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') }).exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  }
};
withGlobals(program);

await program.parseAsync();
