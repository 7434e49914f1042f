/**
 * zod without its JIT, in the page. zod v4 probes `new Function` on its first parse to see whether
 * it may compile fast parsers; the page's Content-Security-Policy forbids eval, so the probe is a
 * CSP violation and an error in the console on every load. The policy stays strict; zod runs
 * jitless. Imported first by main.ts, before any schema parses.
 */
import { config } from 'zod';

config({ jitless: true });
