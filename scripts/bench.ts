/**
 * npm run bench [-- NAME…] [--json] [--quick]: every benchmark, one after the other (each prints its
 * figures with a baseline from the same run): the proxy (bench-proxy.ts), the lab (bench-lab.ts), the dashboard in headless Chromium (bench-dashboard.ts), the linearizability checker (bench-checkers.ts), a hosted program against the node's built-in behaviours (bench-program.ts), the lab in Docker (bench-docker.ts; skipped without an engine).
 * With NAMEs (`npm run bench -- program`), only those: proxy, lab, dashboard, checkers, program, docker.
 */
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const ALL = ['proxy', 'lab', 'dashboard', 'checkers', 'program', 'docker'];
const args = process.argv.slice(2);
/** Flags go to every benchmark; a word after a flag other than --json and --quick is that flag's value (`--seed 7`). */
const flags: string[] = [];
const names: string[] = [];
for (const [i, a] of args.entries()) {
  const prev = args[i - 1];
  if (a.startsWith('-') || (prev?.startsWith('-') && prev !== '--json' && prev !== '--quick')) flags.push(a);
  else names.push(a);
}
const unknown = names.filter((n) => !ALL.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`bench: no benchmark called ${unknown.join(', ')}; there are: ${ALL.join(', ')}\n`);
  process.exit(2);
}
let failed = false;
for (const name of names.length > 0 ? ALL.filter((n) => names.includes(n)) : ALL) {
  const r = await execa(process.execPath, ['--import', tsx, fileURLToPath(new URL(`bench-${name}.ts`, import.meta.url)), ...flags], { stdio: 'inherit', reject: false });
  if (r.exitCode !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
