/**
 * Once before the node's tests: faultline-node bundled from its sources to one self-contained
 * file, as the lab runs it (`defaultNodeCommand`: esbuild, CommonJS, npm dependencies in). Each
 * test's node then starts in a fraction of a second, where the tsx loader took 2–4 s a start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** faultline-node, bundled: run it as `node <this> --id …`. */
    nodeBundle: string;
  }
}

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-node-bundle-'));
  const outfile = join(dir, 'faultline-node.cjs');
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({ entryPoints: [MAIN], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'silent' });
  } finally {
    await esbuild.stop();
  }
  project.provide('nodeBundle', outfile);
  return () => rmSync(dir, { recursive: true, force: true });
}
