/**
 * The core runs the behaviours the shell hands it, and imports none: a node with no behaviours
 * answers nothing but `not supported`, and `start_behaviour` makes what the handed-in `create` makes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandSchema, type BehaviourSpec } from '@faultline/protocol';
import { describe, expect, it } from 'vitest';
import { NodeCore, NOT_SUPPORTED, type Behaviour, type BehaviourSet, type Effect } from '../../src/index.js';
import { TRUE_EPOCH_MS } from '../support/core-harness.js';

const CORE = fileURLToPath(new URL('../../src/core/', import.meta.url));

describe('the node core and its behaviours', () => {
  it('imports nothing of the behaviours or the shell: they are handed in', () => {
    const imports = readdirSync(CORE).flatMap((file) => [...readFileSync(`${CORE}${file}`, 'utf8').matchAll(/from '(\.\.\/[^']*)'/g)].map((m) => `${file}: ${m[1]}`));
    expect(imports.filter((i) => /: \.\.\/(behaviours|shell)\//.test(i))).toEqual([]);
  });

  it('runs only what it is given: none, then the one `create` makes', () => {
    const made: BehaviourSpec[] = [];
    const shout: Behaviour = { name: 'shout', messageTypes: ['ping'], onMessage: (ctx, m) => void ctx.reply(m, 'PONG') };
    const set: BehaviourSet = { initial: [], create: (spec) => (made.push(spec), shout) };
    const core = new NodeCore({ node: 'n1', pid: 1, port: 1, behaviours: set, labNodes: ['n1', 'n2'] }, { monoMs: 0, trueMs: TRUE_EPOCH_MS });
    const at = { monoMs: 1, trueMs: TRUE_EPOCH_MS };
    core.step({ kind: 'link', peer: 'n2', up: true }, at);
    const ping = (id: string): Effect[] =>
      core.step({ kind: 'envelope', size: 1, envelope: { id, from: 'n2', to: 'n1', type: 'ping', body: {}, lamport: 1, vc: { n2: 1 }, hlc: { wallMs: TRUE_EPOCH_MS, logical: 0 }, sentWall: TRUE_EPOCH_MS } }, at);
    const answers = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'send' ? [[e.envelope.type, e.envelope.body]] : []));
    expect(answers(ping('n2-1'))).toEqual([['error', { ...NOT_SUPPORTED, text: 'no behaviour handles message type "ping"' }]]);
    const started = core.step({ kind: 'command', id: 7, command: commandSchema.parse({ type: 'start_behaviour', behaviour: { name: 'counter' } }) }, at);
    expect(started).toContainEqual({ kind: 'reply', id: 7, ok: true, result: { name: 'shout', messageTypes: ['ping'] } });
    expect(made).toEqual([{ name: 'counter', idempotent: false, delayMs: 0 }]);
    expect(answers(ping('n2-2'))).toEqual([['PONG', {}]]);
    // No heartbeats watched: the peer is known, never heard.
    expect(core.status().peers).toEqual({ n2: { connected: true, lastHeartbeatAgoMs: null } });
  });
});
