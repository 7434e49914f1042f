/**
 * Integration-test helpers: a lab on the real proxy and real faultline-node processes, in a
 * temporary runs directory; after it stops, no PID and no port of it may be left, and every line
 * of its trace file must parse as a TraceLine, in causal order (a linear extension of happened-before).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkTraceOrder } from '@faultline/checkers';
import { traceLineSchema, type LabConfigInput, type TraceLine } from '@faultline/protocol';
import { execa } from 'execa';
import { pino } from 'pino';
import { afterAll, beforeAll, expect } from 'vitest';
import { startLab, type StartLabOptions } from '../../src/index.js';
import type { Lab } from '../../src/lab.js';

export const logger = pino({ level: process.env.FAULTLINE_LOG_LEVEL ?? 'warn' });

export function tempRunsDir(): string {
  return mkdtempSync(join(tmpdir(), 'faultline-coordinator-'));
}

/**
 * Fast heartbeats keep the tests quick. An RPC that should succeed gets a generous timeout, as a
 * loaded machine is slow; a test that wants a timeout gives its own, short one.
 */
export function testConfig(config: LabConfigInput = {}): LabConfigInput {
  return { nodes: 3, heartbeatMs: 100, rpcTimeoutMs: 10_000, runsDir: tempRunsDir(), ...config };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** No PID alive and no port accepting connections, of all the lab ever started or opened. */
export async function expectNothingLeft(resources: { pids: number[]; ports: number[] }): Promise<void> {
  expect(resources.pids.length).toBeGreaterThan(0);
  expect(resources.pids.filter(pidAlive)).toEqual([]);
  const open = await Promise.all(resources.ports.map(async (port) => ((await portOpen(port)) ? port : undefined)));
  expect(open.filter((p) => p !== undefined)).toEqual([]);
}

/**
 * Every line of the trace file parses; seq counts 1, 2, 3…; the first line is run_start; the file
 * is a linear extension of happened-before (`checkTraceOrder`).
 */
export function expectValidTraceFile(file: string): TraceLine[] {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.trimEnd().split('\n').map((l, i) => {
    const parsed = traceLineSchema.safeParse(JSON.parse(l));
    expect(parsed.success, `trace line ${i + 1} does not parse: ${l}`).toBe(true);
    return parsed.data!;
  });
  expect(lines[0].kind).toBe('run_start');
  expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
  expect(checkTraceOrder(lines), `${file} is not in causal order`).toEqual([]);
  return lines;
}

/** The PIDs of this process's living children (a failed start must leave none). */
export async function childPids(): Promise<number[]> {
  const ps = execa('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { reject: false });
  const { stdout } = await ps;
  return String(stdout)
    .split('\n')
    .map(Number)
    .filter((pid) => pid > 0 && pid !== ps.pid);
}

/** Removes a stopped lab's temporary runs directory (kept when a check failed, to look into). */
export function discardRun(lab: Lab): void {
  rmSync(dirname(lab.runDir), { recursive: true, force: true });
}

/** Runs `fn` on a fresh lab, then stops it and checks that it left nothing behind. */
export async function withLab<T>(config: LabConfigInput, fn: (lab: Lab) => Promise<T>, options: StartLabOptions = {}): Promise<T> {
  const lab = await startLab(testConfig(config), { logger, ...options });
  try {
    return await fn(lab);
  } finally {
    const resources = lab.resources();
    await lab.stop();
    await expectNothingLeft(resources);
    expectValidTraceFile(lab.traceFile);
    discardRun(lab);
  }
}

/**
 * One lab for the tests of a `describe`, in order (each leaves it healthy for the next); when they
 * are done it stops, and nothing of it may be left.
 */
export function useLab(config: LabConfigInput = {}): () => Lab {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await startLab(testConfig(config), { logger });
  });
  afterAll(async () => {
    if (!lab) return;
    const resources = lab.resources();
    await lab.stop();
    await expectNothingLeft(resources);
    expectValidTraceFile(lab.traceFile);
    discardRun(lab);
  });
  return () => {
    if (!lab) throw new Error('the lab did not start');
    return lab;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The receive lines at `at` of messages of `type` from `from`, after seq `since`. */
export function received(lab: Lab, at: string, from: string, type: string, since = 0): TraceLine[] {
  return lab.trace({ node: at, kinds: ['receive'], since }).filter((l) => l.kind === 'receive' && l.from === from && l.msgType === type);
}
