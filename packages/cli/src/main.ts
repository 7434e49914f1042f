/**
 * `faultline`: start the lab, break it, and read what happened.
 *   faultline up [--nodes 3]          (in one terminal; npm start does this)
 *   faultline kill n2 | partition n1,n2 n3 | link n1 n2 --latency 200ms | clock n3 --offset +2s
 *   faultline status | trace --follow | diagram | rpc n1 n2 | order 12 15
 * Every command takes --json. Exit codes: 0 done, 1 the lab failed or is not running, 2 bad usage.
 */
import { buildProgram } from './program.js';
import { quietOnEpipe } from './quiet-epipe.js';

quietOnEpipe();
await buildProgram().parseAsync();
