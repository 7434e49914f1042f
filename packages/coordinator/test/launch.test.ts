/**
 * Launching belongs to the coordinator (ARCHITECTURE.md): it reaches each process's entry point
 * through the package that exports it, never by a path into another package, and the proxy
 * package launches and bundles nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FaultlineError } from '@faultline/protocol';
import { resolveEntry } from '../src/launch/resolve-entry.js';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('process launching', () => {
  it('the node and the proxy packages export their entry points', () => {
    for (const [specifier, file] of [['@faultline/node/main', 'node/src/main.ts'], ['@faultline/proxy/main', 'proxy/src/main.ts']]) {
      const entry = resolveEntry(specifier, specifier, 'install it');
      expect(existsSync(entry)).toBe(true);
      expect(entry.endsWith(file)).toBe(true);
    }
  });

  it('a missing one is a one-line FaultlineError', () => {
    let error: unknown;
    try {
      resolveEntry('@faultline/nothing/main', 'faultline-nothing', 'pass the nodeCommand option');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FaultlineError);
    expect((error as FaultlineError).message).toBe('faultline-nothing is not installed (cannot resolve @faultline/nothing/main); pass the nodeCommand option');
  });

  it('no coordinator source reaches into another package by a relative path', () => {
    const reaching = sources(join(PACKAGES, 'coordinator/src')).filter((f) => /\.\.\/\.\.\/(?!\.\.)[a-z-]+\/src\//.test(readFileSync(f, 'utf8')));
    expect(reaching).toEqual([]);
  });

  it('the proxy package starts no process and bundles nothing', () => {
    const launching = sources(join(PACKAGES, 'proxy/src')).filter((f) => /from '(execa|esbuild|node:child_process)'/.test(readFileSync(f, 'utf8')));
    expect(launching).toEqual([]);
  });
});
