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

const NODE_FIELDS = new Set(['from', 'to', 'node', 'kill', 'pause', 'resume', 'revive']);

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
  for (const id of Object.keys(lesson.cluster.behaviours)) if (!known(id)) badNode(['cluster', 'behaviours', id], id);
  walk(lesson.steps, ['steps'], false);
  walk(lesson.expect, ['expect'], false);

  const named = new Set<string>();
  const feeds = new Set<string>();
  lesson.steps.forEach((step, i) => {
    for (const key of ['rpc', 'send', 'link', 'block', 'hold', 'release'] as const) {
      const pair = step[key];
      if (pair && pair.from === pair.to) issues.push({ path: ['steps', i, key, 'to'], message: `${key} from ${pair.from} to itself: a link joins two different nodes` });
    }
    if (step.rpc?.as !== undefined) {
      if (named.has(step.rpc.as)) issues.push({ path: ['steps', i, 'rpc', 'as'], message: `a call is already named "${step.rpc.as}"` });
      named.add(step.rpc.as);
    }
    if (step.await !== undefined && !named.has(step.await)) issues.push({ path: ['steps', i, 'await'], message: `no call named "${step.await}" before this step` });
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
      (parts[0] === 'check' && parts.length >= 2 && checkNames.has(parts[1]));
    if (!ok) issues.push({ path: ['explain'], message: `{{${ref}}} names nothing this run has (use {{seed}}, {{rpc.NAME.elapsed|outcome|attempts|reply}} or {{check.NAME}} of a named check)` });
  }
  if (/\{\{(?![^}\n]*\}\})/.test(lesson.explain)) issues.push({ path: ['explain'], message: 'a {{ with no }} after it on its line' });
  return issues;
}
