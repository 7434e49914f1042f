/**
 * `faultline`: start the lab, break it, and read what happened.
 *   faultline up [--nodes 3]          (in one terminal; npm start does this)
 *   faultline kill n2 | partition n1,n2 n3 | link n1 n2 --latency 200ms | clock n3 --offset +2s
 *   faultline status | trace --follow | diagram | rpc n1 n2 | order 12 15
 * Every command takes --json. Exit codes: 0 done, 1 the lab failed or is not running, 2 bad usage.
 */
import { typedFrom } from './format/command.js';
import { buildProgram } from './program.js';
import { quietOnEpipe } from './quiet-epipe.js';

quietOnEpipe();
// `npm run faultline -- …` runs in the repository's folder; the student's paths (--bin ./prog,
// exercises/, runs/) are from the folder they typed it in, which npm keeps in INIT_CWD.
if (process.env.npm_lifecycle_event === 'faultline' && process.env.INIT_CWD && process.env.INIT_CWD !== process.cwd()) {
  typedFrom(process.env.INIT_CWD, process.cwd());
  process.chdir(process.env.INIT_CWD);
}
await buildProgram().parseAsync();
