/**
 * One error class, with its codes as data: every package throws protocol's FaultlineError with a
 * code from the registry (errors/error-codes.ts), and the CLI's exit code is that code's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorClock } from '@faultline/clock';
import { startLab } from '@faultline/coordinator';
import { findLesson } from '@faultline/lessons';
import { ERROR_CODES, exitCodeOf, FaultlineError } from '@faultline/protocol';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, CLI_ENV } from './support/cli-process.js';

const PACKAGES = fileURLToPath(new URL('../packages/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe('one error class', () => {
  it('is the only error class in the sources of every package', () => {
    const files = readdirSync(PACKAGES).flatMap((pkg) => sources(join(PACKAGES, pkg, 'src')));
    expect(files.length).toBeGreaterThan(100);
    const classes = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/class (\w+) extends (\w*Error)\b/g)].map((m) => `${f.slice(PACKAGES.length)}: ${m[1]}`));
    expect(classes).toEqual(['protocol/src/errors/faultline-error.ts: FaultlineError']);
  });

  it('is what the clock, the lessons and the lab throw, with codes of the registry', async () => {
    expect(caught(() => new VectorClock(''))).toMatchObject({ name: 'FaultlineError', code: 'invalid-node-id' });
    const lesson = caught(() => findLesson('no-such-lesson'));
    expect(lesson).toBeInstanceOf(FaultlineError);
    expect(lesson).toMatchObject({ code: 'not-found' });
    const lab = await startLab({ nodes: 0 }).catch((e: unknown) => e);
    expect(lab).toBeInstanceOf(FaultlineError);
    expect(lab).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/^config\.nodes: /) as string });
    for (const err of [lesson, lab] as FaultlineError[]) expect(ERROR_CODES[err.code]).toBeDefined();
  });

  it("ends the CLI with the exit code of the error's code, and prints its hint", async () => {
    const env = { ...CLI_ENV, FAULTLINE_LAB: '' };
    const bad = await execa(process.execPath, [...CLI, 'link', 'n1', 'n2', '--latency', 'fast'], { reject: false, timeout: 30_000, env });
    expect(bad.exitCode).toBe(exitCodeOf('bad-usage'));
    expect(bad.stderr).toMatch(/^faultline: expected a duration/);
    const gone = await execa(process.execPath, [...CLI, 'status', '--lab', 'http://127.0.0.1:9'], { reject: false, timeout: 30_000, env });
    expect(gone.exitCode).toBe(exitCodeOf('unavailable'));
    expect(gone.stderr.split('\n')).toEqual(['faultline: no lab answers at http://127.0.0.1:9', 'hint: start one in another terminal with: npm start   (or: npx faultline up --detach)']);
  });
});
