/**
 * Nodes that host a program speaking Maelstrom's protocol (examples/maelstrom, tests/fixtures/maelstrom), in JavaScript and
 * Python, on the real lab: real node processes, the real proxy between them, the program as each
 * node's child. A client's request reaches the program and its answer comes back; programs talk
 * to each other over the lab's links (and a partition cuts them); a line that is not a message, a
 * program that crashes, and a kill are each what the lab says they are. Nothing is left behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '@faultline/coordinator';
import type { MaelstromMessage, TraceLine } from '@faultline/protocol';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { findLibfaketime } from '@faultline/protocol/faketime';
import { hasPython, js, py } from './support/maelstrom-programs.js';
import { alive, childrenOf, leftOver, stateOf } from './support/processes.js';

const runsDir = mkdtempSync(join(tmpdir(), 'faultline-program-'));
const logger = pino({ level: 'silent' });

let labs: Lab[] = [];
let msgId = 0;

afterEach(async () => {
  for (const lab of labs) {
    const resources = lab.resources();
    await lab.stop();
    expect(await leftOver(resources)).toEqual({ pids: [], ports: [] });
  }
  labs = [];
});
afterAll(() => rmSync(runsDir, { recursive: true, force: true }));

async function labOf(nodes: number, program: string[]): Promise<Lab> {
  const lab = await startLab({ nodes, seed: '14', runsDir, heartbeatMs: 10_000, program }, { logger });
  labs.push(lab);
  return lab;
}

/** A client's request to `node`; its answer's body (throws on a timeout). */
async function ask(lab: Lab, node: string, body: Record<string, unknown>, timeoutMs = 5_000): Promise<Record<string, unknown>> {
  const message: MaelstromMessage = { src: 'c1', dest: node, body: { ...body, type: String(body.type), msg_id: ++msgId } };
  const result = await lab.client(node, message, timeoutMs);
  if (result.outcome !== 'ok' || !result.reply) throw new Error(`${node} did not answer ${String(body.type)} in ${timeoutMs} ms`);
  return result.reply.body;
}

/** Asks until `ok` holds of the answer (each read is an answer, not a sleep), within `timeoutMs`. */
async function until(lab: Lab, node: string, body: Record<string, unknown>, ok: (b: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const answer = await ask(lab, node, body);
    if (ok(answer)) return answer;
    if (performance.now() > deadline) throw new Error(`${node} never answered as wanted: ${JSON.stringify(answer)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const linesOf = (lab: Lab, kind: TraceLine['kind']): TraceLine[] => lab.trace({ kinds: [kind] });

describe('a node hosting a Maelstrom program', () => {
  it('JavaScript echo: init first, then a client gets its echo back', { timeout: 60_000 }, async () => {
    const lab = await labOf(2, js('js/echo.mjs'));
    expect(await ask(lab, 'n1', { type: 'echo', echo: 'hello' })).toMatchObject({ type: 'echo_ok', echo: 'hello' });
    expect(await ask(lab, 'n2', { type: 'echo', echo: 42 })).toMatchObject({ type: 'echo_ok', echo: 42 });
    // An unknown request gets the program's own error (code 10), not a timeout.
    expect(await ask(lab, 'n1', { type: 'frobnicate' })).toMatchObject({ type: 'error', code: 10 });
  });

  it.skipIf(!hasPython)('Python echo (skipped where there is no python3)', { timeout: 60_000 }, async () => {
    const lab = await labOf(2, py('python/echo.py'));
    expect(await ask(lab, 'n2', { type: 'echo', echo: 'from python' })).toMatchObject({ type: 'echo_ok', echo: 'from python' });
  });

  for (const [language, program] of [
    ['JavaScript', js('broadcast.mjs')],
    ['Python', py('broadcast.py')],
  ] as const) {
    it.skipIf(language === 'Python' && !hasPython)(`${language} broadcast: gossip crosses the real links, a partition holds it back, the heal lets it through`, { timeout: 90_000 }, async () => {
      const lab = await labOf(3, [...program]);
      const topology = { n1: ['n2', 'n3'], n2: ['n1', 'n3'], n3: ['n1', 'n2'] };
      for (const n of lab.nodes) expect(await ask(lab, n, { type: 'topology', topology })).toMatchObject({ type: 'topology_ok' });
      await lab.partition([['n1'], ['n2', 'n3']]);
      expect(await ask(lab, 'n1', { type: 'broadcast', message: 7 })).toMatchObject({ type: 'broadcast_ok' });
      // Cut off: n1 gossips to n2 (sent, into the partition), and n2 has nothing.
      await until(lab, 'n1', { type: 'read' }, () => linesOf(lab, 'send').some((l) => l.kind === 'send' && l.node === 'n1' && l.to === 'n2' && l.msgType === 'gossip'));
      expect(await ask(lab, 'n2', { type: 'read' })).toMatchObject({ messages: [] });
      await lab.heal();
      await until(lab, 'n2', { type: 'read' }, (b) => Array.isArray(b.messages) && b.messages.includes(7));
      await until(lab, 'n3', { type: 'read' }, (b) => Array.isArray(b.messages) && b.messages.includes(7));
      // The gossip went as ordinary messages of the lab, sent and received, typed by the program.
      expect(linesOf(lab, 'receive').some((l) => l.kind === 'receive' && l.node === 'n2' && l.from === 'n1' && l.msgType === 'gossip')).toBe(true);
    });
  }

  it('a line that is not a message is traced as malformed, and the program goes on answering', { timeout: 60_000 }, async () => {
    const noisy = "const rl=require('readline').createInterface({input:process.stdin});rl.on('line',l=>{const m=JSON.parse(l);process.stdout.write('hello, world\\n');process.stdout.write(JSON.stringify({src:m.dest,dest:m.src,body:{type:m.body.type+'_ok',in_reply_to:m.body.msg_id}})+'\\n')});";
    const lab = await labOf(1, [process.execPath, '-e', noisy]);
    expect(await ask(lab, 'n1', { type: 'echo' })).toMatchObject({ type: 'echo_ok' });
    const bad = linesOf(lab, 'malformed').filter((l) => l.kind === 'malformed' && l.source === 'program');
    expect(bad.length).toBeGreaterThanOrEqual(1);
    expect(bad[0]).toMatchObject({ node: 'n1', error: expect.stringMatching(/^message: not JSON/) as string });
  });

  it('a program that crashes takes its node with it: the trace says how it ended and what it last wrote on stderr', { timeout: 60_000 }, async () => {
    // It answers init, and dies at the first message after it (not at init: the lab's start is not what this tests).
    const crashing = "require('readline').createInterface({input:process.stdin}).on('line',(l)=>{const m=JSON.parse(l);if(m.body.type==='init'){process.stdout.write(JSON.stringify({src:m.dest,dest:m.src,body:{type:'init_ok',in_reply_to:m.body.msg_id}})+'\\n');return}process.stderr.write('Traceback: KeyError 3\\n');process.exit(3)});";
    const lab = await labOf(1, [process.execPath, '-e', crashing]);
    expect(await lab.programReady('n1', 30_000)).toBe(true);
    await lab.client('n1', { src: 'c1', dest: 'n1', body: { type: 'echo', msg_id: ++msgId } }, 1_000).catch(() => undefined);
    const exit = await new Promise<TraceLine>((resolve) => {
      const found = linesOf(lab, 'exit')[0];
      if (found) resolve(found);
      const off = lab.subscribe((l) => {
        if (l.kind === 'exit') {
          off();
          resolve(l);
        }
      });
    });
    expect(exit).toMatchObject({ node: 'n1', code: 1 });
    expect(lab.state('n1')).toBe('exited');
    expect(linesOf(lab, 'local').map((l) => (l.kind === 'local' ? l.label : ''))).toContain('the program exited (code 3); its last words on stderr: Traceback: KeyError 3');
  });

  it.skipIf(findLibfaketime() === undefined)("the program's wall clock is its node's (libfaketime): set 5 s ahead, then 3 s behind, it reads so (skipped without the faketime package)", { timeout: 60_000 }, async () => {
    const telling = "require('readline').createInterface({input:process.stdin}).on('line',(l)=>{const m=JSON.parse(l);const type=m.body.type==='init'?'init_ok':'time_ok';process.stdout.write(JSON.stringify({src:m.dest,dest:m.src,body:{type,in_reply_to:m.body.msg_id,now:Date.now()}})+'\\n')});";
    const lab = await labOf(1, [process.execPath, '-e', telling]);
    /** How far ahead of this machine's clock the program's is (ms), as it says. */
    const ahead = async (): Promise<number> => {
      const before = Date.now();
      const answer = await ask(lab, 'n1', { type: 'time' });
      return (answer.now as number) - (before + Date.now()) / 2;
    };
    expect(Math.abs(await ahead())).toBeLessThan(1_000);
    // libfaketime reads the offset again at most once a second: ask until it has.
    const until = async (ok: (ms: number) => boolean): Promise<number> => {
      const deadline = performance.now() + 20_000;
      for (;;) {
        const ms = await ahead();
        if (ok(ms) || performance.now() > deadline) return ms;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await lab.clock('n1', { offsetMs: 5_000 });
    expect(await until((ms) => ms > 4_000)).toBeGreaterThan(4_000);
    expect(await ahead()).toBeLessThan(6_000);
    await lab.clock('n1', { offsetMs: -3_000 });
    expect(await until((ms) => ms < -2_000)).toBeLessThan(-2_000);
    expect(await ahead()).toBeGreaterThan(-4_000);
  });

  it('a pause freezes the program with its node, a kill kills both (one process group); a revive starts both again', { timeout: 60_000 }, async () => {
    const lab = await labOf(2, js('js/echo.mjs'));
    await ask(lab, 'n1', { type: 'echo', echo: 1 });
    const pid = (await lab.status()).nodes.find((n) => n.id === 'n1')!.pid!;
    const [program] = childrenOf(pid);
    expect(program).toBeGreaterThan(0);
    await lab.pause('n1');
    expect(stateOf(program)).toBe('T');
    await lab.resume('n1');
    expect(await ask(lab, 'n1', { type: 'echo', echo: 'after the pause' })).toMatchObject({ echo: 'after the pause' });
    await lab.kill('n1');
    const deadline = performance.now() + 10_000;
    while (alive(program) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(alive(program)).toBe(false);
    await lab.revive('n1');
    expect(await ask(lab, 'n1', { type: 'echo', echo: 2 })).toMatchObject({ type: 'echo_ok', echo: 2 });
  });
});
