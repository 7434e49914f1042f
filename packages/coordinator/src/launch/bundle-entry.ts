/**
 * Child processes of the lab (the proxy, every node) run from one JavaScript file bundled from
 * their TypeScript entry by esbuild, once per parent process. Starting them through the tsx loader
 * instead costs each child ~1 s and ~50 MB (a loader thread and an esbuild service of its own).
 * Workspace packages (@faultline/*, TypeScript sources) are bundled in; by default npm
 * dependencies stay external and resolve from the workspace's node_modules (`standalone` bundles
 * them in too).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { lazyBuiltins } from './lazy-builtins.js';

export interface BundleOptions {
  /**
   * One self-contained CommonJS file (`<name>.cjs`) for a small process: npm dependencies bundled
   * in (tree-shaken), whitespace and syntax minified (identifiers keep their names, so error names
   * and stack frames read the same). At start Node then reads one file: no module resolution, no
   * ESM loader or CommonJS export lexer, no libuv threads for its file reads, no comments held in
   * memory. Built-ins that dependencies require at load but a lab process may never use (TLS,
   * zlib: `lazy-builtins.ts`) load at their first use. The entry must not use top-level await.
   */
  readonly standalone?: boolean;
}

const built = new Map<string, Promise<string>>();
/** Builds run one at a time, and esbuild's service process is stopped after each (no child left behind). */
let queue: Promise<unknown> = Promise.resolve();

/** Bundles `entry` (a .ts file in a workspace package) to `<package>/dist/<name>.mjs` (`.cjs` if standalone); answers its path. */
export function bundleEntry(entry: string, name: string, options: BundleOptions = {}): Promise<string> {
  let done = built.get(entry);
  if (!done) {
    const run = async (): Promise<string> => {
      // Loaded here, not at the top: an installed faultline (the Docker image) has no esbuild and never bundles.
      const { build } = await import('esbuild');
      const packageDir = dirname(dirname(entry));
      const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      const external = Object.keys(pkg.dependencies ?? {}).filter((d) => !d.startsWith('@faultline/'));
      const common: BuildOptions = { entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', logLevel: 'silent' };
      if (options.standalone) {
        const outfile = join(packageDir, 'dist', `${name}.cjs`);
        await build({ ...common, outfile, format: 'cjs', minifyWhitespace: true, minifySyntax: true, plugins: [lazyBuiltins()] });
        return outfile;
      }
      const outfile = join(packageDir, 'dist', `${name}.mjs`);
      await build({
        ...common,
        outfile,
        format: 'esm',
        external,
        // bundled CommonJS helpers may call require(); give ESM output one
        banner: { js: "import { createRequire as __faultlineCreateRequire } from 'node:module'; const require = __faultlineCreateRequire(import.meta.url);" },
      });
      return outfile;
    };
    done = queue.then(run, run).finally(() => import('esbuild').then((e) => e.stop()));
    queue = done.catch(() => undefined);
    built.set(entry, done);
    done.catch(() => built.delete(entry));
  }
  return done;
}
