/**
 * npm run bench [-- --json] [--quick]: every benchmark, one after the other (each prints its
 * figures with a baseline from the same run): the proxy (bench-proxy.ts), the lab (bench-lab.ts), the dashboard in headless Chromium (bench-dashboard.ts), the linearizability checker (bench-checkers.ts), the lab in Docker (bench-docker.ts; skipped without an engine).
 */
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
let failed = false;
for (const script of ['bench-proxy.ts', 'bench-lab.ts', 'bench-dashboard.ts', 'bench-checkers.ts', 'bench-docker.ts']) {
  const r = await execa(process.execPath, ['--import', tsx, fileURLToPath(new URL(script, import.meta.url)), ...process.argv.slice(2)], { stdio: 'inherit', reject: false });
  if (r.exitCode !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
