/**
 * npm run image-files -- DIR: what the Docker image runs, built into DIR (the Dockerfile's build
 * stage runs it; the runtime stage copies DIR and sets $FAULTLINE_HOME to it):
 *   faultline.mjs                 the CLI (coordinator, lessons, checkers in one file)
 *   faultline-proxy.mjs, faultline-node.cjs, faultline-agent.cjs   the lab's processes
 *   dashboard/                    the built page
 *   lessons/                      the lesson files
 *   exercises/, examples/maelstrom/js/node.mjs   the exercises, and the library their starters import
 * Every npm dependency is bundled in: the image needs no node_modules.
 */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lazyBuiltins } from '../packages/coordinator/src/launch/lazy-builtins.js';
import { dashboardDir } from '@faultline/dashboard';

const out = resolve(process.argv[2] ?? '.image');
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Tools the CLI loads only in a clone of the repository (bundling, building the page, --detach).
const DEV_ONLY = ['esbuild', 'vite', 'tsx', 'playwright-core', 'fsevents', 'lightningcss'];
/** One ES module with every dependency in it (for entries with top-level await). */
async function esm(entry: string, file: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile: join(out, file),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: DEV_ONLY,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require(): an ES module has none of its own.
    banner: { js: "import { createRequire as __faultlineCreateRequire } from 'node:module'; const require = __faultlineCreateRequire(import.meta.url);" },
  });
}
await esm(join(root, 'packages/cli/src/main.ts'), 'faultline.mjs');
await esm(require.resolve('@faultline/proxy/main'), 'faultline-proxy.mjs');
// The lab's small processes as the lab bundles them in a clone (launch/bundle-entry.ts, standalone).
for (const [specifier, file] of [
  ['@faultline/node/main', 'faultline-node.cjs'],
  ['@faultline/coordinator/agent', 'faultline-agent.cjs'],
] as const) {
  await build({
    entryPoints: [require.resolve(specifier)],
    outfile: join(out, file),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: DEV_ONLY,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    // The agent's way to run a clone's node through tsx (import.meta.url) is never taken when installed.
    logOverride: { 'empty-import-meta': 'silent' },
    plugins: [lazyBuiltins()],
  });
}
cpSync(await dashboardDir(), join(out, 'dashboard'), { recursive: true });
cpSync(join(root, 'packages/lessons/lessons'), join(out, 'lessons'), { recursive: true });
// The exercises and the node library their starters import (faultline exercise start).
cpSync(join(root, 'packages/cli/exercises'), join(out, 'exercises'), { recursive: true });
cpSync(join(root, 'examples/maelstrom/js/node.mjs'), join(out, 'examples/maelstrom/js/node.mjs'));
process.stdout.write(`wrote ${out}\n`);
