/** The `faultline` command line: every command, its flags and the global ones. */
import { Command } from 'commander';
import { cmd, hintsForLab } from './format/command.js';
import type { GlobalOptions } from './commands/global.js';
import { registerNetworkCommands } from './commands/network.js';
import { registerNodeCommands } from './commands/nodes.js';
import { registerObserveCommands } from './commands/observe.js';
import { registerBehaviourCommand } from './commands/behaviour.js';
import { registerCheckCommand } from './commands/check.js';
import { registerInvokeCommand } from './commands/invoke.js';
import { registerRpcCommand } from './commands/rpc.js';
import { registerLabCommands } from './commands/lab.js';
import { registerLessonCommands } from './commands/lesson.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerClassCommands } from './commands/class.js';
import { registerTestCommand } from './commands/test.js';
import { registerExerciseCommands } from './commands/exercise.js';

/** Help wraps at the terminal's width, or 80 columns when there is no terminal (piped, in a test). */
const helpWidth = (): number => process.stdout.columns || 80;

/** The whole command line, not yet parsed (tests read its commands). */
export function buildProgram(): Command {
  const program = new Command()
    .name('faultline')
    .description('a hands-on lab for the fundamentals of distributed systems')
    .option('--json', 'print one JSON document (or one JSON line per event) instead of text')
    .option('--lab <url>', 'the control URL of the lab (default: from .faultline/lab.json)')
    .showHelpAfterError(`(${cmd('--help')} lists the commands)`)
    .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n'), getOutHelpWidth: helpWidth, getErrHelpWidth: helpWidth })
    // A command's line in the list without "[options]" (every command has --json and --lab), so descriptions get room.
    .configureHelp({ minWidthToWrap: 24, subcommandTerm: (sub) => [sub.name(), ...sub.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`))].join(' ') })
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
  registerInvokeCommand(program, globals);
  registerBehaviourCommand(program, globals);
  registerCheckCommand(program, globals);
  registerLessonCommands(program, globals);
  registerDoctorCommand(program, globals);
  registerClassCommands(program, globals);
  registerTestCommand(program, globals);
  registerExerciseCommands(program, globals);

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
        hintsForLab(program.opts<{ lab?: string }>().lab);
      });
    }
    for (const sub of command.commands) {
      sub.configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') }).exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
    }
  };
  withGlobals(program);
  return program;
}
