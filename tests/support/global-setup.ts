/**
 * Once before the integration tests: the CLI and the lab's processes bundled as the Docker image
 * has them (scripts/image-files.ts, into a temporary $FAULTLINE_HOME). The tests run the CLI as
 * `node faultline.mjs` from there (support/cli-process.ts): the same sources, started in about
 * 0.4 s instead of 2–4 s through tsx, a few hundred times a run. `npm start` and `npx faultline`
 * as the README types them are still run as typed (cli-output.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the bundled CLI and the lab's prebuilt processes are ($FAULTLINE_HOME). */
    faultlineHome: string;
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default async function setup(project: TestProject): Promise<() => void> {
  const home = join(mkdtempSync(join(tmpdir(), 'faultline-home-')), 'home');
  const built = await execa(process.execPath, ['--import', 'tsx', 'scripts/image-files.ts', home], { cwd: ROOT, reject: false, timeout: 180_000 });
  if (built.exitCode !== 0) throw new Error(`bundling the CLI for the tests failed: ${built.stderr || built.stdout}`);
  project.provide('faultlineHome', home);
  return () => rmSync(join(home, '..'), { recursive: true, force: true });
}
