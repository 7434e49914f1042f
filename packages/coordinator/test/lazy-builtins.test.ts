/**
 * The lazy built-ins of the standalone bundles: a bundled `require('https')` loads nothing at
 * start, and the first use loads the real module and works as it. An ES import of one still
 * works; it loads the module at start.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { LAZY_BUILTINS, lazyBuiltins } from '../src/launch/lazy-builtins.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-lazy-builtins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENTRY = `
const https = require('https');
const tls = require('node:tls');
const zlib = require('node:zlib');
const loaded = () => ['https', 'tls', 'zlib'].filter((m) => process.moduleLoadList.includes('NativeModule ' + m));
const atStart = loaded();
const used = {
  request: typeof https.request,
  agent: https.globalAgent instanceof https.Agent,
  hasConnect: 'connect' in tls,
  keys: Object.keys(tls).includes('createSecureContext'),
  roundTrip: zlib.inflateRawSync(zlib.deflateRawSync(Buffer.from('faultline'))).toString(),
};
console.log(JSON.stringify({ atStart, used, afterUse: loaded() }));
`;

const IMPORTING = `
import { inflateRawSync, deflateRawSync } from 'zlib';
console.log(inflateRawSync(deflateRawSync(Buffer.from('faultline'))).toString());
`;

async function bundle(plugins: boolean, source = ENTRY): Promise<string> {
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, source);
  const outfile = join(dir, `${plugins ? 'lazy' : 'eager'}-${source.length}.cjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'silent', plugins: plugins ? [lazyBuiltins()] : [] });
  return outfile;
}

async function run(file: string): Promise<{ atStart: string[]; used: Record<string, unknown>; afterUse: string[] }> {
  const r = await execa(process.execPath, [file]);
  return JSON.parse(r.stdout) as { atStart: string[]; used: Record<string, unknown>; afterUse: string[] };
}

describe('lazy built-ins', () => {
  it('are not loaded at start, and work as the real modules at first use', async () => {
    const lazy = await run(await bundle(true));
    const eager = await run(await bundle(false));
    expect(eager.atStart).toEqual([...LAZY_BUILTINS]);
    expect(lazy.atStart).toEqual([]);
    expect(lazy.used).toEqual(eager.used);
    expect(lazy.used).toEqual({ request: 'function', agent: true, hasConnect: true, keys: true, roundTrip: 'faultline' });
    expect(lazy.afterUse).toEqual([...LAZY_BUILTINS]);
  });

  it('an ES import of one works too', async () => {
    expect((await execa(process.execPath, [await bundle(true, IMPORTING)])).stdout).toBe('faultline');
  });
});
