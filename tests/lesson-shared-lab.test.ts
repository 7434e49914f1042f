/**
 * A lesson on a lab larger than it needs (a 5-node classroom lab, a 3-node lesson): its behaviours
 * see and talk to the lesson's nodes only, the extra nodes play no part, and at the verdict what
 * it started is stopped, so the same lesson runs again on the same lab. Real processes and proxy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startLab, type Lab } from '@faultline/coordinator';
import { listLessons, runLesson } from '@faultline/lessons';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftOver } from './support/processes.js';
import { CLI, CLI_ENV } from './support/cli-process.js';

const runsDir = mkdtempSync(join(tmpdir(), 'faultline-shared-lab-'));
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ nodes: 5, seed: '77', runsDir, heartbeatMs: 10_000 }, { logger: pino({ level: 'warn' }) });
  await lab.serve(0);
}, 60_000);

afterAll(async () => {
  const resources = lab.resources();
  await lab.stop();
  expect(await leftOver(resources)).toEqual({ pids: [], ports: [] });
  rmSync(runsDir, { recursive: true, force: true });
}, 30_000);

describe('a 3-node lesson on a 5-node lab', () => {
  const { lesson, file } = listLessons().find((l) => l.lesson.name === 'lamport-order')!;

  it('talks to n1..n3 only, holds, and leaves no behaviour running after its verdict', { timeout: 120_000 }, async () => {
    const since = lab.lastSeq;
    const report = await runLesson(lesson, { lab, file });
    for (const c of report.checks) expect(c.held, `${c.name}: ${c.evidence}`).toBe(true);
    expect(report.passed).toBe(true);
    const lines = lab.trace({ since });
    // The register gossiped among the lesson's nodes, never to n4 or n5, and they never heard of it.
    const gossip = lines.filter((l) => l.kind === 'send' && l.msgType === 'reg_put');
    expect(gossip.length).toBeGreaterThan(0);
    expect(gossip.filter((l) => l.kind === 'send' && ['n4', 'n5'].includes(l.to))).toEqual([]);
    expect(lines.filter((l) => (l.node === 'n4' || l.node === 'n5') && (l.kind === 'receive' || l.kind === 'send') && l.msgType !== 'heartbeat')).toEqual([]);
    // Stopped at the verdict: traced on each node, and the lab remembers none for a revival.
    expect(lines.filter((l) => l.kind === 'state' && l.key === 'stopped').map((l) => l.node).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(lab.nodes.flatMap((id) => lab.behaviours(id))).toEqual([]);
  });

  it("its hints ask the running lab, whose trace file may be in a container: `faultline order A B` answers what the lesson says", { timeout: 120_000 }, async () => {
    const vc = listLessons().find((l) => l.lesson.name === 'vector-clocks')!;
    const report = await runLesson(vc.lesson, { lab, file: vc.file });
    expect(report.passed).toBe(true);
    const hint = /npx faultline order (\d+) (\d+)(?: --\w+)?/.exec(report.explanation.replace(/\s+/g, ' '));
    expect(hint?.[0]).toMatch(/^npx faultline order \d+ \d+$/);
    const r = await execa(process.execPath, [...CLI, 'order', hint![1], hint![2], '--lab', lab.controlUrl!], { reject: false, timeout: 60_000, env: CLI_ENV });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^#${hint![1]} .* happened before #${hint![2]} `));
  });

  it('runs again on the same lab from a clean state', { timeout: 120_000 }, async () => {
    const report = await runLesson(lesson, { lab, file });
    expect(report.error).toBeUndefined();
    expect(report.passed).toBe(true);
  });
});
