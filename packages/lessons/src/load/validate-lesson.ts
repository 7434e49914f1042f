/**
 * The rules of a lesson the schema cannot say (pure): every node named exists in the cluster; a
 * call is named once, before a step awaits it or a check reads it; a message does not go from a
 * node to itself; a log check has a workload that fed that log; the explanation's `{{…}}` refer
 * to things the run will have.
 */
import type { Lesson } from '@faultline/protocol';

export interface LessonIssue {
  readonly path: PropertyKey[];
  readonly message: string;
}

const NODE_FIELDS = new Set(['from', 'to', 'node', 'nodes', 'kill', 'pause', 'resume', 'revive']);

export function validateLesson(lesson: Lesson): LessonIssue[] {
  const issues: LessonIssue[] = [];
  const n = lesson.cluster.nodes;
  const known = (id: string): boolean => Number(id.slice(1)) <= n;
  const badNode = (path: PropertyKey[], id: string): void => {
    issues.push({ path, message: `unknown node "${id}" (the cluster has ${n === 1 ? 'only n1' : `n1 … n${n}`})` });
  };
  // Every node id anywhere in the steps and checks, and the behaviours' keys.
  const walk = (value: unknown, path: PropertyKey[], nodeField: boolean): void => {
    if (typeof value === 'string') {
      if (nodeField && /^n[0-9]+$/.test(value) && !known(value)) badNode(path, value);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i], nodeField || path.at(-1) === 'partition'));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k], NODE_FIELDS.has(k) || (nodeField && Array.isArray(value)));
    }
  };
  for (const [id, specs] of Object.entries(lesson.cluster.behaviours)) {
    if (!known(id)) badNode(['cluster', 'behaviours', id], id);
    specs.forEach((spec, j) => {
      if (spec.name !== 'sync' || spec.server === undefined) return;
      if (!known(spec.server)) badNode(['cluster', 'behaviours', id, j, 'server'], spec.server);
      else if (spec.server === id) issues.push({ path: ['cluster', 'behaviours', id, j, 'server'], message: `${id} cannot be its own time server` });
    });
  }
  walk(lesson.steps, ['steps'], false);
  walk(lesson.expect, ['expect'], false);

  const named = new Set<string>();
  const feeds = new Set<string>();
  /** Named client requests: name → message type. */
  const invokes = new Map<string, string>();
  const sweeps = new Map<string, string[]>();
  /** The workloads' histories (`ops` steps' names). */
  const histories = new Set<string>();
  lesson.steps.forEach((step, i) => {
    if (step.invoke?.as !== undefined) {
      if (named.has(step.invoke.as) || invokes.has(step.invoke.as)) issues.push({ path: ['steps', i, 'invoke', 'as'], message: `a call or request is already named "${step.invoke.as}"` });
      invokes.set(step.invoke.as, step.invoke.type);
    }
    for (const [j, ref] of (step.replicated ?? []).entries()) {
      if (invokes.get(ref) !== 'write') issues.push({ path: ['steps', i, 'replicated', j], message: `no step before this one writes as "${ref}" (name one with invoke: { type: write, as: ${ref} })` });
    }
    if (step.sweep) {
      if (sweeps.has(step.sweep.name)) issues.push({ path: ['steps', i, 'sweep', 'name'], message: `a sweep is already named "${step.sweep.name}"` });
      sweeps.set(step.sweep.name, step.sweep.rows.map((r) => r.value));
      for (const row of step.sweep.rows) {
        row.steps.forEach((rs, j) => {
          if (rs.rpc?.as !== undefined || rs.invoke?.as !== undefined) issues.push({ path: ['steps', i, 'sweep', 'steps', j], message: `a step inside a sweep runs once a row, so it cannot be named (as)` });
          if (rs.await !== undefined || rs.replicated !== undefined) issues.push({ path: ['steps', i, 'sweep', 'steps', j], message: `a step inside a sweep cannot wait for a named call or write` });
        });
      }
    }
    for (const key of ['rpc', 'send', 'link', 'block', 'hold', 'release'] as const) {
      const pair = step[key];
      if (pair && pair.from === pair.to) issues.push({ path: ['steps', i, key, 'to'], message: `${key} from ${pair.from} to itself: a link joins two different nodes` });
    }
    if (step.rpc?.as !== undefined) {
      if (named.has(step.rpc.as)) issues.push({ path: ['steps', i, 'rpc', 'as'], message: `a call is already named "${step.rpc.as}"` });
      named.add(step.rpc.as);
    }
    if (step.ops) {
      const o = step.ops;
      if (named.has(o.as) && !histories.has(o.as)) issues.push({ path: ['steps', i, 'ops', 'as'], message: `a call is already named "${o.as}"` });
      for (const [field, to] of [['reads', o.reads], ['writes', o.writes]] as const) {
        for (const [j, node] of to.entries()) if (node === o.from) issues.push({ path: ['steps', i, 'ops', field, j], message: `the client on ${o.from} calls ${node}: a link joins two different nodes` });
      }
      histories.add(o.as);
      named.add(o.as);
    }
    if (step.await !== undefined && !named.has(step.await)) issues.push({ path: ['steps', i, 'await'], message: `no call or workload named "${step.await}" before this step` });
    if (step.appends) {
      for (const to of step.appends.to) {
        if (to === step.appends.from) issues.push({ path: ['steps', i, 'appends', 'to'], message: `appends from ${to} to itself` });
        feeds.add(`${step.appends.from}>${to}`);
      }
    }
  });

  const checkNames = new Set<string>();
  lesson.expect.forEach((c, i) => {
    const refs = 'rpcs' in c ? c.rpcs.map((r, j) => [r, ['expect', i, 'rpcs', j]] as const) : 'rpc' in c ? [[c.rpc, ['expect', i, 'rpc']] as const] : [];
    for (const [ref, path] of refs) if (!named.has(ref)) issues.push({ path: [...path], message: `no step makes a call named "${ref}" (name one with rpc: { as: ${ref} })` });
    const request = (ref: string, type: string, field: string, how: string): void => {
      if (invokes.get(ref) !== type) issues.push({ path: ['expect', i, field], message: `no step makes a ${type} request named "${ref}" (${how})` });
    };
    if (c.check === 'order') {
      request(c.a, 'write', 'a', `invoke: { type: write, as: ${c.a} }`);
      request(c.b, 'write', 'b', `invoke: { type: write, as: ${c.b} }`);
    }
    if (c.check === 'register' && c.holds !== undefined) request(c.holds, 'write', 'holds', `invoke: { type: write, as: ${c.holds} }`);
    if (c.check === 'read') request(c.read, 'read', 'read', `invoke: { type: read, as: ${c.read} }`);
    if (c.check === 'sync') request(c.rounds, 'sync', 'rounds', `invoke: { type: sync, as: ${c.rounds} }`);
    if (c.check === 'sweep') {
      const rows = sweeps.get(c.sweep);
      if (!rows) issues.push({ path: ['expect', i, 'sweep'], message: `no step is a sweep named "${c.sweep}"` });
      else if (!rows.includes(c.row)) issues.push({ path: ['expect', i, 'row'], message: `sweep ${c.sweep} has no row ${c.row} (its values: ${rows.join(', ')})` });
    }
    if ('history' in c) for (const [j, h] of c.history.entries()) if (!histories.has(h)) issues.push({ path: ['expect', i, 'history', ...(c.history.length > 1 ? [j] : [])], message: `no ops step keeps a history named "${h}" (name one with ops: { as: ${h} })` });
    if (c.check === 'log' && !feeds.has(`${c.from}>${c.node}`)) issues.push({ path: ['expect', i], message: `no appends step sends from ${c.from} to ${c.node}, so there is no log to compare` });
    if (c.name !== undefined) {
      if (checkNames.has(c.name)) issues.push({ path: ['expect', i, 'name'], message: `a check is already named "${c.name}"` });
      checkNames.add(c.name);
    }
  });

  for (const m of lesson.explain.matchAll(/\{\{[ \t]*([^}\n]*?)[ \t]*\}\}/g)) {
    const ref = m[1];
    const parts = ref.split('.');
    const ok =
      ref === 'seed' ||
      (parts[0] === 'rpc' && parts.length === 3 && named.has(parts[1]) && ['elapsed', 'outcome', 'attempts', 'reply'].includes(parts[2])) ||
      (parts[0] === 'check' && parts.length >= 2 && checkNames.has(parts[1])) ||
      (parts[0] === 'sweep' && parts.length >= 3 && (sweeps.get(parts[1]) ?? []).includes(parts.slice(2).join('.')));
    if (!ok) issues.push({ path: ['explain'], message: `{{${ref}}} names nothing this run has (use {{seed}}, {{rpc.NAME.elapsed|outcome|attempts|reply}}, {{check.NAME}} of a named check or {{sweep.NAME.ROW}})` });
  }
  if (/\{\{(?![^}\n]*\}\})/.test(lesson.explain)) issues.push({ path: ['explain'], message: 'a {{ with no }} after it on its line' });
  return issues;
}
