/**
 * An esbuild plugin for the standalone bundles (`bundle-entry.ts`): Node built-ins that a bundled
 * dependency requires when it loads but uses only on paths a lab process may never take are
 * loaded at their first use instead. Every `require('https')` (or `node:https`) in the bundle gets
 * a stand-in whose every property access, `in` test and key listing loads the real module and
 * answers from it: code that uses the module works exactly as before, a moment later. (An ES
 * `import` of one works too, but loads it at start: esbuild copies the namespace's keys then.)
 *
 * Why: `ws` requires `https` and `tls` for `wss://` URLs and `zlib` for permessage-deflate as it
 * loads. The lab's nodes dial `ws://` on 127.0.0.1 with compression off, so those modules (and the
 * TLS and zlib code of the Node binary behind them) are only resident size; each node of a lab
 * pays it. A `wss://` URL still works: the stand-in loads `https` and `tls` then.
 */
import type { Plugin } from 'esbuild';

/** Built-ins loaded at first use. Only ones whose properties are read at use, not at load. */
export const LAZY_BUILTINS = ['https', 'tls', 'zlib'] as const;

const NAMESPACE = 'faultline-lazy-builtin';

/** The stand-in module for `name` (CommonJS, run inside the bundle). */
function standIn(name: string): string {
  return `"use strict";
let real;
const load = () => (real ??= require("node:${name}"));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Reflect.getOwnPropertyDescriptor(load(), key);
    return d === undefined ? undefined : { ...d, configurable: true };
  },
});
`;
}

export function lazyBuiltins(): Plugin {
  const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(build) {
      build.onResolve({ filter }, (args) =>
        // The stand-in's own require of the real module stays a plain require.
        args.importer.startsWith(`${NAMESPACE}:`) || args.namespace === NAMESPACE
          ? { path: args.path, external: true }
          : { path: args.path.replace(/^node:/, ''), namespace: NAMESPACE },
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: standIn(args.path), loader: 'js' }));
    },
  };
}
